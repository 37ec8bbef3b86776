"""The group's acknowledgement names what the report is about, or only the place: never a
thing merely mentioned in passing (review d13, finding 7: an icy slope acknowledged as
「充电的事」, an old man stuck upstairs as 「下水道的事」).

The classifier is scripted (a word -> the intent it reads) so that the test is about the
acknowledgement, not about what the classifier makes of a sentence."""

from __future__ import annotations

from conftest import ROOM_BH1, posts_in, speaker, texts

from intents import extract_place, mask
from intents.model import Classification

ROOM = ROOM_BH1
in_room = posts_in(ROOM)
say = speaker(ROOM)


class Scripted:
    def __init__(self, words: dict[str, str]):
        self.words = words

    def classify(self, text: str) -> Classification:
        place = extract_place(text)
        for word, intent in self.words.items():
            if word in text:
                return Classification(intent, 0.9, False, place, (word,), mask(text))
        return Classification("none", 0.9, False, place, (), mask(text))

    def reload(self) -> str | None:
        return None


WORDS = {"滑": "repair", "下不去": "errand", "灯": "repair"}


async def test_a_vehicle_pushed_over_an_icy_slope_is_no_charging(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    said = await say(chat, "9栋 小吴", "南门那段坡冻得跟镜子一样 我骑电瓶车下来滑了一跤")
    [ticket] = chat.store.tickets.select()
    group = texts(in_room(said))
    assert f"南门那段的事记下了（#{ticket.id}）" in group
    assert "充电" not in group


async def test_someone_stuck_upstairs_is_no_drain(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    said = await say(chat, "3-1-601 老郑", "楼梯上全是水 我腿脚不好 下不去了 想托人帮我拿个快递")
    [ticket] = chat.store.tickets.select()
    group = texts(in_room(said))
    assert f"您说的事记下了（#{ticket.id}）" in group
    assert "下水道" not in group


async def test_a_fault_said_plainly_is_still_named(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    said = await say(chat, "5-2-301 老秦", "5栋2单元楼道灯坏了 晚上黑乎乎的")
    [ticket] = chat.store.tickets.select()
    assert f"5栋2单元灯的事记下了（#{ticket.id}）" in texts(in_room(said))
