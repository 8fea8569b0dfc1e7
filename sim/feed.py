"""What the group sees in one day: the message feed and the operator's stimuli.

``Feed`` holds today's message counts by kind and the need mix of valuable
posts (what they are about). ``Today`` collects what the operator did this
morning (notifications that pull members in, red packets, a topic, a
check-in prompt). ``Policy`` holds standing rules that persist across days
(strictness, admission, fixed schedule, invitation rewards).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

KINDS = ("valuable", "chat", "thanks", "spam", "quarrel", "ad")
K = {kind: i for i, kind in enumerate(KINDS)}


class Feed:
    """Today's messages: counts by kind, plus the need mix of valuable ones."""

    def __init__(self, n_needs: int) -> None:
        self.count = np.zeros(len(KINDS))
        self.topic = np.zeros(n_needs)
        self.scheduled = 0.0
        self.by_operator = np.zeros(len(KINDS))

    def add(self, kind: str, n: float, topic: np.ndarray | None = None,
            operator: bool = False, scheduled: bool = False) -> None:
        """Add ``n`` messages of ``kind``; valuable ones need a ``topic`` (need weights)."""
        if n <= 0:
            return
        self.count[K[kind]] += n
        if kind == "valuable":
            self.topic += n * np.asarray(topic) / max(np.sum(topic), 1e-12)
        if operator:
            self.by_operator[K[kind]] += n
            if scheduled:
                self.scheduled += n

    @property
    def total(self) -> float:
        return float(self.count.sum())

    @property
    def conversation(self) -> float:
        """Members' own talk today: everything but the operator's posts, spam, ads and thanks."""
        members = self.count - self.by_operator
        return float(members.sum() - sum(members[K[kind]] for kind in ("spam", "ad", "thanks")))

    def __getitem__(self, kind: str) -> float:
        return float(self.count[K[kind]])


@dataclass
class Today:
    """The operator's stimuli for one day, reset every morning."""

    feed: Feed
    pull: float = 0.0
    red_packets: list[tuple[float, int]] = field(default_factory=list)
    rewards: dict[int, float] = field(default_factory=dict)
    topic: np.ndarray | None = None
    topic_strength: float = 0.0
    heat: float = 0.0
    checkin_need: int | None = None
    checkin_strength: float = 0.0
    thanks_prompt: float = 0.0
    irritation: float = 0.0
    offers: float = 0.0
    welcomed: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    joined: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    readers: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    talking: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    prompted: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


@dataclass
class Policy:
    """Standing rules the operator has set; they act every day until changed."""

    strictness: float = 0.0
    chat_chill: float = 0.0
    quarrel_cooling: float = 0.0
    fixed_schedule: bool = False
    admission_threshold: float = 0.0
    screening: float = 0.0
    entry_fee: float = 0.0
    invite_bonus: float = 0.0
    invite_mismatch: float = 0.0
    onboarding: bool = False
    kol_slots: list[int] = field(default_factory=list)
