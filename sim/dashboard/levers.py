"""The dashboard's lever controls: every lever's on/off switch and its main knobs.

The controls start from the chosen playbook's own settings and are always
sent in full, so what the page shows is exactly what runs: a trainee can
switch a playbook's lever off as easily as switch another one on. Each lever
carries the Chinese term operators use (红包, 群规, …) and a one-line help;
the English label and help are msgids of the ``dashboard`` catalog.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from sim.api import compose_config
from sim.strategies.playbook import LEVERS, PlaybookConfig

_HYDRA = threading.Lock()  # Hydra's compose state is global; two tabs may compose at once


@dataclass(frozen=True)
class Knob:
    """One number under ``strategy`` (``red_packets.money``), shown as ``value × scale`` ``unit``."""

    key: str
    label: str
    unit: str
    lo: float
    hi: float
    step: float = 1
    scale: float = 1  # 100 shows a share as a percentage

    @property
    def integer(self) -> bool:
        return float(self.step).is_integer() and self.scale == 1


@dataclass(frozen=True)
class LeverControl:
    name: str  # the lever's config name (``sim.strategies.playbook.LEVERS``)
    term: str  # the operators' own word, shown in both languages
    label: str
    help: str
    knobs: tuple[Knob, ...] = ()


DAYS, YUAN, PER_DAY, PEOPLE, PERCENT = "days", "¥", "a day", "people", "%"
LEVER_CONTROLS = (
    LeverControl("red_packets", "红包", "Red packets",
                 "A lucky-draw packet: a burst of thanks, lurkers keep lurking, sales barely move (000).",
                 (Knob("red_packets.money", "Amount", YUAN, 0, 500, 5),
                  Knob("red_packets.every", "Every", DAYS, 1, 60))),
    LeverControl("rules", "群规", "Strict rules",
                 "Catch spammers and remove repeat offenders publicly (杀鸡儆猴); chills some chat (000, 004).",
                 (Knob("rules.strictness", "Offenders caught", PERCENT, 0, 1, 0.05, 100),)),
    LeverControl("topics", "制造话题", "Hot topics",
                 "Start a discussion on members' needs with helpers (托); heated ones turn into quarrels (001, 000).",
                 (Knob("topics.every", "Every", DAYS, 1, 30),)),
    LeverControl("kol", "扶持KOL", "KOLs",
                 "Promote engaged members to share and meet each other: a mesh that outlives the owner (000, 001).",
                 (Knob("kol.kols", "KOLs", PEOPLE, 1, 20),)),
    LeverControl("content", "干货", "Useful content",
                 "Need-matched posts (有用、有趣、有料) keep a group alive; daily chicken soup irritates (001, 000).",
                 (Knob("content.posts", "Posts", PER_DAY, 0, 10),
                  Knob("content.soup", "Chicken soup (鸡汤)", PERCENT, 0, 1, 0.1, 100))),
    LeverControl("checkin", "打卡", "Check-in",
                 "A daily learning check-in: members with the need take part; noise to the rest (001).",
                 (Knob("checkin.strength", "Strength", PERCENT, 0, 1, 0.1, 100),)),
    LeverControl("offline_events", "线下活动", "Offline meet-ups",
                 "Meet in person: ties deepen and lurkers wake up; costly and rare (000, 001, 003).",
                 (Knob("offline_events.every", "Every", DAYS, 7, 180),
                  Knob("offline_events.money", "Cost", YUAN, 0, 5000, 100))),
    LeverControl("admission", "付费入群 / 门槛", "Entry threshold or fee",
                 "Screen joiners and optionally charge a fee: committed members, slower growth (000, 004).",
                 (Knob("admission.fee", "Entry fee", YUAN, 0, 500, 1),)),
    LeverControl("invite_campaign", "裂变 / 邀请", "Invitation campaign",
                 "Pay members per invited friend: fast growth with less-matched newcomers (000).",
                 (Knob("invite_campaign.reward_per_join", "Reward per join", YUAN, 0, 50, 1),
                  Knob("invite_campaign.stop_day", "Until day", DAYS, 1, 365))),
    LeverControl("hard_sell", "硬广", "Hard-sell ads",
                 "Product posts sell to those who need them; when selling fills the feed, people leave (000).",
                 (Knob("hard_sell.posts", "Ads", PER_DAY, 0, 20),)),
    LeverControl("onboarding", "新人欢迎", "Onboarding",
                 "Newcomers introduce themselves, learn the rules and get matched with members (001).",),
    LeverControl("fixed_schedule", "定时发布", "Fixed schedule",
                 "Operator posts at fixed hours disturb less and build a reading habit (000).",),
    LeverControl("rewards", "活跃奖励", "Activity prizes",
                 "Public prizes for the most active members spur the others on (001, 003).",
                 (Knob("rewards.every", "Every", DAYS, 7, 90),
                  Knob("rewards.prize", "Prize", YUAN, 0, 500, 10))),
    LeverControl("milestones", "里程碑红包", "Milestone packets",
                 "A red packet when members or orders cross a mark: a sense of belonging (000).",),
)
BUDGET = (Knob("budget_money", "Money budget", YUAN, 0, 20000, 500),
          Knob("hours_per_day", "Operator hours", "hours a day", 0, 12, 0.5))
KNOBS = {knob.key: knob for knob in BUDGET + tuple(k for lever in LEVER_CONTROLS for k in lever.knobs)}
assert {lever.name for lever in LEVER_CONTROLS} == set(LEVERS), "every lever needs a control"

Settings = dict[str, "float | bool"]  # "red_packets.enabled" -> bool, "red_packets.money" -> 20.0


def playbook_config(strategy: str) -> PlaybookConfig:
    """The named playbook's validated config (``configs/strategy/NAME.yaml``)."""
    with _HYDRA:
        return compose_config([f"strategy={strategy}"]).strategy


def settings_of(book: PlaybookConfig) -> Settings:
    """Every control's value in a playbook config: its levers' switches and knobs."""
    settings: Settings = {f"{lever.name}.enabled": bool(getattr(book, lever.name).enabled)
                          for lever in LEVER_CONTROLS}
    for key in KNOBS:
        owner, _, field = key.rpartition(".")
        settings[key] = getattr(getattr(book, owner) if owner else book, field)
    return settings


def playbook_settings(strategy: str) -> Settings:
    """A fresh copy of the named playbook's settings (composed once per process)."""
    return dict(_playbook_settings(strategy))


@lru_cache(maxsize=None)
def _playbook_settings(strategy: str) -> Settings:
    return settings_of(playbook_config(strategy))


def overrides(settings: Settings) -> list[str]:
    """Hydra overrides setting every control, switches included (none is left implicit)."""
    unknown = set(settings) - set(KNOBS) - {f"{lever.name}.enabled" for lever in LEVER_CONTROLS}
    if unknown:
        raise KeyError(f"unknown dashboard control(s): {', '.join(sorted(unknown))}")
    def text(value: float | bool) -> str:
        if isinstance(value, bool):
            return str(value).lower()
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return [f"strategy.{key}={text(value)}" for key, value in settings.items()]


def changed(settings: Settings, strategy: str) -> dict[str, tuple[float | bool, float | bool]]:
    """Controls that differ from the playbook's own setting: key -> (playbook's, ours)."""
    base = playbook_settings(strategy)
    return {key: (base.get(key), value) for key, value in settings.items() if base.get(key) != value}
