"""WeChat's joining rules and invitation-driven growth.

Groups grow by invitation (裂变, 000): satisfied members bring friends, more
when invitations are rewarded. Anyone may join by QR code until the group
has 100 members; beyond that a join needs an invitation and the owner's
approval; a group holds at most 500 (004, platform limit). An operator's
admission threshold or entry fee filters candidates (000, 004).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.config import PlatformConfig
from sim.members import Role
from sim.newcomers import draw_joiners, starting_trust
from sim.randomness import Draw

if TYPE_CHECKING:
    from sim.model import GroupModel


class Platform:
    """Decides who joins today, under the platform's caps and the operator's filters."""

    def __init__(self, cfg: PlatformConfig) -> None:
        self.cfg = cfg

    def invitations(self, model: GroupModel, u: np.ndarray) -> np.ndarray:
        """Slots of members who invite a friend today (one invitation each)."""
        m, group, policy = model.members, model.cfg.group, model.policy
        keen = np.maximum(m.column("satisfaction"), 0.0)
        p = group.invite_rate * (1 + policy.invite_bonus) * m.column("habit") * (0.5 + 4 * keen)
        inviting = m.reachable & (u[:, Draw.INVITE] < p)
        inviting[:1] = False  # the owner's own recruiting is a lever, not a habit
        return np.flatnonzero(inviting)

    def admit(self, model: GroupModel, u: np.ndarray) -> np.ndarray:
        """Add today's joiners; returns their slots."""
        m, cfg, policy = model.members, self.cfg, model.policy
        present = int(m.present.sum())
        inviters = self.invitations(model, u)
        if present >= cfg.qr_join_limit:
            inviters = inviters[u[inviters, Draw.APPROVE] < cfg.approval_rate]
            walk_ins = 0
        elif model.cfg.group.qr_inflow_per_day > 0:
            rng = model.streams.generator("qr", model.day)
            walk_ins = int(rng.poisson(model.cfg.group.qr_inflow_per_day))
        else:
            walk_ins = 0
        inviter = np.concatenate([inviters, np.full(walk_ins, -1)]).astype(np.int64)
        if len(inviter) == 0:
            return np.empty(0, dtype=np.int64)

        mismatch = 1 - (1 - policy.invite_mismatch) * (1 - model.traits.mismatch)
        traits = draw_joiners(model.cfg, model.streams, model.day, len(inviter), mismatch,
                              model.traits.competition)
        rng = model.streams.generator("admission", model.day)
        willing = self._passes_admission(model, traits, rng.random((len(inviter), 2)))
        room = max(cfg.member_cap - present, 0)
        chosen = np.flatnonzero(willing)[:room]
        if len(chosen) == 0:
            return np.empty(0, dtype=np.int64)

        inviter = inviter[chosen]
        knows_owner = inviter == 0
        slots = m.add(
            len(chosen),
            **{name: value[chosen] for name, value in traits.items()},
            joined_day=model.day, invited_by=inviter, knows_owner=knows_owner,
            trust=starting_trust(model.cfg, knows_owner),
            campaign_invite=(policy.invite_bonus > 0) & (inviter >= 0),
            invested=np.full(len(chosen), policy.entry_fee),
        )
        invited = inviter >= 0
        model.ties.connect(slots[invited], inviter[invited])
        if policy.entry_fee > 0:
            model.revenue_today += policy.entry_fee * len(slots)
        return slots

    def _passes_admission(self, model: GroupModel, traits: dict[str, np.ndarray],
                          draws: np.ndarray) -> np.ndarray:
        """Operator filters: need fit above a threshold; a fee only the keen will pay."""
        policy = model.policy
        group = model.cfg.group
        n = len(traits["role"])
        keep = np.ones(n, dtype=bool)
        if policy.admission_threshold > 0:
            profile = np.array(list(group.need_profile.values()))
            profile = profile / np.linalg.norm(profile)
            needs = traits["needs"]
            fit = needs @ profile / np.linalg.norm(needs, axis=1)
            caught = (traits["role"] == Role.SPAMMER) & (draws[:, 0] < policy.screening)
            keep &= (fit >= policy.admission_threshold) & ~caught
        if policy.entry_fee > 0:
            willingness = 100.0 * traits["intensity"]
            keep &= draws[:, 1] < np.exp(-policy.entry_fee / willingness)
        return keep
