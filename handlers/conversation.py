"""A message read as part of its room's conversation, not on its own.

Before a message may open a ticket, it is read against what the room has just said:

- who speaks and in what form (handlers/posts.py): the property company's notices and
  updates, shops' ads, 接龙 lists, forwards and red packets open nothing; an official's
  update on an open incident goes on that incident's timeline;
- a photo joins its sender's report (or waits for the report that follows it);
- one sender's consecutive messages are one report ("网格员在吗" / "我们12栋楼下" /
  "井盖又没了": the place from the first, the fault from the last);
- a reporter speaking again of their own incident adds a detail (quietly) or asks after
  it (a short answer with its number and state; the worker is reminded privately);
- anyone else's message about an open incident of the room joins it: a quote-reply of
  one of its messages, a quarrel's next line, or the same subject (water, the lift...)
  at a compatible place, or — naming neither — the incident just being discussed. A
  different subject, place or building is a different incident.

Only what is none of these is a possible new report (handlers/report.py). A joined
resident becomes one of the incident's reporters, told of it once (in one short post for
all who joined since the last one, when that has scrolled away) and again when it is done.

This module is the order of those questions; each job is its own module, used one way
(each uses only those listed after it): handlers/updates.py (what the property company,
volunteers and officials say of an incident), handlers/opening.py (what is part of nothing
open), handlers/joining.py (a message recorded on an incident, and what its sender hears),
handlers/matching.py (which incident a message is about), handlers/hearing.py (what a
message says, with its sender's pieces before it), handlers/places.py (place keys and
whether two places are one).
"""

from __future__ import annotations

from handlers import (
    announced,
    anonymous,
    hearing,
    joining,
    matching,
    opening,
    report,
    standdown,
    updates,
)
from handlers.context import Context
from handlers.directory import Grid, Identity
from handlers.messages import IncomingMessage, Outgoing
from handlers.posts import Form, Speaker, form_of, speaker_of


def handle(
    ctx: Context, msg: IncomingMessage, grid: Grid | None, identity: Identity, *, text: str
) -> list[Outgoing]:
    """A message of a resident (or of anyone not an official) in a grid's room or privately."""
    if msg.room_id is None or grid is None:
        own = anonymous.own_word(ctx, msg, grid) if grid is not None else None
        return own if own is not None else report.handle_report(ctx, msg, grid, text=text)
    form = form_of(msg)
    if form is Form.PHOTO:
        return joining.photo(ctx, msg)
    speaker = speaker_of(identity, msg.sender_name)
    if speaker is Speaker.TRADE:
        return joining.read(ctx, msg, "ad")
    if speaker is not Speaker.RESIDENT:
        heard = hearing.hear(ctx, msg, text, pieces=False)
        if not (speaker is Speaker.HELPER and heard.c.urgent):
            return updates.update(
                ctx, msg, grid, heard, keep=form is Form.TEXT, doer=speaker is Speaker.ORGANISATION,
                helper=speaker is Speaker.HELPER,
            )
    if form is not Form.TEXT:
        return joining.read(ctx, msg, str(form))
    if hearing.favour_taken_up(ctx, msg):  # 「谢谢豆豆奶奶 放在门卫那儿的」: settled among neighbours
        return joining.read(ctx, msg, "chatter")
    heard = hearing.hear(ctx, msg, text)
    alarm = standdown.explained(ctx, msg, heard)
    if alarm is not None:  # 「烤红薯的 北门那个摊」 minutes after 「一股烟味 谁家着火了？」: nothing
        return standdown.by_residents(ctx, msg, alarm)
    if hearing.advises(heard):
        heard = hearing.as_remark(heard)  # 「要是家里有老人 晚上冲凉要注意」: advice to everyone
    if hearing.says_it_works(heard):
        heard = hearing.as_remark(heard)  # "1单元电梯正常的": where it is not, said of the incident
    own = matching.own_incident(ctx, msg, grid, heard)
    if own is not None:
        return joining.own_again(ctx, msg, own, heard)
    done = matching.just_done(ctx, msg, heard) or matching.just_done_here(ctx, msg, heard)
    if done is not None:  # 「他肯定还会拉的」 moments after it was done: a remark on it
        joining.add_report(ctx, msg, done, "remark")
        return []
    undone = matching.still_not_right(ctx, msg, grid, heard)
    if undone is not None:  # 「12号楼暖气还是不热 … 这等于没修」 hours after it was done
        return joining.reopen(ctx, msg, undone, heard)
    again = matching.quarrel_again(ctx, msg, grid, heard)
    if again is not None:  # 「上午才说的中午不打钻 说的话不算数」 of a quarrel settled this morning
        return joining.quarrel_again(ctx, msg, again, heard)
    earlier = matching.done_earlier(ctx, msg, grid, heard)
    if earlier is not None:  # 「今天7号楼的水 12号楼的暖气…」 hours after 7号楼's was mended
        joining.add_report(ctx, msg, earlier, "remark")
        return []
    if opening.answers_a_trader(ctx, msg, grid, heard):  # 「你帮我写花蛤一斤」 after the 接龙: an order
        return joining.read(ctx, msg, "reply")
    if opening.of_a_group_buy(ctx, msg, grid, heard):  # 「我要白菜二十斤」 under 「接龙 大白菜」
        return joining.read(ctx, msg, "reply")
    incident = matching.quoted_incident(ctx, msg)
    official = matching.official_replied(ctx, msg) if incident is None else None
    if official is None and incident is None and not heard.place_key and hearing.says_same(heard.text):
        official = matching.official_just_before(ctx, msg)  # "+1" after the worker's word on an incident
    if official is not None:
        incident = matching.official_incident(ctx, msg, official, heard)
        if incident is None and msg.quote is not None and heard.c.intent in matching.ASKED_OF_OFFICIALS and (
            not heard.c.urgent
        ):  # "「物业：明天停水」 12点以后肯定有水吗": asked of who posted it, who answers
            answered = report.faq_answer(ctx, msg, grid, heard.text)
            return (answered or []) + joining.read(ctx, msg, "faq" if answered is not None else "reply")
    advised = matching.advises_its_reporter(ctx, msg, heard) if incident is None else None
    if advised is not None:  # 「老刘 恁先拿个盆接着」: what the reporter may do meanwhile
        return joining.join(ctx, msg, advised, hearing.as_remark(heard))
    if incident is None and hearing.tells_of_elsewhere(heard):  # 「我大哥在唐山那小区 垃圾七天没拉」
        return joining.read(ctx, msg, "story")
    if incident is None and hearing.tells_of_then(heard):
        story = matching.just_discussed(ctx, msg, heard.subjects)
        if story is not None:  # the place named is where the story happened
            return joining.join(ctx, msg, story, hearing.as_remark(heard))
        if hearing.remembers(heard):  # 「记得去年那回…水表都爆了」 told of nothing open: a story
            return joining.read(ctx, msg, "story")
    if incident is None and hearing.supposes(heard):
        discussed = matching.just_discussed(ctx, msg, heard.subjects, intent=heard.c.intent)
        if discussed is not None:  # 「要是着火了怎么办」 while a hazard is discussed: a remark
            return joining.join(ctx, msg, discussed, hearing.as_remark(heard))
    if incident is None and announced.notice_of(ctx, msg, heard) is not None:
        return joining.read(ctx, msg, "reply")  # 「又停电 …」 under the staff's 【停电通知】: of the notice
    need = heard.is_need or heard.c.urgent
    if incident is None and (need or heard.subjects or hearing.ECHO.search(heard.text)):
        incident = matching.incident(ctx, msg, heard, need=need)
    if incident is not None:
        # 「要是家里有老人 … 别在浴室里晕倒了」: advice on it, no danger of its own
        return joining.join(ctx, msg, incident, hearing.as_remark(heard) if hearing.supposes(heard) else heard)
    if hearing.guesses_or_warns(heard):
        talked = matching.talked_of(ctx, msg, heard)
        if talked is not None:  # 「是不是外头修路把管子挖断了」 while an outage is talked of: of it
            return joining.join(ctx, msg, talked, hearing.as_remark(heard))
    return opening.new(ctx, msg, grid, heard)


def official_update(ctx: Context, msg: IncomingMessage, *, text: str) -> list[Outgoing]:
    """A worker's or staff member's chat in a residents' room that is no command: an update
    on the incident it speaks of goes on that incident's timeline. `text` as in handle."""
    if msg.room_id is None:
        return []
    return updates.update(ctx, msg, None, hearing.hear(ctx, msg, text, pieces=False))
