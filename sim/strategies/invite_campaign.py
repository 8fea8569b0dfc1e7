"""Invitation campaigns (裂变): reward members for each friend they bring."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class InviteCampaignParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.invite_campaign"
    stop_day: int = ranged(30, 0, None)
    hours: float = ranged(0.2, 0.0, 24.0)
    reward_per_join: float = ranged(5.0, 0.0, None)
    bonus: float = ranged(3.0, 0.0, 100.0)
    mismatch: float = ranged(0.5, 0.0, 1.0)


class InviteCampaign(Lever):
    """From ``start_day`` to ``stop_day``, pay ``reward_per_join`` per invited friend.

    Seed 000: fission by rewarded invitations (each invite gives a discount),
    growth with less-matched members. While the campaign runs, invitation
    rates rise by ``bonus`` and invitees' needs are pulled ``mismatch`` of
    the way from the group's profile toward indifference. Each campaign day
    the operator pays the inviters of that day's invited joiners. The
    campaign opens and closes on schedule whether or not a day's payouts
    can be afforded (unpaid days are counted by the playbook).
    """

    name = "invite_campaign"
    Params = InviteCampaignParams
    classifier = {
        "cadence": "daily",
        "touches": frozenset({"joins", "money"}),
        "spends": frozenset({"money", "hours"}),
        "stochastic": False,
        "sources": ("000", "001"),
    }

    def setup(self, model) -> None:
        self._schedule(model, day=1)

    def due(self, model) -> bool:
        # Joins are admitted each morning before the operator acts, so the
        # policy set today applies to tomorrow's joins.
        self._schedule(model, day=model.day + 1)
        return super().due(model)

    def _schedule(self, model, day: int) -> None:
        """Open the campaign for joins on ``day`` if it falls in [start_day, stop_day]."""
        p = self.params
        running = day >= p.start_day and (p.stop_day == 0 or day <= p.stop_day)
        model.set_policy(invite_bonus=p.bonus if running else 0.0,
                         invite_mismatch=p.mismatch if running else 0.0)

    def invited_today(self, model) -> np.ndarray:
        joined = model.today.joined
        return joined[model.members.campaign_invite[joined]]

    def cost(self, model) -> tuple[float, float]:
        return self.params.reward_per_join * len(self.invited_today(model)), self.params.hours

    def act(self, model) -> None:
        inviters = model.members.invited_by[self.invited_today(model)]
        model.reward(inviters, self.params.reward_per_join, thanks=0.0)
