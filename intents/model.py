"""What the classifier says about one text."""

from __future__ import annotations

from dataclasses import dataclass

INTENTS = (
    "repair", "errand", "dispute", "safety", "sanitation", "wish", "inquiry", "praise", "none",
)
# Intents that become a ticket for the grid worker (inquiry only when no FAQ answers it).
TICKET_INTENTS = frozenset({"repair", "errand", "dispute", "safety", "sanitation", "wish", "inquiry"})

INTENT_NAMES_ZH = {
    "repair": "设施报修",
    "errand": "代办求助",
    "dispute": "矛盾纠纷",
    "safety": "安全隐患",
    "sanitation": "环境卫生",
    "wish": "微心愿",
    "inquiry": "政策咨询",
    "praise": "表扬感谢",
    "none": "非诉求",
}


@dataclass(frozen=True)
class Classification:
    intent: str  # one of INTENTS
    confidence: float  # in [0, 1]
    urgent: bool
    place: str | None  # as written in the message: 3号楼, 5-2-601, 北门, 惠民超市门口
    evidence: tuple[str, ...]  # the matched rule terms, for explaining a decision
    masked_text: str  # phone and ID-card numbers hidden: safe to post in a group
    emergency: str | None = None  # "119" | "120" | "110" when urgent and one fits
    hazard: str | None = None  # the kind of hazard said now (rules' [[hazard]]): cannot wait its turn

    @property
    def opens_ticket(self) -> bool:
        return self.intent in TICKET_INTENTS
