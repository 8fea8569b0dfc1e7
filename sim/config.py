"""Structured configs: the typed schema behind ``configs/`` and its validation.

Hydra composes YAML onto these dataclasses; ``load_config`` turns the result
into objects, which runs every declared range check (``sim.checks``) so bad
input fails before a run starts. Numbers with a source live in the YAML files
with their citation; the defaults here are neutral placeholders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from sim.checks import Checked, ConfigError, ranged
from sim.strategies.playbook import PlaybookConfig

REQUIRED_NEEDS = ("learning", "social", "purchase")


@dataclass
class RoleMix(Checked):
    """Shares of the initial members by disposition (002, 004, 000).

    The owner is one member; ``admins`` is a head count; the other shares are
    fractions of the rest, and whoever is left over is an ordinary member.
    """

    PREFIX: ClassVar[str] = "group.roles"
    admins: int = ranged(1, 0, 20)
    core: float = ranged(0.03, 0.0, 1.0)
    lurkers: float = ranged(0.5, 0.0, 1.0)
    contrarians: float = ranged(0.02, 0.0, 1.0)
    spammers: float = ranged(0.02, 0.0, 1.0)

    def __post_init__(self) -> None:
        super().__post_init__()
        total = self.core + self.lurkers + self.contrarians + self.spammers
        if total > 1.0:
            raise ConfigError(
                f"group.roles: core + lurkers + contrarians + spammers must be <= 1, got {total:g}"
            )


@dataclass
class GroupVariation(Checked):
    """How much groups of one archetype differ from each other, drawn once per group.

    Qiu et al. (WWW 2016) find groups split into short- and long-lived and that
    long-term success is predictable from the first day: fate is set early by
    traits of the group itself. Each is a lognormal spread (0: every group of
    the archetype is the same) on: founding size, tie density (the mesh and
    how many know the owner), the owner's engagement (persona posts), how well
    members' needs fit the group's purpose (002: wrong positioning is the most
    common cause of failure), how talkative the people it gathered are, and
    how many other groups compete for members' attention.
    """

    PREFIX: ClassVar[str] = "group.variation"
    size: float = ranged(0.4, 0.0, 3.0)
    ties: float = ranged(0.6, 0.0, 3.0)
    owner: float = ranged(0.6, 0.0, 3.0)
    fit: float = ranged(0.35, 0.0, 1.0)
    talk: float = ranged(0.6, 0.0, 3.0)
    competition: float = ranged(0.5, 0.0, 3.0)


@dataclass
class GroupConfig(Checked):
    """One group archetype: who is in it, why, and what keeps it going."""

    PREFIX: ClassVar[str] = "group"
    name: str = "interest"
    description: str = ""
    initial_members: int = ranged(120, 2, None)
    need_profile: dict[str, float] = field(
        default_factory=lambda: {"learning": 0.5, "social": 0.3, "purchase": 0.2}
    )
    need_concentration: float = ranged(4.0, 0.1, 1000.0)
    need_intensity: float = ranged(0.6, 0.01, 0.99)
    roles: RoleMix = field(default_factory=RoleMix)
    variation: GroupVariation = field(default_factory=GroupVariation)
    knows_owner: float = ranged(0.55, 0.0, 1.0)
    mesh_ties: float = ranged(1.0, 0.0, 50.0)
    owner_charisma: float = ranged(0.5, 0.0, 1.0)
    owner_posts_per_day: float = ranged(1.0, 0.0, 100.0)
    owner_active_days: int = ranged(0, 0, None)
    owner_offers_per_day: float = ranged(0.0, 0.0, 100.0)
    chat_propensity: float = ranged(0.3, 0.0, 50.0)
    event_days: int = ranged(0, 0, None)
    event_posts_per_day: float = ranged(0.0, 0.0, 500.0)
    event_need: str = "learning"
    event_stir: float = ranged(0.0, 0.0, 50.0)
    fulfilment_rate: float = ranged(0.0, 0.0, 1.0)
    qr_inflow_per_day: float = ranged(0.0, 0.0, 100.0)
    invite_rate: float = ranged(0.003, 0.0, 1.0)
    base_conversion: float = ranged(0.002, 0.0, 1.0)
    price: float = ranged(50.0, 0.0, None)
    repurchase_days: int = ranged(30, 1, None)

    def __post_init__(self) -> None:
        super().__post_init__()
        missing = [n for n in REQUIRED_NEEDS if n not in self.need_profile]
        if missing:
            raise ConfigError(
                f"group.need_profile must name {', '.join(REQUIRED_NEEDS)} (more needs are allowed), "
                f"missing {', '.join(missing)}"
            )
        for need, weight in self.need_profile.items():
            if not 0.0 <= weight <= 1.0:
                raise ConfigError(f"group.need_profile.{need} must be [0, 1], got {weight!r}")
        if sum(self.need_profile.values()) <= 0:
            raise ConfigError("group.need_profile weights must not all be 0")
        if self.event_need not in self.need_profile:
            raise ConfigError(
                f"group.event_need must be one of {sorted(self.need_profile)}, got {self.event_need!r}"
            )


@dataclass
class PopulationConfig(Checked):
    """How people behave in any group: attention, habit, tolerance, memory."""

    PREFIX: ClassVar[str] = "population"
    attention_capacity: float = ranged(240.0, 1.0, 100_000.0)
    capacity_spread: float = ranged(0.5, 0.0, 3.0)
    talk_spread: float = ranged(0.8, 0.0, 3.0)
    novelty_days: float = ranged(4.0, 0.1, None)
    novelty_boost: float = ranged(2.0, 0.0, 50.0)
    active_window_days: int = ranged(7, 1, 365)
    memory: float = ranged(0.25, 0.01, 1.0)
    habit_rate: float = ranged(0.15, 0.0, 1.0)
    habit_floor: float = ranged(0.05, 0.0, 1.0)
    momentum: float = ranged(1.0, 0.0, 20.0)
    friend_pull: float = ranged(1.0, 0.0, 20.0)
    # value of what is read (saturating: the n-th useful post is worth less)
    content_value: float = ranged(1.0, 0.0, None)
    content_half: float = ranged(3.0, 0.01, None)
    chat_value: float = ranged(0.4, 0.0, None)
    chat_half: float = ranged(10.0, 0.01, None)
    tie_value: float = ranged(0.4, 0.0, None)
    tie_half: float = ranged(2.0, 0.01, None)
    # commitment: what keeps a member through a bad spell, accrued with tenure
    # (Zhang et al. KDD 2016: the quit hazard falls with tenure)
    newcomer_habit: float = ranged(0.5, 0.0, 1.0)
    first_impressions: bool = True
    tie_commitment: float = ranged(0.25, 0.0, 10.0)
    benefit_commitment: float = ranged(0.08, 0.0, 10.0)
    invest_commitment: float = ranged(0.02, 0.0, 10.0)
    practice: float = ranged(0.03, 0.0, 1.0)
    # other groups competing for a member's attention (heavy-tailed counts)
    other_groups: float = ranged(5.0, 0.0, 500.0)
    other_groups_spread: float = ranged(1.0, 0.0, 3.0)
    # newcomers do not yet know what is welcome (Matias 2019: telling them helps)
    norm_hesitation: float = ranged(0.85, 0.0, 1.0)
    norm_learning: float = ranged(0.01, 0.0, 10.0)
    recognition_voice: float = ranged(1.0, 0.0, 20.0)
    # gift contagion: recipients send red packets back (Yuan et al. 2024)
    packet_lucky_send: float = ranged(0.6, 0.0, 1.0)
    packet_other_send: float = ranged(0.1, 0.0, 1.0)
    packet_send_multiple: float = ranged(1.5, 0.0, 10.0)
    packet_min_grab: float = ranged(1.0, 0.01, None)  # one fen: the smallest share WeChat pays
    packet_shares: int = ranged(10, 1, 500)
    packet_thanks: float = ranged(1.0, 0.0, 1.0)
    # cost of what is read
    noise_cost: float = ranged(0.6, 0.0, None)
    spam_cost: float = ranged(0.08, 0.0, None)
    quarrel_cost: float = ranged(0.05, 0.0, None)
    ad_cost: float = ranged(0.03, 0.0, None)
    ad_tolerance: float = ranged(0.2, 0.0, 1.0)
    # the exit ladder
    mute_threshold: float = ranged(-0.05, -5.0, 5.0)
    mute_rate: float = ranged(0.08, 0.0, 1.0)
    leave_threshold: float = ranged(-0.4, -5.0, 5.0)
    leave_rate: float = ranged(0.15, 0.0, 1.0)
    exit_width: float = ranged(0.15, 0.001, 5.0)
    muted_leave_rate: float = ranged(0.02, 0.0, 1.0)
    muted_sink_days: float = ranged(30.0, 0.1, 3650.0)
    unmute_rate: float = ranged(0.002, 0.0, 1.0)
    social_exit: float = ranged(0.5, 0.0, 10.0)
    fulfilled_leave_rate: float = ranged(0.1, 0.0, 1.0)
    # replies and ties (Joyce & Kraut 2006: a reply brings a newcomer back)
    reply_rate: float = ranged(0.05, 0.0, 10.0)
    friend_reply: float = ranged(0.3, 0.0, 10.0)
    reply_habit_boost: float = ranged(0.15, 0.0, 1.0)
    tie_per_reply: float = ranged(0.3, 0.0, 1.0)
    reply_welcomes: float = ranged(1.0, 0.0, 1.0)
    # purchases
    trust_gain: float = ranged(0.02, 0.0, 1.0)
    trust_loss: float = ranged(0.05, 0.0, 1.0)
    quarrel_rate: float = ranged(0.05, 0.0, 10.0)
    spam_rate: float = ranged(1.5, 0.0, 100.0)
    ad_share_of_spam: float = ranged(0.5, 0.0, 1.0)


@dataclass
class PlatformConfig(Checked):
    """WeChat's rules (004): QR joining up to 100, approval beyond, a hard cap."""

    PREFIX: ClassVar[str] = "platform"
    name: str = "wechat"
    qr_join_limit: int = ranged(100, 0, None)
    member_cap: int = ranged(500, 2, None)
    approval_rate: float = ranged(0.6, 0.0, 1.0)


@dataclass
class DeathConfig(Checked):
    """What "the group died" means: a run of quiet days."""

    PREFIX: ClassVar[str] = "death"
    quiet_messages: int = ranged(3, 0, None)
    quiet_days: int = ranged(7, 1, None)


@dataclass
class RunConfig(Checked):
    """One simulated group under one playbook for ``days`` days.

    ``replications`` > 1 runs seeds ``seed .. seed + replications - 1`` in one
    job (one run folder each), to spread a sweep job's start-up cost.
    """

    days: int = ranged(180, 1, 3650)
    seed: int = ranged(0, 0, 2**32 - 1)
    replications: int = ranged(1, 1, 100_000)
    group: GroupConfig = field(default_factory=GroupConfig)
    population: PopulationConfig = field(default_factory=PopulationConfig)
    platform: PlatformConfig = field(default_factory=PlatformConfig)
    strategy: PlaybookConfig = field(default_factory=PlaybookConfig)
    death: DeathConfig = field(default_factory=DeathConfig)

    def __post_init__(self) -> None:
        super().__post_init__()
        checkin = self.strategy.checkin
        if checkin.enabled and checkin.need not in self.group.need_profile:
            raise ConfigError(
                f"strategy.checkin.need must be one of {', '.join(self.group.need_profile)}, "
                f"got {checkin.need!r}"
            )
        last_seed = self.seed + self.replications - 1
        if last_seed > 2**32 - 1:
            raise ConfigError(f"seed + replications - 1 must be <= {2**32 - 1} (seeds are 32-bit), "
                              f"got seed={self.seed} replications={self.replications}")
        cap = self.platform.member_cap
        if self.group.initial_members > cap:
            raise ConfigError(
                f"group.initial_members must be [2, {cap}] on platform {self.platform.name!r}, "
                f"got {self.group.initial_members}"
            )

    @property
    def needs(self) -> list[str]:
        return list(self.group.need_profile)


def register_configs() -> None:
    """Register the schema so ``configs/config.yaml`` can extend it."""
    ConfigStore.instance().store(name="groupsim_schema", node=RunConfig)


def load_config(cfg: DictConfig | dict[str, Any]) -> RunConfig:
    """Validate a composed config and return it as typed objects."""
    typed = isinstance(cfg, DictConfig) and OmegaConf.get_type(cfg) is RunConfig
    merged = cfg if typed else OmegaConf.merge(OmegaConf.structured(RunConfig), cfg)
    try:
        return OmegaConf.to_object(merged)
    except ConfigError:
        raise
    except Exception as exc:  # OmegaConf wraps errors raised in __post_init__
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, ConfigError):
            raise cause from None
        raise
