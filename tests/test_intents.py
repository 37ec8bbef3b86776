"""Hard cases per intent, urgency, confidence, and the rules a worker edits and reloads.

The classifier is a trained model over concepts, so single sentences are checked as tables
with a floor on the share right (a new corpus may move one sentence, not a category); the
meaning of negation, past and hypothetical readings is checked exactly (test_concepts.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import intents
from intents import INTENTS, TICKET_INTENTS, Classification, Classifier, RulesError

RULES_DIR = Path(intents.__file__).resolve().parent / "rules"


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.load()


def predicted(clf: Classifier, text: str, threshold: float = 0.5) -> str:
    """What the bot acts on: below the threshold it stays silent (none)."""
    res = clf.classify(text)
    return res.intent if res.confidence >= threshold else "none"


HARD_CASES = [
    # repair: public facilities, also in dialect, typos and traditional characters
    ("repair", "5栋门口的井盖翘起来了 踩上去咣当响"),
    ("repair", "我们单元的声控灯不亮了好几天 晚上上楼全靠手机照"),
    ("repair", "电悌又坏了 停在三楼不动"),  # typo 电悌
    ("repair", "路登不亮 黑灯瞎火的"),  # typo 路登
    ("repair", "幸福里7棟的電梯壞了 按了沒反應"),  # traditional
    ("repair", "楼下那个下水管堵了咋整嘛 一下雨就漫上来"),  # dialect
    ("repair", "门禁坏了刷卡没反应人脸也刷不开"),  # voice, no punctuation
    ("repair", "不是说路灯修好了吗 今天晚上还是不亮"),  # "fixed?" then still broken
    ("repair", "谢谢物业上次修了水管 不过今天3栋的电梯又坏了"),  # thanks, then a new fault
    ("repair", "路灯归谁管啊 文昌路那一排全灭了 好几天了"),  # question that reports a fault
    # errand: one person's need, often elderly
    ("errand", "我奶奶一个人住腿脚不好 能不能帮忙去药店买点降压药"),
    ("errand", "家里灯泡坏了 我七十多了不敢爬梯子 谁能帮忙换一下"),  # private fault
    ("errand", "屋头老人家莫得人照顾 想请志愿者中午送个饭"),  # dialect
    ("errand", "老人不会在手机上交电费 能不能帮她代缴一下"),
    # dispute: a named other party
    ("dispute", "楼上天天半夜拖椅子 说了好几次都不听"),
    ("dispute", "对门把鞋柜摆在我家门口 跟她说了还骂人"),
    ("dispute", "有人把车停我车位上 电话也不接 挪都不挪"),
    ("dispute", "房东不退押金 合同还没到期就让我们搬"),
    # safety: hazards
    ("safety", "有人从五楼窗户吊插线板下来给电动车充电 飞线就挂在单元门口"),
    ("safety", "消防通道又被私家车堵死了"),
    ("safety", "楼上又扔下来一个酒瓶 差点砸到人"),
    ("safety", "配电箱门掉了 电线都露在外面 小孩一伸手就够到"),
    ("safety", "有个陌生男的在车棚转来转去 像是踩点的"),
    # sanitation: dirt in shared places, no one named
    ("sanitation", "垃圾站的垃圾三天没人拉了 臭得不行"),
    ("sanitation", "单元门上又贴满了小广告"),
    ("sanitation", "草坪上全是狗屎 没人清理"),
    ("sanitation", "化粪池满了往外冒 一路都是粪水"),  # the mess, not the fault
    ("sanitation", "樓道裏堆滿了紙箱和舊傢俱 走路都要側身"),  # traditional
    # wish: something new
    ("wish", "希望社区能办个暑期托管班 孩子放假没人看"),
    ("wish", "小区能不能多放几张长椅 老人走累了没地方坐"),
    ("wish", "微心愿：想要一台收音机听戏"),
    ("wish", "建议建个电动车集中充电棚"),
    # inquiry: procedure, no current problem
    ("inquiry", "请问养老资格认证在哪办 要带什么"),
    ("inquiry", "办居住证需要什么材料"),
    ("inquiry", "社区周六有人值班吗"),
    ("inquiry", "路灯坏了应该找物业还是找社区 以后好知道"),  # boundary from INTENTS.md
    ("inquiry", "請問醫保在哪裡繳費"),  # traditional
    # praise
    ("praise", "井盖已经修好了 谢谢网格员"),  # past tense + thanks
    ("praise", "网格员辛苦了 大热天还挨家挨户上门"),
    ("praise", "感谢志愿者帮我爸理发 老人可高兴了"),
    ("praise", "物业这次效率真高 电梯一上午就修好了 点赞"),
    # none: chatter, personal thanks, negation, bare "fixed"
    ("none", "早上好☀️"),
    ("none", "没有人反映路灯坏啊 我刚下楼看了是亮的"),  # negation
    ("none", "电梯已经修好了 大家可以坐了"),  # fixed, no thanks
    ("none", "谢谢邻居帮我收衣服 改天请你喝奶茶"),  # personal favour
    ("none", "#接龙 周六团购荔枝 1.张姐 两箱"),
    ("none", "红包🧧 谢谢老板"),
    ("none", "3号楼"),  # only a place
    ("none", "专业疏通下水道 随叫随到 加微信"),  # advert mentioning a fault
    ("none", "转发：冬季燃气安全温馨提示"),
    ("none", "新闻说隔壁小区井盖被偷了"),
]


# Boundaries from INTENTS.md: named party vs nobody named, private vs public fault,
# fault vs mess, missing cover vs open pit, hazard vs wish vs own need, procedure
# question vs a question that reports a fault, personal thanks vs praise.
BOUNDARY_CASES = [
    ("dispute", "楼下那家饭店的排烟管对着我们窗户 油烟熏得没法开窗 找过老板好几次"),
    ("sanitation", "小区里到处是油烟味 不知道哪来的 臭得很"),
    ("dispute", "2单元那个住户天天在楼道里烧纸 说了也不听 还骂人"),
    ("sanitation", "楼道里总有人乱扔垃圾袋 也不知道是谁"),
    ("repair", "我家卫生间地漏一直往上返臭水 楼上下水管的问题吧"),
    ("sanitation", "化粪池漫出来了 整条路都是粪水 太恶心了"),
    ("repair", "井盖丢了 就剩个洞 10栋门口"),
    ("safety", "路中间挖了个深坑 什么警示都没有 晚上很危险"),
    ("wish", "能不能在楼下装个集中充电的地方 现在都是拉线充"),
    ("safety", "有人从窗户拉线下来给电动车充电"),
    ("errand", "我腿摔了不能下楼 能不能帮我把垃圾带下去"),
    ("wish", "希望社区办个老年人智能手机培训班"),
    ("errand", "我不会用智能手机 谁能教教我怎么视频"),
    ("inquiry", "请问小区路灯坏了应该找谁报修"),
    ("repair", "请问路灯坏了找谁 我们3栋门口那盏黑了一个礼拜了"),
    ("errand", "有个老人在菜场门口晕倒了"),
    ("praise", "谢谢网格员帮忙 问题解决了"),
    ("none", "谢谢隔壁大姐送的包子"),
    ("none", "路灯好了"),
    ("none", "5栋门口"),
    ("none", "[图片]"),
    ("praise", "路灯修好了 谢谢物业"),
]


def share_right(clf: Classifier, table: list[tuple[str, str]]) -> tuple[float, list]:
    wrong = [(gold, text, predicted(clf, text)) for gold, text in table
             if predicted(clf, text) != gold]
    return 1 - len(wrong) / len(table), wrong


def test_boundaries(clf: Classifier) -> None:
    share, wrong = share_right(clf, BOUNDARY_CASES)
    print(f"boundary cases right: {share:.2f}", wrong)
    assert share >= 0.9, wrong


def test_hard_cases(clf: Classifier) -> None:
    share, wrong = share_right(clf, HARD_CASES)
    print(f"hard cases right: {share:.2f}", wrong)
    assert share >= 0.9, wrong


URGENT_CASES = [
    ("着火了！！9号楼6楼窗户冒黑烟", "119", "safety"),
    ("闻到很重的煤气味 整个楼道都是", "119", "safety"),
    ("煤汽味好浓啊 是不是漏气了", "119", "safety"),  # typo 煤汽
    ("电梯困人了 我在里面 5栋1单元", "119", "repair"),
    ("有人晕倒了 就在超市门口 嘴唇发紫", "120", "errand"),
    ("我妈在家摔倒了起不来 快来人", "120", "errand"),
    ("小孩掉井里了 快来人", "119", "repair"),
    ("油锅着了 我扑不灭", "119", "safety"),
    ("电梯突然往下掉 里面有人", "119", "repair"),
    ("我爸没意识了 快来人", "120", "errand"),
    ("楼下有人被车撞了 躺地上不动", "120", "errand"),
    ("有人拿着刀在楼下追人", "110", "safety"),
    ("小偷在撬我家门 我在屋里", "110", "safety"),
    ("楼道里全是水 还在往外喷 快关总阀", None, "repair"),  # urgent, but no number fits
    ("著火了 7棟3樓冒黑煙", "119", "safety"),  # traditional
    ("我老汉儿晕倒了叫不醒快点来人", "120", "errand"),  # dialect, no punctuation
]


def test_urgent(clf: Classifier) -> None:
    wrong = []
    for text, number, intent in URGENT_CASES:
        res = clf.classify(text)
        if not (res.urgent and res.emergency == number and res.intent == intent):
            wrong.append((text, res.urgent, res.emergency, res.intent, res.confidence))
    print(f"urgent cases right: {1 - len(wrong) / len(URGENT_CASES):.2f}", wrong)
    assert len(wrong) <= 3, wrong


def test_urgent_messages_always_open_a_ticket(clf: Classifier) -> None:
    for text, _, _ in URGENT_CASES:
        res = clf.classify(text)
        assert res.intent in TICKET_INTENTS or not res.urgent
        assert not res.emergency or res.urgent


NOT_URGENT = [
    "老是闻到一点点煤气味 不浓 时有时无",  # faint smell
    "万一着火了楼上的人往哪跑",  # hypothetical
    "门口的纸箱差点给点着了",  # near miss
    "昨天被困电梯的阿姨已经救出来了 没事了 感谢消防",  # past, resolved
    "电梯又坏了 停在五楼",  # a fault, nobody inside
    "前天有人晕倒了 现在已经没事了",  # past and over
    "转发：发现有人晕倒怎么急救",  # forwarded advice
    "我奶奶去年摔倒骨折了 现在走路不太稳 想请人帮忙买菜",  # old injury
    "打火机别给孩子玩 会着火",  # warning
    "下周社区搞电梯困人应急演练",  # a drill
]


@pytest.mark.parametrize("text", NOT_URGENT)
def test_not_urgent(clf: Classifier, text: str) -> None:
    res = clf.classify(text)
    assert not res.urgent, (text, res.evidence)
    assert res.emergency is None


def test_result_shape(clf: Classifier) -> None:
    res = clf.classify("3栋2单元电梯坏了 电话13812345678")
    assert isinstance(res, Classification)
    assert res.intent in INTENTS and 0.0 <= res.confidence <= 1.0
    assert res.place == "3栋2单元"
    assert "13812345678" not in res.masked_text and "电梯坏了" in res.masked_text
    assert res.evidence and all(isinstance(e, str) for e in res.evidence)
    assert res.opens_ticket == (res.intent in TICKET_INTENTS)


def test_confidence_is_low_when_unsure(clf: Classifier) -> None:
    # A lone vague word is no reason to open a ticket.
    for text in ["老人", "好几天了", "垃圾", "有点危险"]:
        res = clf.classify(text)
        assert res.confidence < 0.5 or res.intent == "none", (text, res)


def test_module_level_classify_is_lazy() -> None:
    assert intents.classify("井盖松了 3栋门口").intent == "repair"
    assert intents.default_classifier() is intents.default_classifier()


def copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


def test_worker_can_add_a_word_to_a_concept_and_reload(tmp_path: Path) -> None:
    """A new word in a concept list is understood at once: no rule, no retraining."""
    rules = copy_rules(tmp_path)
    clf = Classifier.load(rules)
    text = "3栋门口那台咕噜机又嘎嘣了"
    res = clf.classify(text)
    assert res.intent != "repair" or res.confidence < 0.5, res
    concepts = rules / "10_concepts.toml"
    src = concepts.read_text(encoding="utf-8")
    src = src.replace('"设施" = [\n', '"设施" = [\n  "咕噜机",\n', 1)
    src = src.replace('"故障" = [\n', '"故障" = [\n  "嘎嘣",\n', 1)
    concepts.write_text(src, encoding="utf-8")
    assert clf.reload() is None
    res = clf.classify(text)
    assert res.intent == "repair" and res.confidence >= 0.5, res


def test_worker_can_add_an_urgent_rule(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    clf = Classifier.load(rules)
    text = "3栋楼下的变电箱在冒蓝光 噼里啪啦的 快来人"
    (rules / "40_local.toml").write_text(
        '[concepts]\n"电弧" = ["冒蓝光", "噼里啪啦"]\n\n'
        '[[urgent]]\nname = "电弧"\nemergency = "119"\nintent = "safety"\n'
        'when = ["{电弧}", "{求救}"]\nwithin = "message"\n', encoding="utf-8")
    assert clf.reload() is None
    res = clf.classify(text)
    assert res.urgent and res.emergency == "119" and res.intent == "safety", res
    assert "紧急:电弧" in res.evidence


@pytest.mark.parametrize("breakage,expect", [
    (lambda s: s + "\n[[rule]\n", "TOML"),
    (lambda s: s + '\n[[rule]]\nintent = "fix"\nwhen = ["x"]\n', "intent"),
    (lambda s: s + '\n[[rule]]\nintent = "repair"\nwhen = ["{没有这个概念}"]\n', "没有这个概念"),
    (lambda s: s + '\n[[rule]]\nintent = "repair"\nwhen = ["re:(坏"]\n', "regular expressions"),
    (lambda s: s + '\n[[rule]]\nintent = "repair"\nweight = "high"\nwhen = ["坏"]\n', "weight"),
    (lambda s: s + '\n[[urgent]]\nemergency = "999"\nwhen = ["{火情}"]\n', "emergency"),
    (lambda s: s + '\n[scope]\n"以后" = ["明天"]\n', "以后"),
])
def test_broken_rules_are_refused_and_old_rules_stay(tmp_path: Path, breakage, expect: str) -> None:
    rules = copy_rules(tmp_path)
    clf = Classifier.load(rules)
    before = clf.classify("5栋电梯坏了")
    target = rules / "30_urgent.toml"
    target.write_text(breakage(target.read_text(encoding="utf-8")), encoding="utf-8")
    error = clf.reload()
    assert error is not None and expect in error and "30_urgent.toml" in error
    assert clf.classify("5栋电梯坏了") == before  # old rules still in force
    with pytest.raises(RulesError, match="30_urgent.toml"):
        Classifier.load(rules)


def test_missing_rules_folder_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="not found"):
        Classifier.load(tmp_path / "nope.toml")


def test_whole_token_words_use_jieba(clf: Classifier) -> None:
    # "=没电" must not be found inside "没电梯" (jieba splits 没/电梯).
    res = clf.classify("我们这栋老楼没电梯 老人爬六楼太累了 希望加装电梯")
    assert res.intent == "wish", res.evidence
