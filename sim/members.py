"""Member state as a structure of arrays, plus Mesa agent handles.

Every member who ever joined owns one slot (row) in these arrays; the day's
arithmetic runs over all slots at once with masks. ``Member`` is a thin
``mesa.Agent`` view onto one slot, so members appear in ``model.agents`` and
can be inspected, portrayed and collected without a per-agent step loop.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from sim.model import GroupModel


class Role(IntEnum):
    """Dispositions from the seeds (002, 001, 004, 003)."""

    OWNER = 0
    ADMIN = 1
    CORE = 2
    KOL = 3
    MEMBER = 4
    LURKER = 5
    CONTRARIAN = 6
    SPAMMER = 7


class Status(IntEnum):
    """Where a member stands on the exit ladder (active/lurker split by posting recency)."""

    PRESENT = 0
    MUTED = 1
    LEFT = 2


class Exit(IntEnum):
    """Why a member muted or left (the data contract's ``exit_reason``)."""

    NONE = -1
    SATISFIED = 0
    ANNOYED = 1
    OVERLOAD = 2
    SOCIAL = 3
    REMOVED = 4


EXIT_NAMES = {e.value: e.name.lower() for e in Exit if e is not Exit.NONE}
NEVER = -(10**6)

# Posting propensity by disposition, relative to an ordinary member (000: 3-7
# core members carry the talk; lurkers read and rarely post).
# The owner's posting is set by the group config (owner_posts_per_day) instead.
TALK_BY_ROLE = np.array([0.0, 2.0, 4.0, 4.0, 1.0, 0.08, 1.0, 0.3])
# Share of a member's substantive posts that carry real content.
EXPERTISE_BY_ROLE = np.array([0.6, 0.5, 0.45, 0.7, 0.2, 0.2, 0.1, 0.0])


class Members:
    """All member slots. Arrays grow geometrically as members join."""

    FLOATS = (
        "intensity", "need_left", "talk", "attention", "habit", "satisfaction",
        "trust", "overload", "annoyance", "friends_lost", "deterrence", "novelty_gain",
        "money_received", "benefit", "invested", "commitment", "other_groups", "norms",
        "recognition",
    )
    INTS = (
        "role", "status", "joined_day", "invited_by", "muted_day", "exit_day",
        "exit_reason", "last_post_day", "last_purchase_day", "messages", "purchases",
        "first_post_day", "first_post_replied",
    )
    BOOLS = ("knows_owner", "fulfilled", "campaign_invite")

    def __init__(self, needs: list[str], capacity: int = 64) -> None:
        self.need_names = list(needs)
        self.n = 0
        self._alloc(capacity)

    def _alloc(self, capacity: int) -> None:
        old = self.__dict__.copy()
        self.needs = np.zeros((capacity, len(self.need_names)))
        for name in self.FLOATS:
            setattr(self, name, np.zeros(capacity))
        for name in self.INTS:
            setattr(self, name, np.full(capacity, NEVER, dtype=np.int64))
        for name in self.BOOLS:
            setattr(self, name, np.zeros(capacity, dtype=bool))
        if self.n:
            for name in ("needs", *self.FLOATS, *self.INTS, *self.BOOLS):
                getattr(self, name)[: self.n] = old[name][: self.n]
        self.size = capacity

    def add(self, count: int, **columns: np.ndarray) -> np.ndarray:
        """Append ``count`` members; columns not given keep their defaults. Returns new slots."""
        while self.n + count > self.size:
            self._alloc(self.size * 2)
        slots = np.arange(self.n, self.n + count)
        defaults = {
            "status": Status.PRESENT, "exit_reason": Exit.NONE, "messages": 0,
            "purchases": 0, "first_post_replied": 0, "deterrence": 1.0,
        }
        for name, value in {**defaults, **columns}.items():
            getattr(self, name)[slots] = value
        self.n += count
        return slots

    def column(self, name: str) -> np.ndarray:
        """The live part of a column (slots in use)."""
        return getattr(self, name)[: self.n]

    # Derived masks -----------------------------------------------------------
    @property
    def present(self) -> np.ndarray:
        return self.status[: self.n] != Status.LEFT

    @property
    def reachable(self) -> np.ndarray:
        """Present and not muted: notifications reach them."""
        return self.status[: self.n] == Status.PRESENT

    def active(self, day: int, window: int) -> np.ndarray:
        """Present, unmuted and posted within the last ``window`` days."""
        return self.reachable & (self.last_post_day[: self.n] > day - window)

    def took_part(self, slots: np.ndarray, day: int) -> None:
        """Members in ``slots`` posted today: their last post, and their first if it is one."""
        self.last_post_day[slots] = day
        first = slots[self.first_post_day[slots] < 0]
        self.first_post_day[first] = day

    def need(self, name: str) -> np.ndarray:
        return self.needs[: self.n, self.need_names.index(name)]


class Member(mesa.Agent):
    """A member as a Mesa agent: a named view onto one slot of ``Members``."""

    def __init__(self, model: GroupModel, slot: int) -> None:
        super().__init__(model)
        self.slot = slot

    @property
    def _m(self) -> Members:
        return self.model.members

    @property
    def role(self) -> str:
        return Role(self._m.role[self.slot]).name.lower()

    @property
    def status(self) -> str:
        m, day = self._m, self.model.day
        if m.status[self.slot] == Status.MUTED:
            return "muted"
        if m.status[self.slot] == Status.LEFT:
            return "left"
        window = self.model.cfg.population.active_window_days
        return "active" if m.last_post_day[self.slot] > day - window else "lurker"

    @property
    def needs(self) -> dict[str, float]:
        return dict(zip(self._m.need_names, self._m.needs[self.slot].round(3).tolist()))

    @property
    def satisfaction(self) -> float:
        return float(self._m.satisfaction[self.slot])

    @property
    def habit(self) -> float:
        return float(self._m.habit[self.slot])

    @property
    def trust(self) -> float:
        return float(self._m.trust[self.slot])

    @property
    def messages(self) -> int:
        return int(self._m.messages[self.slot])

    def __repr__(self) -> str:
        return f"Member(slot={self.slot}, role={self.role}, status={self.status})"
