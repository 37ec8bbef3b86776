"""How reports are handled: joining duplicates, silence when unsure, the FAQ, urgency,
photos, and reloading the rules — end to end through the test transport."""

from __future__ import annotations

import shutil
from dataclasses import replace

from conftest import ROOM_QN1, ROOT, mentioned, texts

from handlers.messages import Media
from intents import Classifier


async def test_neighbours_reporting_the_same_cover_join_one_ticket(chat):
    first = await chat.say("张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒")
    second = await chat.say("李叔", "三栋门口那个井盖松了，踩上去咣当响")
    third = await chat.say("王奶奶", "3号楼门口的井盖谁来修一下啊，坏好几天了")

    assert len(chat.store.tickets.select()) == 1
    assert [m.to.name for m in first if m.to] == ["马建民"]  # the worker, privately
    # The acknowledgement is right above: neighbours who join a minute later are not
    # answered one by one (they are told with everyone when it is done).
    assert second == [] and third == []
    assert [e.kind for e in chat.store.tickets.events(1)] == ["created", "joined", "joined"]

    done = await chat.say("马建民", "完成 1 已更换新井盖")
    told = set(mentioned(done))
    assert {"张阿姨", "李叔", "王奶奶"} <= told


async def test_same_need_at_another_place_is_another_ticket(chat):
    await chat.say("张阿姨", "3栋门口井盖又翘起来了")
    await chat.say("李叔", "9栋后面的井盖也丢了，黑乎乎一个洞")
    assert len(chat.store.tickets.select()) == 2


class Unsure:
    """The real classifier, never sure of itself: every reading below min_confidence."""

    def __init__(self, real) -> None:
        self.real = real

    def classify(self, text: str):
        return replace(self.real.classify(text), confidence=0.3)

    def reload(self) -> str | None:
        return self.real.reload()


async def test_unsure_messages_are_kept_quietly_for_the_worker(open_chat, shared_classifier):
    chat = await open_chat(classifier=Unsure(shared_classifier))
    said = await chat.say("张阿姨", "5栋楼道灯坏了")
    assert said == []  # nothing in the group
    assert chat.store.tickets.select() == []

    listing = await chat.say("马建民", "疑似", room=None)
    assert "张阿姨" in texts(listing) and "楼道灯坏了" in texts(listing)
    [suspect] = chat.store.notes.suspects(["qn-1"])

    made = await chat.say("马建民", f"登记 {suspect.id}", room=None)
    ticket = chat.ticket(1)
    assert ticket is not None and ticket.reporter_name == "张阿姨"
    assert ticket.room_topic == ROOM_QN1
    assert "张阿姨" in mentioned(made)  # the resident hears of it in their group
    assert chat.store.notes.suspects(["qn-1"]) == []


async def test_inquiry_answered_from_the_faq_opens_no_ticket(chat):
    sent = await chat.say("赵大妈", "请问养老资格认证怎么办啊")
    assert chat.store.tickets.select() == []
    assert len(sent) == 1 and "认证" in sent[0].text
    assert sent[0].mentions[0].name == "赵大妈"


async def test_praise_is_counted_not_ticketed(chat):
    sent = await chat.say("张阿姨", "谢谢马建民网格员，井盖修得真快，辛苦了")
    assert chat.store.tickets.select() == []
    # nothing in the group; the one praised hears it privately (tests/test_praise_passed_on.py)
    assert [(m.to.name if m.to else None) for m in sent] == ["马建民"]
    assert chat.store.notes.praise_count(["qn-1"], 0, 2**40) == 1


async def test_urgent_report_says_what_to_do_first_and_wakes_the_grids_workers(chat):
    sent = await chat.say("李叔", "快来人 2单元楼道里着火了 好大的烟")
    ticket = chat.ticket(1)
    assert ticket.urgent
    room_posts = [m for m in sent if m.room_topic == ROOM_QN1]
    assert len(room_posts) == 1
    first_line = room_posts[0].text.splitlines()[0]
    assert "119" in first_line and "别坐电梯" in first_line and "如有危险" not in first_line
    assert {"马建民", "孙丽"} <= set(mentioned(room_posts))
    private = {m.to.name for m in sent if m.to is not None}
    # a fire wakes the community's staff with the workers (handlers/danger.WAKES_COMMUNITY)
    assert private == {"马建民", "孙丽", "张继凯", "刘芳"}


async def test_an_urgent_burning_smell_gets_the_fire_advice(chat):
    """A smell of burning wires is a fire not yet seen: the group hears what to do first,
    not only that the workers were told."""
    sent = await chat.say("小周", "楼道电表箱那里一股烧焦的味道 越来越重 快来人看看")
    assert chat.ticket(1).urgent
    [post] = [m for m in sent if m.room_topic == ROOM_QN1]
    first_line = post.text.splitlines()[0]
    assert "119" in first_line and "别坐电梯" in first_line and "情况紧急" not in first_line


async def test_someone_fainted_calls_for_120(chat):
    sent = await chat.say("王阿姨", "6号楼下有个老人晕倒了，叫不醒")
    assert chat.ticket(1).urgent
    assert "120" in texts(sent)


async def test_photo_with_the_report_and_right_after_it_lands_on_the_ticket(open_chat, example_config, tmp_path):
    from storage import Store

    chat = await open_chat(store=Store.open(tmp_path / "g.db", media_dir=tmp_path / "media"))
    photo = Media(kind="image", name="cover.jpg", data=b"\xff\xd8" + bytes(range(256)) * 100)
    sent = await chat.say("张阿姨", "3栋门口井盖又翘起来了", media=(photo,))
    assert "附照片 1 张" in texts(sent)
    later = Media(kind="image", name="more.jpg", data=b"\xff\xd8second" * 50)
    told = await chat.say("张阿姨", "", media=(later,))
    files = chat.store.notes.attachments(1)
    assert len(files) == 2
    assert all((tmp_path / "media").exists() for _ in files)
    assert told == []  # attached quietly: no message per photo


async def test_admin_reloads_rules_and_a_broken_file_keeps_the_old_ones(open_chat, example_config, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "intents" / "rules", rules)
    config = replace(
        example_config,
        settings=replace(
            example_config.settings,
            classifier=replace(example_config.settings.classifier, rules_path=rules),
        ),
    )
    chat = await open_chat(config=config, classifier=Classifier.load(rules))
    assert await chat.say("张阿姨", "咕噜机咕噜咕噜") == []

    (rules / "local.toml").write_text(
        '[[rule]]\nintent = "repair"\nweight = 6\nwhen = ["咕噜机"]\n', encoding="utf-8"
    )
    refused = await chat.say("张阿姨", "重载规则")
    assert "只有" in texts(refused)
    ok = await chat.say("冯媛", "重载规则", room=None)
    assert "已重新加载" in texts(ok)
    await chat.say("张阿姨", "咕噜机咕噜咕噜")
    assert chat.ticket(1).intent == "repair"

    (rules / "broken.toml").write_text("[[rule]\nintent = ", encoding="utf-8")
    failed = await chat.say("冯媛", "重载规则", room=None)
    assert "有错" in texts(failed) and "broken.toml" in texts(failed)
    await chat.say("李叔", "9号楼门口咕噜机咕噜咕噜")
    assert chat.ticket(2).intent == "repair"  # the old rules are still in force


async def test_admin_reload_picks_up_an_edited_faq(open_chat, example_config, tmp_path):
    from intents import FaqBook

    faq_file = tmp_path / "faq.toml"
    faq_file.write_text(
        '[[faq]]\nquestion = "社区几点上班？"\nconfirmed = true\nkeywords = ["几点上班"]\nanswer = "周一到周五 8:30 上班。"\n',
        encoding="utf-8",
    )
    chat = await open_chat(faq=FaqBook.load(faq_file))
    assert "8:30" in texts(await chat.say("赵大妈", "请问社区几点上班"))

    faq_file.write_text(
        '[[faq]]\nquestion = "社区几点上班？"\nconfirmed = true\nkeywords = ["几点上班"]\nanswer = "冬季 9:00 上班。"\n',
        encoding="utf-8",
    )
    assert "已重新加载" in texts(await chat.say("冯媛", "重载规则", room=None))
    assert "9:00" in texts(await chat.say("赵大妈", "请问社区几点上班"))

    faq_file.write_text("[[faq]\n", encoding="utf-8")
    failed = await chat.say("冯媛", "重载规则", room=None)
    assert "faq.toml" in texts(failed)
    # old answers stay (asked privately: in the group, the same answer is not posted twice running)
    assert "9:00" in texts(await chat.say("赵大妈", "请问社区几点上班", room=None))


async def test_admin_reload_picks_up_new_reply_phrases_and_refuses_a_broken_file(
    open_chat, example_config, tmp_path
):
    phrases = tmp_path / "replies.toml"
    shutil.copy(ROOT / "intents" / "replies.toml", phrases)
    config = replace(
        example_config,
        settings=replace(
            example_config.settings,
            classifier=replace(example_config.settings.classifier, replies_path=phrases),
        ),
    )
    chat = await open_chat(config=config)
    await chat.say("张阿姨", "3栋门口井盖又翘起来了")
    assert await chat.say("马建民", "这单我包了") == []  # not words the bot knows yet
    assert chat.ticket(1).status == "open"

    text = phrases.read_text(encoding="utf-8")
    phrases.write_text(text.replace('"交给我|包在我身上|', '"这单我包了|交给我|包在我身上|'), encoding="utf-8")
    assert "已重新加载" in texts(await chat.say("冯媛", "重载规则", room=None))
    await chat.say("马建民", "这单我包了")
    assert chat.ticket(1).status == "accepted"

    await chat.say("李叔", "9栋后面的路灯不亮了，黑乎乎的")
    phrases.write_text(text.replace("[worker.accept]", "[worker.accept\n"), encoding="utf-8")
    failed = await chat.say("冯媛", "重载规则", room=None)
    assert "有错" in texts(failed) and "replies.toml" in texts(failed)
    await chat.say("马建民", "2号单这单我包了")
    assert chat.ticket(2).status == "accepted"  # the phrases in force stay
