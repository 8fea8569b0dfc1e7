"""What makes one group of an archetype different from the next, drawn once per group.

Qiu et al. (WWW 2016) find that WeChat groups split into short- and
long-lived ones and that long-term success is predictable from the first
day. Fate is then set early by traits of the group itself, not by luck
alone: how many founded it, how densely they know each other and the owner,
how engaged the owner is, how well members' needs fit the group's purpose
(002: wrong positioning is the most common cause of failure), and how many
other groups compete for members' attention, and how talkative the
people it gathered are. Each is drawn from the group's
own stream (``group_traits``), so every strategy run on a seed faces the same
group, and the config's values are the archetype's medians.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from sim.config import RunConfig
from sim.randomness import Streams


# Overrides that make a run this archetype's typical group, not one drawn from its spread:
# for fitting one real group (its size and traits are the data's) and for ablations.
ONE_GROUP = tuple(f"group.variation.{k}=0" for k in
                  ("size", "ties", "owner", "fit", "talk", "competition"))


@dataclass(frozen=True)
class GroupTraits:
    """Multipliers on the archetype's medians (1 = typical), and the fit of members' needs."""

    size: float = 1.0
    ties: float = 1.0
    owner: float = 1.0
    mismatch: float = 0.0
    competition: float = 1.0
    talk: float = 1.0

    def as_dict(self) -> dict[str, float]:
        return {k: round(float(v), 6) for k, v in dataclasses.asdict(self).items()}


def draw_group_traits(cfg: RunConfig, streams: Streams) -> GroupTraits:
    """Lognormal multipliers with median 1 (spread 0: the archetype itself)."""
    spread = cfg.group.variation
    z = streams.generator("group_traits").standard_normal(6)
    return GroupTraits(
        size=float(np.exp(spread.size * z[0])),
        ties=float(np.exp(spread.ties * z[1])),
        owner=float(np.exp(spread.owner * z[2])),
        mismatch=float(spread.fit * (1.0 - np.exp(-abs(z[3])))),
        competition=float(np.exp(spread.competition * z[4])),
        talk=float(np.exp(spread.talk * z[5])),
    )


def apply(cfg: RunConfig, traits: GroupTraits) -> RunConfig:
    """The config this group actually runs on: the archetype scaled by its traits."""
    group = cfg.group
    cap = cfg.platform.member_cap
    size = int(np.clip(round(group.initial_members * traits.size), 2, cap))
    odds = group.knows_owner / max(1.0 - group.knows_owner, 1e-9) * traits.ties
    knows = float(odds / (1.0 + odds)) if group.knows_owner < 1.0 else 1.0
    return dataclasses.replace(cfg, group=dataclasses.replace(
        group, initial_members=size, mesh_ties=group.mesh_ties * traits.ties, knows_owner=knows,
        owner_posts_per_day=group.owner_posts_per_day * traits.owner,
        chat_propensity=group.chat_propensity * traits.talk,
        owner_offers_per_day=group.owner_offers_per_day * traits.owner))
