"""Two households quarrelling after one of them reported the other: the group hears one short
line about it, not one per side (review of d13, finding 4: 402's report of icicles from 502's
drain was acknowledged, and 502's counter-accusation minutes later opened a dispute ticket
with a second acknowledgement in the middle of the quarrel). The accused household
quarrelling back is that matter; the parties are spoken to privately by the worker.
Through the application, as the group sees it."""

from __future__ import annotations

from conftest import ROOM_BH1, posts_in, speaker

say = speaker(ROOM_BH1)
group = posts_in(ROOM_BH1)

QUARREL = [
    ("8-2-402 高姐", "楼上502的 你家洗衣机水是不是直接往阳台外头排？全冻我家雨搭上了 冰溜子一尺多长 掉下来砸着人你负责啊？"),
    ("8-2-502 大刘", "你咋知道是我家的？楼上还有602呢 张嘴就赖人"),
    ("8-2-402 高姐", "602常年没人住 不是你家是谁家 我早上亲眼看着从你家那管子往下淌水"),
    ("8-2-502 大刘", "你家那雨搭是违建你知道不 别的楼都拆了 就你家留着"),
    ("8-2-402 高姐", "违建你去举报啊 跟你家往外排水有啥关系"),
    ("8-2-502 大刘", "对 啥事都赖我家 你家狗天天在楼道拉屎咋不说"),
    ("8-2-502 大刘", "好好说？她大清早在楼道喊了半天 我媳妇下夜班刚睡下 全给喊醒了"),
]


async def test_the_accused_household_quarrelling_back_is_the_same_matter_told_once(chat):
    heard = []
    for name, text in QUARREL:
        heard += await say(chat, name, text)
    assert len(group(heard)) == 1  # the first report's acknowledgement only
    assert len(chat.store.tickets.select()) == 1


async def test_a_new_matter_of_someone_else_is_still_its_own(chat):
    await say(chat, "8-2-402 高姐", QUARREL[0][1])
    sent = await say(chat, "5-1-201 老孙", "5号楼1单元楼道灯坏了 晚上黑灯瞎火的")
    assert len(group(sent)) == 1 and len(chat.store.tickets.select()) == 2
