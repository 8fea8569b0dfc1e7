"""KOL cultivation (扶持KOL / 培养核心用户): grow a mesh that does not hang on the owner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.checks import ranged
from sim.members import Role
from sim.strategies.base import Lever, LeverParams

NOT_KOL_MATERIAL = (Role.OWNER, Role.SPAMMER, Role.CONTRARIAN, Role.KOL)


@dataclass
class KolParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.kol"
    start_day: int = ranged(3, 1, None)
    hours: float = ranged(0.4, 0.0, 24.0)
    money: float = ranged(0.0, 0.0, None)
    kols: int = ranged(5, 1, 50)
    share_prob: float = ranged(0.5, 0.0, 1.0)
    posts_per_share: int = ranged(2, 1, 20)
    introductions: int = ranged(2, 0, 50)
    pay_every: int = ranged(7, 1, 365)


class Kol(Lever):
    """Promote the most engaged members to KOLs and keep them sharing.

    Seed 000: 3-7 core members carry a group; find active members and, if
    needed, pay them to share and lead. Seed 001: help members connect so the
    group is a mesh, not a star around the owner, and survives the owner
    stepping back; have active members share work experience regularly. Each
    day every KOL shares content with probability ``share_prob`` and is
    introduced to ``introductions`` members with matching needs. ``money`` is
    a fee per KOL paid every ``pay_every`` days (0: unpaid cultivation).
    """

    name = "kol"
    Params = KolParams
    classifier = {
        "cadence": "daily",
        "touches": frozenset({"feed", "ties", "roles", "money"}),
        "spends": frozenset({"money", "hours"}),
        "stochastic": True,
        "sources": ("000", "001", "003"),
    }

    def current(self, model) -> np.ndarray:
        slots = np.array(model.policy.kol_slots, dtype=np.int64)
        return slots[model.members.reachable[slots]] if len(slots) else slots

    def cost(self, model) -> tuple[float, float]:
        p = self.params
        paying = (model.day - p.start_day) % p.pay_every == 0
        return (p.money * p.kols if paying else 0.0), p.hours

    def act(self, model) -> None:
        p, m = self.params, model.members
        kols = self.current(model)
        if len(kols) < p.kols:
            kols = np.concatenate([kols, self._recruit(model, p.kols - len(kols))])
            model.promote(kols)
        rng = self.rng(model)
        sharing = kols[rng.random(len(kols)) < p.share_prob]
        model.post_as(sharing, "valuable", p.posts_per_share)
        others = np.flatnonzero(m.reachable & (m.column("role") != Role.OWNER))
        if p.introductions and len(others) and len(kols):
            similarity = np.cumsum(m.needs[kols] @ m.needs[others].T, axis=1)
            draws = rng.random((len(kols), p.introductions)) * similarity[:, -1:]
            picks = np.array([np.searchsorted(row, d) for row, d in zip(similarity, draws)])
            model.connect(np.repeat(kols, p.introductions), others[np.minimum(picks, len(others) - 1)].ravel())
        money, _ = self.cost(model)
        if money:
            model.reward(kols, p.money, thanks=0.0)

    def _recruit(self, model, count: int) -> np.ndarray:
        """The most engaged eligible members: messages weighted by need intensity."""
        m = model.members
        eligible = m.reachable & ~np.isin(m.column("role"), NOT_KOL_MATERIAL)
        score = (m.column("messages") + 1) * m.column("intensity") * m.column("habit")
        score = np.where(eligible, score, -np.inf)
        order = np.argsort(-score, kind="stable")[:count]
        return order[np.isfinite(score[order])]
