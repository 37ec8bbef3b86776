"""Whole group days (tests/data/days), played through the bot and scored as the issue
measures them: tickets per real need <= 1.2, false tickets <= 1 per 100 chatter messages,
recall of real needs >= 95%, bot posts in the residents' group <= 6 per 100 messages; and
(issue 10) at least 90% of the officials' accept/done lines, in their own words, move the
ticket they speak of.

A figure a day does not reach yet is listed in NOT_YET with why and the figure it must
not fall behind; its target is still asserted, as an expected failure that shows up as
XPASS the day it is met (then move it out of NOT_YET).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.conftest import TZ
from tests.groupdays import DAYS_DIR, Played, Score, load_day, play, score

DAYS = sorted(DAYS_DIR.glob("*.jsonl"))

# figure -> (how it is read off a Score, the target, True when lower is better)
FIGURES = {
    "tickets_per_need": (lambda s: s.tickets_per_need, 1.2, True),
    "false_per_100_chatter": (lambda s: s.false_per_100_chatter, 1.0, True),
    "recall": (lambda s: s.recall, 0.95, False),
    "posts_per_100": (lambda s: s.posts_per_100, 6.0, True),
    "acts_understood": (lambda s: s.acts_understood, 0.9, False),
}

# (day, figure) -> (the figure today, not to be fallen behind; why the target is missed)
NOT_YET: dict[tuple[str, str], tuple[float, str]] = {
    # d7 was written blind in the session of 2026-11-26 (third) and scored once at its end
    # (tickets per need 1.27 blind, then 1.36; 1.00 since its split needs N2, N8, N10 are one
    # ticket each: tests/test_one_incident_all_day.py). Its officials' acts, 0.78 then, are
    # 14/14 since a done said as its result, an asking/calling/timed taking-on and a question
    # answered whose ticket came of a later line are read (tests/test_officials_own_words.py).
    # d10 was written blind in the session of 2026-11-26 (fourth), scored at its start and end
    # (the same figures both times: the session's day-level work did not reach it), then added
    # (Since praise is passed to the one praised, 孙丽 hears N7 privately; the writer expected a
    # ticket for it, which a praise never is.)
    ("d10_sunday_qn2", "recall"): (0.916, "N7 (praise of the worker, expected as a ticket)"),
    # (its officials' acts, 17/24 then, are 24/24 since officials talking an emergency through, a
    # quote of a part of a report, 「我给热力公司报上」, 「我单独跟您…聊」 and 「我聊过了」 are read:
    # tests/test_sunday_day.py)
    # d12 was written in the session of 2026-11-26 (fifth) by a writer who never saw the code and
    # released as a dev day at once; first score on main fa9ca70: tickets per need 1.18 (N5, N12
    # split), false 0.43 per 100 chatter, recall 1.00, posts 4.57 per 100, acts 4/12
    # With w7 in the corpus (the same session) N6 splits too: 1.27. Its acts, 4/12 then, are
    # 12/12 since a nickname with the role in it (王秀英(网格员)) is the worker
    # (tests/test_officials_nicknames.py) and 「跟物业经理说了」 takes it on; its tickets per need
    # 1.08 since a stray dog seen elsewhere and a wish seconded join their tickets
    # (tests/test_seen_again_and_said_done.py; N5's private +1 after it was settled still splits).
    # d11 was written blind in the session of 2026-11-26 (fifth), scored at its start (main
    # baa0383: 1.22 tickets per need, false 1.32, recall 0.833, posts 4.35, acts 7/12) and end
    # (main fd4c198: 1.20, 1.32, 0.833, 4.11, 8/12), then added
    # Its tickets per need, 1.17 on main 62cc210 (N5, N6 split), are 1.08 since a need asked
    # after again in other words by its own reporter joins its ticket (tests/test_asked_again.py;
    # N5, the other side of a dog-mess quarrel writing privately, split until she became a
    # party to it: tests/test_one_problem_one_ticket.py; 1.00 since). Its false tickets, 1.32 then,
    # are 0.44 since a neighbour's advice to the reporter of the incident being talked about
    # (k22, k36) is a remark on it (tests/test_advice_to_a_reporter.py); k43, a lift-wait
    # remark a notice answered minutes later, still opens one.
    # Its recall, 0.833 then, is 1.00 since danger now hours after a calm report of the same
    # thing is its own ticket (N1) and a garage spot's leak is not a flat's (N12)
    # (tests/test_urgent_news_and_other_places.py). Its acts, 8/14 then, are 13/14 since
    # 「我私聊」, 「周阿姨下午过去」, 「马上到12号楼」 and 「已恢复送电」 are read, and a building
    # said while an emergency there is talked through is that emergency
    # (tests/test_taking_it_on_in_own_words.py); 14/14 since a trapped person out and safe
    # (k307 「孩子没事 这部电梯先停用」) is the emergency done (tests/test_officials_acts_d14.py).
    # d13 was written blind in the session of 2026-11-26 (sixth), scored at its start (main 0ea26aa:
    # 1.25 tickets per need, false 1.32, recall 0.923, posts 5.06, acts 7/13) and end (main caf1037:
    # 1.25, 0.88, 0.923, 4.34, 8/13), then added. Its tickets per need, 1.25 then (N1, N6 split),
    # are 1.08 since a neighbour's word that the morning's leak has grown worse is that ticket
    # made urgent, and one of its unit stuck upstairs by the burst is caught in it
    # (tests/test_worse_through_the_day.py), and 1.00 since the accused household quarrelling back is
    # that matter, not a dispute of its own (N6; tests/test_quarrel_told_once.py).
    # Its officials' acts, 8/13 then, are 12/13 (met) since 私信, 报社区, 说开了, 已经清了, a quote
    # cut short in the middle and a caution about what is left are read (tests/test_officials_acts_d13.py).
    # Its recall, 0.923 then (N12, a praise), is 1.00 since praise is passed to the one praised
    # (tests/test_praise_passed_on.py).
    # d14 was written in the session of 2026-11-26 (sixth) by a writer who never saw the code and
    # released as a dev day at once; first score on main 36a0563 (tickets per need 1.64: N1,
    # N4, N5, N12 split); 1.09 since an outage told from several buildings, an emergency's
    # "me too" inside its place, a private reporter's next need and agreeing with a report
    # while telling another spot of it are one ticket (tests/test_one_problem_one_ticket.py;
    # N1's 「能不能送点桶装水」, a reporter's request for relief, still opens a wish)
    # Its false tickets, 1.97 per 100 chatter then (k22, k119, k161, k324), are 0.99 since a
    # guess at why and telling others what not to do, while an incident is talked of, are talk
    # of it (tests/test_one_problem_one_ticket.py; k161, the other side of the flying lead,
    # and k324, a smell of smoke asked about, still open one).
    # Its acts, 8/14 then, are 14/14 since 「已经叫人去了」, 「俺周一再给街道报一下」, a volunteer sent
    # with an @, 「人出来了 娘俩都没事」 and 「那就这么着」 are read, a private request is named in the
    # group by building and matter, a quoted line that opened nothing is of its sender's own
    # report, and a remark naming nothing is of the official's only thread
    # (tests/test_officials_acts_d14.py).
    # Its recall, 0.923 then (N13, a praise), is 1.00 since praise is passed to the one praised
    # (tests/test_praise_passed_on.py).
    # d16 was written in the session of 2026-11-26 (seventh) by a writer who never saw the code and
    # released as a dev day at once; first score on main ca09368: tickets per need 1.57 (N1, N3, N7,
    # N8 split), false 3.77 per 100 chatter (9), recall 0.667 (N2 dust, N5 water for an old lady,
    # N9 and N11 missed), posts 5.56, acts 7/11, most private to one person 25.
    # Its false tickets, 3.77 then, are 2.93 since a morning's notice of a water cut still explains
    # the cut at noon however much the worker said since, until the end it announced
    # (tests/test_announced.py: k175, k212 are of the notice); with k175 no false ticket for k252
    # to join, N2 (dust) has its ticket (recall 0.667 -> 0.75) and the worker's act on it (k253,
    # 「跟刘工说了 四点再洒一遍」) is one more not read (7/11 -> 7/12).
    # Its tickets per need, 1.5 then, are 1.25 since the contractor (施工队 刘工) speaks for the
    # works as the property company does (N1, N3: its explanation and its done are no reports), a
    # car's owner answering back is the quarrel, and the flying lead told in the group by building
    # is the one told privately at a door of it (N8) (tests/test_same_matter_by_what_it_refers_to.py).
    # N4 shows split now: its 「五点？！…没水」 joined the contractor's false ticket before and opens
    # the cut's own now, beside 李婶's request for a bucket; N7: the noon parking grumble at 9号楼
    # and the evening's car at its door.
    ("d16_mon_qn1", "tickets_per_need"): (1.23, "N4, N7 split"),
    # 0.84 (met) since a lost pet found, a rider asking whether a gate lets him in, a question whether
    # the new thing is the one meant and one's own home's switch tripped open nothing (k237, k106,
    # k356, k257, k332), and smoke a neighbour says is the works heating asphalt is stood down
    # (k130: its ticket stays, the 10- and 20-minute steps up do not go)
    # (tests/test_chatter_gets_silence.py; k80, a question on the renovation, still opens one).
    # acts 9/12 -> 10/12 since a visit to a resident's home promised (「明天八点半我和小王上您家」, k121)
    # takes her errand on, and staff's answer to a question the FAQ answered no longer closes the
    # ticket its asker only chimed in on (tests/test_answer_goes_on_its_question.py); 10/12 -> 11/12
    # since a report answering the worker's word of a minute ago (「五点？！…没水」 under his 「预计下午
    # 五点左右恢复供水」) is his, so his 「1-6号楼已恢复供水」 (k348) is its done, not the noise
    # ticket's (tests/test_report_under_workers_word.py): met (target 0.9), out of NOT_YET; k253 is
    # still not read.
    # Its recall and acts rose since dust off the works is dirt, dust and scaffolding are subjects of
    # their own (the worker's acts on them read: k103, k249, k253: acts 12/12), a question on gas pipes during
    # a water cut is not of the cut (N9) (tests/test_contractor_in_the_group.py), and praise is
    # passed to the one praised (N11: tests/test_praise_passed_on.py).
    ("d16_mon_qn1", "recall"): (0.916, "N5 missed (an old lady without water, voice-to-text)"),
    # d15 was written blind in the session of 2026-11-26 (seventh), scored at its start (main ca09368:
    # tickets per need 1.70 (N3, N4, N7, N10, N11 split), false 1.20 per 100 chatter, recall 0.833
    # (N9 a question on a disability card, N12 a praise missed), posts 5.52, acts 8/15, most private
    # to one person 28) and after the session's first rounds (main d870bb7: 1.70, 1.20, 0.833, 5.04,
    # 9/15, 26), then added.
    # Its recall rose 0.833 -> 1.0 and false 1.20 -> 0.40 (both met, out of NOT_YET; k13, smoke of paper
    # burnt for a death's anniversary, is still a ticket) since a reporter's thanks naming officials
    # other than the one in charge of their ticket reaches those others (N12, k394 and k397:
    # tests/test_praise_passed_on.py), and a question put to the staff who just answered another
    # one sharing only its asking (能不能) is still put to her (N9: tests/test_named_and_anonymous.py);
    # 「着起来了」 is fire (k17 is more of k13's report, not a second alarm:
    # tests/test_fire_in_dialect.py) and poultry on the roof is a subject (k277 is a word in the
    # quarrel over it: tests/test_quarrel_over_poultry.py); acts 9/15 -> 10/15 since 「也跟物业说了」
    # takes it on (k74: tests/test_seen_again_and_said_done.py); 10/15 -> 12/15 since 「@李强 … 快去！」
    # (k368) sends someone and 「我们报上去看能不能装」 (k211) is no refusal (same file); 13/15 since
    # 「楼道的火灭了」 is a fire's done though the wall is cleaned tomorrow (k383, same file).
    # N3 one since 「也不会…」 of the person told of is no other matter, N10 one since a lost person
    # searched for is one matter wherever seen or found (tests/test_d15_one_matter.py).
    # N4 one since a fixed thing broken again (「车库门又出问题了」, k412) goes on its reporter's ticket,
    # reopening it once done; N7 one since a private story told in pieces is one ticket (k169) and a
    # remark under the property's notice on a matter told privately (the owner's 「哪个去物业告的嘛…」
    # k275) is a reply to the notice (tests/test_same_matter_again.py): tickets per need 1.10 (met,
    # out of NOT_YET; N11, the e-bike owner owning up to the cable k379, still opens a dispute).
    ("d15_tue_bh2", "acts_understood"): (0.866, "k293, k331 not read"),
}

_played: dict[Path, Played] = {}


def played(path: Path) -> Played:
    """Each day is played once per test session."""
    if path not in _played:
        _played[path] = asyncio.run(play(load_day(path, TZ)))
    return _played[path]


def day_score(path: Path) -> Score:
    return score(played(path))


def _cases():
    for path in DAYS:
        for figure in FIGURES:
            missed = NOT_YET.get((path.stem, figure))
            marks = [pytest.mark.xfail(reason=missed[1], strict=False)] if missed else []
            yield pytest.param(path, figure, marks=marks, id=f"{path.stem}-{figure}")


@pytest.mark.parametrize(("path", "figure"), list(_cases()))
def test_target(path: Path, figure: str):
    read, target, lower = FIGURES[figure]
    value = read(day_score(path))
    assert (value <= target) if lower else (value >= target), f"{figure} = {value:.3g}"


@pytest.mark.parametrize(
    ("day", "figure"), sorted(NOT_YET), ids=[f"{d}-{f}" for d, f in sorted(NOT_YET)]
)
def test_a_missed_target_does_not_fall_further_behind(day: str, figure: str):
    read, _, lower = FIGURES[figure]
    today = NOT_YET[(day, figure)][0]
    value = read(day_score(DAYS_DIR / f"{day}.jsonl"))
    assert (value <= today) if lower else (value >= today), f"{figure} = {value:.3g}"


@pytest.mark.parametrize("path", DAYS, ids=[p.stem for p in DAYS])
def test_every_message_of_the_day_is_handled_without_error(path: Path):
    assert played(path).errors == []


def test_every_day_is_scored():
    assert len(DAYS) >= 3
    assert {day for day, _ in NOT_YET} <= {p.stem for p in DAYS}
