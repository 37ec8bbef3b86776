"""Categories of failure seen on a blind set, each with new sentences (not the blind ones).
The sentence tables hold a floor on the share right: the model may move one sentence.

Spaced-out typing, dialect and homophone rewrites (data in intents/rules/01_dialect.toml),
urgent phrasings, and misses by intent; plus FaqBook.reload().
"""

from __future__ import annotations

from pathlib import Path

import pytest

from intents import INTENTS, Classifier, FaqBook
from intents.linear import LinearModel
from intents.normalize import join_spaced_chars


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.load()


def predicted(clf: Classifier, text: str) -> str:
    res = clf.classify(text)
    return res.intent if res.confidence >= 0.5 else "none"


# -- 1. spaced-out typing ---------------------------------------------------------------
@pytest.mark.parametrize("text,expect", [
    ("楼 道 灯 坏 了 好 几 天", "楼道灯坏了好几天"),
    ("帮 我 买 点 药 吧", "帮我买点药吧"),
    ("3 号楼 门口", "3 号楼 门口"),          # spaces next to digits stay
    ("水管爆了 楼道淹了", "水管爆了 楼道淹了"),  # spaces between words stay
    ("3 号楼 门 口 灯 坏 了", "3 号楼门口灯坏了"),
    ("楼下的垃 圾 桶 满 了", "楼下的垃圾桶满了"),  # first word typed whole
    ("我 去", "我 去"),                     # two characters are not a run
])
def test_spaced_chars_are_joined(text: str, expect: str) -> None:
    assert join_spaced_chars(text) == expect


# -- 2./3. dialect words and homophone typos -------------------------------------------------
@pytest.mark.parametrize("text,expect_in", [
    ("佢哋喺楼下等咗好耐", "在"),
    ("屋企冇人 搵唔到钥匙", "家里没有人"),
    ("成日嘈住", "整天"),
    ("水浸咗成个车库", "淹了"),
    ("阿妈行唔到楼梯", "走不了"),
    ("景盖又松了", "井盖"),
    ("静盖不见了", "井盖"),
    ("电提坏了", "电梯"),
    ("路等不亮", "路灯不亮"),
    ("下水到堵了", "下水道"),
    ("天花板露水", "天花板漏水"),
    ("这个好伐", "好吗"),
    ("楼道啲灯坏晒", "全坏了"),
    ("谁给整坏了", "弄坏"),
    ("下水道赌了", "下水道堵"),
])
def test_rewrites(clf: Classifier, text: str, expect_in: str) -> None:
    assert expect_in in clf.normalize(text)


@pytest.mark.parametrize("text", [
    "早上草叶上全是露水",       # 露水 stays dew
    "把衣服浸在盆里",           # 浸 outside water damage stays
    "他一向霸气",               # 霸 alone stays
    "仲裁委员会在哪",           # 仲 alone stays
    "这次遭遇真倒霉",           # 遭 alone stays
    "他耍赖不给钱",             # 耍 alone stays
    "一路等着车来",             # 路等 alone stays
    "步伐整齐",                 # 伐 alone stays
    "今天太阳好 晒被子",         # 晒 alone stays
    "整个小区都停电了",           # 整 alone stays
])
def test_rewrites_leave_mandarin_alone(clf: Classifier, text: str) -> None:
    assert clf.normalize(text) == clf.fold(text)


# -- 4. urgent ----------------------------------------------------------------------------
URGENT_PHRASINGS = [
    ("厨房的煤气管子一直嘶嘶响 味道好重 头都晕了", "119", "safety"),
    ("电梯停住不动了 里头还关着个老太太", "119", "repair"),
    ("二单元电梯卡在八楼 轿厢里困着三个人", "119", "repair"),
    ("三楼水管爆了 走廊全淹了 水往楼梯下流", None, "repair"),
    ("楼下铺头着咗火 好大烟", "119", "safety"),
    ("隔篱阿婆跌咗喺厕所 叫极都唔应", "120", "errand"),
    ("我爸在客厅晕了 叫他没反应", "120", "errand"),
    ("王奶奶在楼梯上摔倒了 快来人啊", "120", "errand"),
    ("地库进水了 有个人被困在车里出不来", None, "repair"),
    ("楼下有人打架 动刀子了", "110", None),
    ("电梯老出毛病 今天又困人了 我儿子还在里面", "119", "repair"),
    ("阿爷喺浴室跌低咗 起唔到身", "120", "errand"),
    ("对面屋起咗火 好大烟", "119", "safety"),
    ("电梯遭卡起了 里头有人 搞快点", "119", "repair"),
    ("7栋电梯停在半路 有个快递小哥困在里头", "119", "repair"),
    ("单元门夹住了一个老人的腿", "119", "repair"),
]


def test_urgent_phrasings(clf: Classifier) -> None:
    wrong = []
    for text, number, intent in URGENT_PHRASINGS:
        res = clf.classify(text)
        if not (res.urgent and (intent is None or res.intent == intent)
                and (number is None or res.emergency == number)):
            wrong.append((text, res.urgent, res.intent, res.emergency, res.evidence))
    print(f"urgent phrasings right: {1 - len(wrong) / len(URGENT_PHRASINGS):.2f}", wrong)
    assert len(wrong) <= 2, wrong


@pytest.mark.parametrize("text", [
    "垃圾房门口的汁水流了一地 又黏又臭 每天路过都得绕着走 物业能不能多冲洗几次",
    "有人把剩饭剩菜倒在地上 苍蝇到处飞 好几天了",
    "转需：老人防跌倒小常识",
    "我们楼的电梯经常困人 上个月就困了两回 物业也不管",
    "小区后面的臭水都漫到路上了 走路都要绕",
])
def test_calm_complaints_are_not_urgent(clf: Classifier, text: str) -> None:
    res = clf.classify(text)
    assert not res.urgent, (text, res.evidence)


# -- 5. misses by intent ------------------------------------------------------------------
CATEGORY_CASES = [
    ("repair", "8栋门口的井盖昨晚也不晓得被哪个偷走了"),
    ("repair", "东门外面那排路灯全黑了"),
    ("repair", "9号楼漏水了"),
    ("repair", "二单元楼顶水箱露水 墙上都是水印"),
    ("repair", "门禁按了莫得反应 进不去"),
    ("repair", "12栋门口那个消防栓一直在滋水 该找谁修"),
    ("repair", "景盖翘起来了 在6栋后面"),
    ("repair", "电提又坏了 11栋"),
    ("repair", "屋头莫得水了 啥子时候来水嘛"),
    ("repair", "走廊天花板一直在露水 上面是公共水管"),
    ("safety", "车棚里的电线皮破了 铜丝都露着"),
    ("safety", "小区门口那棵树有根树杈劈开了 吊在半空"),
    ("wish", "如果楼下有个遮阳棚就好啦"),
    ("wish", "能不能在空地上拉几根晾衣绳"),
    ("wish", "有没有可能在活动室搞个下棋的地方"),
    ("wish", "要是广场上多几张椅子就好咯"),
    ("wish", "小区里能不能弄几个宠物便便箱"),
    ("wish", "楼下那块空地 建个小花园多好"),
    ("wish", "如果能在门口设个公交站就方便多了"),
    ("wish", "我们楼的老人家都想有个地方打打牌 社区能安排不"),
    ("dispute", "3楼那个租户的狗天天叫 跟房东反映了也没人管"),
    ("repair", "楼道的灯黑了一个多星期了"),
    ("none", "天黑了 大家早点回家"),
    ("none", "孩子不肯吃饭 愁死了"),
    ("repair", "我想问下 我们楼顶的水箱是不是漏了 顶楼天花板湿了一大片"),
    ("repair", "西门的快递柜什么时候能修好 坏了好几天了"),
    ("repair", "楼道的声控灯啥时候来修啊"),
    ("wish", "小区什么时候能装个快递柜"),
    ("sanitation", "有人把洗碗水倒进雨水口 好恶心"),
    ("repair", "有人把剩油倒进下水道 现在堵死了"),
    ("sanitation", "後樓啲垃圾冇人執 臭到死"),
    ("dispute", "隔籬屋嘅狗成日吠 好嘈 講咗幾次都唔理"),
    ("errand", "唔該幫我阿嫲買啲藥"),
    ("dispute", "楼下那个棋牌室天天搞到半夜 吵得莫法睡"),
    ("errand", "9栋的独居老人好几天没见出门了 敲门也没人应"),
    ("none", "天气这么好 出去走走多好"),
    ("none", "有没有可能明天下雨啊"),
    ("none", "刚才手机没有反应 重启了才好"),
    ("none", "今天晒黑了好多"),
    ("none", "分享：下水道返水怎么办？一文读懂"),
    ("none", "【转】被困电梯如何自救"),
    ("none", "昨晚梦见楼里着火了 吓醒了"),
    ("none", "今天电梯保养 请大家走楼梯"),
    ("inquiry", "社区有没有老年大学 在哪报名"),
    ("errand", "阿拉屋里厢灯泡坏脱了 阿婆一个人弄勿来"),
    ("dispute", "楼下那家火锅店的油烟天天往我家窗户里灌"),
    ("dispute", "601的王阿姨天天把音响开得震天响 跟她讲了也不肯关"),
    ("dispute", "我的车位又被一辆面包车占着 打电话也不挪"),
    ("dispute", "楼下铺头成日霸住条路摆枱 同佢讲佢仲闹人"),
    ("errand", "阿妈行唔到楼梯 想搵人帮手搬两箱水上楼"),
    ("errand", "不会弄医保电子凭证 谁能教教我"),
    ("sanitation", "门 口 垃 圾 堆 了 好 多 没 人 扫"),
    ("sanitation", "花坛遭人挖得乱七八糟 种起菜了"),
    ("praise", "谢 谢 网 格 员 帮 我 修 好 了 水 管"),
    ("inquiry", "请问小区路灯坏了应该找谁报修"),
    ("none", "转需：冬季防一氧化碳中毒小知识"),
    ("none", "今天的草坪好好的 孩子们玩得开心"),
]


def test_category_misses(clf: Classifier) -> None:
    wrong = [(gold, text, predicted(clf, text)) for gold, text in CATEGORY_CASES
             if predicted(clf, text) != gold]
    print(f"category cases right: {1 - len(wrong) / len(CATEGORY_CASES):.2f}", wrong)
    assert len(wrong) / len(CATEGORY_CASES) <= 0.2, wrong


# -- 5b. false alarms and chatter read as needs, by category (held-out writers, issue 13) ---
# (text, urgent): figures of speech (嗓子冒烟, 打不着火), a machine that 抽风, a load too heavy,
# a lost old man (a need, no emergency), a faint burnt smell, a danger only supposed or only
# believed for a moment (我还以为着火了, issue 13/9); and the
# dangers said now that must stay urgent.
URGENCY_CASES = [
    ("家里暖气太足了 嗓子冒烟 一晚上喝了三杯水", False),
    ("奶奶家的燃气灶打不着火了 谁会修", False),
    ("我一个人在家 米太重扛不动 谁能帮我搬上楼", False),
    ("有个老爷子在广场转了半天 好像迷路了 谁认识", False),
    ("门禁又抽风了 刷卡没反应", False),
    ("车库里有点焦味 不知道哪来的", False),
    ("下次再有人在楼道烧纸 迟早要出事", False),
    ("听见消防车响 我还以为咱楼着火了 原来是路过的", False),  # a mistaken belief, put right
    ("闻着一股糊味 我还寻思谁家着火了 是对门烤红薯烤焦了", False),
    ("楼道里烧焦味很重 呛得睁不开眼 快来人", True),
    ("厨房着火了 快打119", True),
]


@pytest.mark.parametrize("text,urgent", URGENCY_CASES)
def test_urgent_only_for_danger_now(clf: Classifier, text: str, urgent: bool) -> None:
    assert clf.classify(text).urgent is urgent


@pytest.mark.parametrize("text", [
    "【温馨提示】本周六上午十点消防演练 请大家配合",   # a notice with a headline
    "【物业通知】明天9点到12点停水 请提前储水",
    "物业已经在修3栋的水管了 大家别急",              # work under way
    "小王说电工在修路灯了 晚上应该能亮",
])
def test_notices_and_work_under_way_open_no_ticket(clf: Classifier, text: str) -> None:
    assert predicted(clf, text) == "none"


# A remark about somewhere else (one's workplace, a relative's estate) is not this grid's
# need (40_rules.toml); a cry for help that names the workplace still is.
@pytest.mark.parametrize("text,expect", [
    ("我们公司楼下的路灯坏了一个礼拜了 晚上加班回来黑漆漆的", "none"),
    ("我闺女家那边新小区电梯又坏了 还是咱这老楼好", "none"),
    ("我在单位 我妈一个人在家摔了 起不来 谁能去6栋看看", "errand"),
    ("我老家那边停电三天了 我妈说蜡烛都点完了", "none"),
    # ... but a need of here said after it is this grid's (本地: 我们小区, 我们这边也…)
    ("我们公司楼下的路灯坏了 我们小区3栋门口的路灯也不亮 好几天了", "repair"),
])
def test_remarks_about_elsewhere_open_no_ticket(clf: Classifier, text: str, expect: str) -> None:
    assert predicted(clf, text) == expect


# Look-alike chatter (40_rules.toml): a story from the news or from elsewhere, a joke, a
# scare that is over, an anti-fraud warning; a bare "fixed now" is no praise (INTENTS.md).
@pytest.mark.parametrize("text", [
    "看新闻说外地一个小区的井盖被偷了 有个小孩掉下去了 好吓人",
    "我被困在电梯里了——开玩笑的 是被困在会议室里了",
    "闻到一股煤气味 下楼一看是楼下饭店在试新灶 没事了",
    "防诈骗提醒：有人冒充社区打电话让老人转账 都是骗子 千万别转账",
    "天气预报还说今天不下雪呢 结果下了一天",
    "今天人民路那边堵死了 前面出了个车祸 上班的绕道吧",  # traffic, not a repair
    # a supposition and what would follow from it (20_scope.toml 条件)
    "要是楼下的井盖哪天丢了 晚上遛弯的老人可咋办",
    "万一电梯半夜坏了 住顶楼的人咋下来呀",
    "谁家有梯子借我用一下 挂个灯笼",  # borrowing among neighbours (借用)
    "我要白菜十斤 我不会接那个龙 帮我接一下",  # an order of a group buy (团购)
    "我听人说 昨晚车棚有人偷电瓶 不知道真的假的",  # a rumour (传闻)
])
def test_look_alike_chatter_opens_no_ticket(clf: Classifier, text: str) -> None:
    res = clf.classify(text)
    assert predicted(clf, text) == "none" and not res.urgent


@pytest.mark.parametrize("text,expect", [
    ("单元门口的台阶结冰了 老人摔不起 赶紧撒点盐", "safety"),  # ice said now, then a fear
    ("5号楼前那段坡道全是冰 溜滑 早上好几个人滑了一跤", "safety"),
    ("问一下 高龄补贴今年在手机上怎么申请 我闺女在外地 去年是她给我弄的", "inquiry"),
    ("我老伴住院了 家里煤气罐没气了 我一个人扛不动 谁能帮个忙", "errand"),
    ("篮球场边上太晒了 搭个凉棚吧", "wish"),  # a suggestion said as 「…吧」
    ("十字路口的红绿灯坏了 一直闪黄灯 老人过马路不敢走", "repair"),  # a signal is a facility
    # a fear or a polite condition does not make the report beside it a supposition
    ("4栋楼道里有电动车在充电 容易着火", "safety"),
    ("如果方便的话 帮我看看3栋楼道的水管 一直在滴水", "repair"),
])
def test_plain_needs(clf: Classifier, text: str, expect: str) -> None:
    assert predicted(clf, text) == expect


def test_an_empty_gas_bottle_is_no_one_out_of_breath(clf: Classifier) -> None:
    assert not clf.classify("我老伴住院了 家里煤气罐没气了 我一个人扛不动 谁能帮个忙").urgent


# Heating that does not warm, said short and about one's own rooms, is a repair (40_rules.toml);
# heating of the past, a supposition, heating too warm, thanks and its bill are not.
@pytest.mark.parametrize("text,expect", [
    ("我们家暖气不热了 屋里才十二度", "repair"),
    ("卧室那组暖气片摸着不热", "repair"),
    ("暖气冰凉 晚上冻得睡不着[流泪]", "repair"),
    ("前年暖气不热 今年倒是挺好", "none"),
    ("我家暖气太热了 晚上得开条窗缝", "none"),
    ("要是暖气不热就给物业打电话", "none"),
    ("你家暖气片也不热啊 那可遭罪了", "none"),
    ("请问暖气费在哪交", "inquiry"),
])
def test_heating_that_does_not_warm_is_a_repair(clf: Classifier, text: str, expect: str) -> None:
    assert predicted(clf, text) == expect


# -- 6. FaqBook.reload ----------------------------------------------------------------------
_FAQ = """
[[faq]]
question = "医保在哪交"
keywords = ["医保"]
answer = "{answer}"
"""


def test_faq_reload_reads_the_same_file_and_keeps_old_answers_on_error(tmp_path: Path) -> None:
    path = tmp_path / "faq.toml"
    path.write_text(_FAQ.format(answer="社区服务中心一楼"), encoding="utf-8")
    book = FaqBook.load(path)
    assert book.answer("医保在哪交") == "社区服务中心一楼"

    path.write_text(_FAQ.format(answer="街道便民大厅"), encoding="utf-8")
    assert book.reload() is None
    assert book.answer("医保在哪交") == "街道便民大厅"

    path.write_text("[[faq]]\nquestion = \n", encoding="utf-8")  # broken TOML
    error = book.reload()
    assert error and "faq.toml" in error
    assert book.answer("医保在哪交") == "街道便民大厅"

    path.unlink()
    assert book.reload()  # missing file: an error text, old answers stay
    assert book.answer("医保在哪交") == "街道便民大厅"


def test_package_faq_reloads() -> None:
    book = FaqBook.load()
    before = book.answer("医保在哪交")
    assert book.reload() is None
    assert book.answer("医保在哪交") == before


# -- 5c. urgency by concept (issue 13, held-out writers) ----------------------------------
# Sparks from a wire or a box, a person fallen into a hole or an open well, water rising
# with people still in it are danger now; sparks of burning paper are not electrical.
@pytest.mark.parametrize("text,urgent", [
    ("楼下的配电箱一直在冒火星子 滋滋响", True),
    ("工地那个坑没有围挡 有个老人掉下去了", True),
    ("地下室进水了 已经没过小腿 里面还有人在搬东西", True),
    ("院子里有人烧纸 火星子飘得到处都是", False),
    ("那个坑没有围挡 天黑了很容易掉下去", False),  # only a possibility: no one fell
])
def test_urgent_by_concept(clf: Classifier, text: str, urgent: bool) -> None:
    assert clf.classify(text).urgent is urgent, clf.classify(text).evidence


def test_the_model_alone_makes_only_a_danger_urgent() -> None:
    """Without a rule, the model's own urgency counts only where a life can be at stake
    (safety, repair, errand): dirt or a quarrel needs a rule that names the danger."""
    clf = Classifier.load(with_model=False)
    clf.wait_ready()

    def model_reading(top: str) -> LinearModel:
        row = [0.0] * len(INTENTS) + [6.0]  # the last weight is urgency's
        row[INTENTS.index(top)] = 6.0
        return LinearModel.from_table(INTENTS, (0.0,) * len(INTENTS), -1.0, {"w:垃圾": tuple(row)})

    clf._model = model_reading("sanitation")
    res = clf.classify("垃圾")
    assert (res.intent, res.urgent) == ("sanitation", False)
    clf._model = model_reading("safety")
    res = clf.classify("垃圾")
    assert (res.intent, res.urgent) == ("safety", True)


# A notice or a reminder to everyone with no headline (请大家…, 截止, 互相提醒) is no need,
# unless it asks, complains or says something is wrong.
@pytest.mark.parametrize("text,expect", [
    ("社区下周二上午免费量血压 请大家带好医保卡", "none"),
    ("物业费缴纳截止本月底 请各位业主抓紧", "none"),
    ("又停水了也不通知一声 12栋", "repair"),
])
def test_notices_to_everyone(clf: Classifier, text: str, expect: str) -> None:
    assert predicted(clf, text) == expect


# -- 5d. the sixth writer (w6): what its model must not read ------------------------------
# A facility that is always taken (充电桩老是满 排不上, 快递柜天天满) is not broken: no repair,
# unless a fault is named as well (then the model decides, as for any report).
# A facility said to work (还行, 也热, 挺好的: 好使) is no repair; a fault beside it still is.
@pytest.mark.parametrize("text,expect", [
    ("我们7号楼的暖气也热 就是屋里太干 放盆水吧", "none"),
    ("暖气还行 就是单元门的门禁坏了 刷不开", "repair"),
])
def test_a_facility_that_works_is_no_repair(clf: Classifier, text: str, expect: str) -> None:
    assert predicted(clf, text) == expect


@pytest.mark.parametrize("text,busy", [
    ("车棚那充电桩老是满 排不上", True),
    ("快递柜天天满 抢不到格子", True),
    ("车棚的充电桩坏了好几个 剩下的老是满", False),
])
def test_a_facility_always_taken_is_no_repair(clf: Classifier, text: str, busy: bool) -> None:
    d = clf.decide(text)
    assert any(r.name == "老是满不是坏了" for r in d.rules) is busy
    repair = d.probabilities["repair"]
    assert (repair < max(p for i, p in d.probabilities.items() if i != "repair")) is busy, d.probabilities


def test_the_model_alone_makes_no_urgent_of_what_it_reads_as_chatter() -> None:
    """Advice while an emergency goes on (快打燃气公司电话啊) names a danger but is no new
    one: the model's own urgency counts only when it reads the message as a need at least
    as likely as chatter."""
    clf = Classifier.load(with_model=False)
    clf.wait_ready()

    def model_reading(none: float) -> LinearModel:
        row = [0.0] * len(INTENTS) + [6.0]  # the last weight is urgency's
        row[INTENTS.index("safety")] = 3.0
        row[INTENTS.index("none")] = none
        return LinearModel.from_table(INTENTS, (0.0,) * len(INTENTS), -1.0, {"w:燃气": tuple(row)})

    clf._model = model_reading(none=6.0)
    res = clf.classify("燃气")
    assert (res.intent, res.urgent) == ("none", False)
    clf._model = model_reading(none=2.0)
    res = clf.classify("燃气")
    assert (res.intent, res.urgent) == ("safety", True)


def test_the_model_alone_makes_no_urgent_of_a_what_if(clf: Classifier) -> None:
    # a flying lead is a hazard to remove, and 起了火咋整 is what if: the model's own
    # estimate (0.85 here) makes no emergency of a message that supposes
    res = clf.classify("3号楼有人从二楼窗户扯电线下来充电 电线搭在晾衣杆上 起了火咋整")
    assert res.intent == "safety" and not res.urgent
