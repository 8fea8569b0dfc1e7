"""A playbook: the operator's levers on a schedule, within a money and time budget.

The playbook is the strategy a run is labelled with (``strategy=rules``): it
holds zero or more levers (``none`` holds none: the baseline) and runs those
due each day in a fixed order, standing rules first, while the run's money
and the day's hours last. What could not be afforded is counted, not hidden.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, ClassVar

from sim.checks import Checked, ranged
from sim.strategies.admission import Admission, AdmissionParams
from sim.strategies.base import Lever
from sim.strategies.checkin import Checkin, CheckinParams
from sim.strategies.content import Content, ContentParams
from sim.strategies.fixed_schedule import FixedSchedule, FixedScheduleParams
from sim.strategies.hard_sell import HardSell, HardSellParams
from sim.strategies.invite_campaign import InviteCampaign, InviteCampaignParams
from sim.strategies.kol import Kol, KolParams
from sim.strategies.milestones import Milestones, MilestonesParams
from sim.strategies.offline_events import OfflineEvents, OfflineEventsParams
from sim.strategies.onboarding import Onboarding, OnboardingParams
from sim.strategies.red_packets import RedPackets, RedPacketsParams
from sim.strategies.rewards import Rewards, RewardsParams
from sim.strategies.rules import Rules, RulesParams
from sim.strategies.topics import Topics, TopicsParams

if TYPE_CHECKING:
    from sim.model import GroupModel
    from sim.randomness import Streams

# Order of play within a day: standing rules, then welcome, content, talk, money.
LEVERS: dict[str, type[Lever]] = {
    cls.name: cls
    for cls in (
        Admission, FixedSchedule, Rules, InviteCampaign, Onboarding, Content, Topics,
        Checkin, Kol, HardSell, RedPackets, Milestones, Rewards, OfflineEvents,
    )
}


@dataclass
class PlaybookConfig(Checked):
    """``strategy``: a named set of levers with their parameters and a budget."""

    PREFIX: ClassVar[str] = "strategy"
    name: str = "none"
    description: str = ""
    budget_money: float = ranged(0.0, 0.0, None)
    hours_per_day: float = ranged(2.0, 0.0, 24.0)
    admission: AdmissionParams = field(default_factory=AdmissionParams)
    fixed_schedule: FixedScheduleParams = field(default_factory=FixedScheduleParams)
    rules: RulesParams = field(default_factory=RulesParams)
    invite_campaign: InviteCampaignParams = field(default_factory=InviteCampaignParams)
    onboarding: OnboardingParams = field(default_factory=OnboardingParams)
    content: ContentParams = field(default_factory=ContentParams)
    topics: TopicsParams = field(default_factory=TopicsParams)
    checkin: CheckinParams = field(default_factory=CheckinParams)
    kol: KolParams = field(default_factory=KolParams)
    hard_sell: HardSellParams = field(default_factory=HardSellParams)
    red_packets: RedPacketsParams = field(default_factory=RedPacketsParams)
    milestones: MilestonesParams = field(default_factory=MilestonesParams)
    rewards: RewardsParams = field(default_factory=RewardsParams)
    offline_events: OfflineEventsParams = field(default_factory=OfflineEventsParams)

    def lever_params(self) -> dict[str, object]:
        """Enabled levers' parameters, by lever name, in order of play."""
        return {name: getattr(self, name) for name in LEVERS if getattr(self, name).enabled}


assert {f.name for f in fields(PlaybookConfig)} >= set(LEVERS), "every lever needs a config field"


class Playbook:
    """Runs the enabled levers each day within budget and keeps the books."""

    def __init__(self, cfg: PlaybookConfig, streams: Streams) -> None:
        self.cfg = cfg
        self.levers = [LEVERS[name](params, streams) for name, params in cfg.lever_params().items()]
        self.money_left = cfg.budget_money
        self.spent_money = self.spent_hours = 0.0
        self.uses: Counter[str] = Counter()
        self.unaffordable: Counter[str] = Counter()

    def setup(self, model: GroupModel) -> None:
        for lever in self.levers:
            lever.setup(model)

    def act(self, model: GroupModel) -> None:
        """Pull every lever that is due today and affordable, in order."""
        self.spent_money = self.spent_hours = 0.0
        hours_left = self.cfg.hours_per_day
        for lever in self.levers:
            if not lever.due(model):
                continue
            money, hours = lever.cost(model)
            if money > self.money_left + 1e-9 or hours > hours_left + 1e-9:
                self.unaffordable[lever.name] += 1
                continue
            lever.act(model)
            self.money_left -= money
            hours_left -= hours
            self.spent_money += money
            self.spent_hours += hours
            self.uses[lever.name] += 1
