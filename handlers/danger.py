"""The danger an urgent message speaks of, by the concepts the classifier found in it:
what residents are told to do first, and whom to call when no official answers."""

from __future__ import annotations

from handlers.context import Context

# The first that fits wins (gas before fire: a gas smell is not yet a fire). A burning smell
# in an urgent report is a fire not yet seen (wires or a meter box smouldering): get out, 119.
DANGERS = (
    ("gas", ("燃气",)), ("fire", ("火情", "烟", "焦味")), ("electric", ("泡水", "火花")),
    ("trapped", ("被困", "困人", "有人在")),
    ("drowning", ("落水",)), ("fall", ("摔倒", "起不来")), ("unwell", ("昏迷", "急病")),
    ("violence", ("暴力",)),
    # water pouring out (a burst pipe, a flood coming in), no wiring in it: after the rest
    ("water", ("淹水",)),
)


# The danger now a community wants to be woken for: its staff hear of it with the grid's
# workers, at once, day or night, however it came (a new alarm, an incident turned urgent, a
# quarrel turning into a fight): gas, fire, people trapped (in a lift too), someone in the
# water, violence. The rest reach the workers, and the community only when none of them
# answers (the ladder, handlers/sla.py).
WAKES_COMMUNITY = frozenset({"gas", "fire", "trapped", "lift", "drowning", "violence"})


def wakes_community(kind: str) -> bool:
    return kind in WAKES_COMMUNITY


def of(ctx: Context, text: str) -> str:
    """gas / fire / electric / lift / trapped / drowning / fall / unwell / violence / water, or other."""
    c = ctx.classifier.classify(text)
    concepts = {item.partition(":")[0] for item in c.evidence}
    for danger, names in DANGERS:
        if concepts & set(names):
            return "lift" if danger == "trapped" and "电梯" in text else danger
    return "other"

