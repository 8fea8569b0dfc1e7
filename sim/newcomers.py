"""Who a new member is: needs, intensity, disposition, attention.

Founding members and later joiners are drawn the same way, from the group's
need profile and role mix. Founders come from their own stream, so every
strategy starts from the same people. A joiner's traits come from a stream
keyed by the day and the candidate's place in that day's queue, so the
k-th candidate of a day is the same person whatever else changed that day.
"""

from __future__ import annotations

import numpy as np

from sim.config import RunConfig
from sim.members import TALK_BY_ROLE, Role


def draw_traits(cfg: RunConfig, rng: np.random.Generator, count: int, mismatch: float = 0.0,
                role: np.ndarray | None = None, competition: float = 1.0) -> dict[str, np.ndarray]:
    """Traits of ``count`` new members.

    ``mismatch`` in [0, 1] flattens needs away from the group's profile:
    members brought by rewarded invitations, or a group whose purpose is
    vague, fit it less (000, 002). ``role`` fixes dispositions where it is
    not -1 (the owner and admins of a founding group) before talkativeness is
    derived from them; the draws are taken either way, so nobody else's
    traits move. ``competition`` scales how many other groups members are in.
    """
    group, pop = cfg.group, cfg.population
    profile = np.array(list(group.need_profile.values()), dtype=float)
    profile = profile / profile.sum()
    flat = np.ones_like(profile) / len(profile)
    mean = (1 - mismatch) * profile + mismatch * flat
    alpha = np.maximum(mean * group.need_concentration, 1e-3)
    needs = rng.dirichlet(alpha, size=count)

    roles = group.roles
    shares = np.array([roles.core, roles.lurkers, roles.contrarians, roles.spammers])
    kinds = np.array([Role.CORE, Role.LURKER, Role.CONTRARIAN, Role.SPAMMER, Role.MEMBER])
    pick = rng.random(count)
    drawn = kinds[np.searchsorted(np.cumsum(shares), pick, side="right")]
    role = drawn if role is None else np.where(np.asarray(role) >= 0, role, drawn).astype(np.int64)

    a = 4.0 * group.need_intensity
    intensity = rng.beta(a, 4.0 - a, size=count)
    talk = np.exp(pop.talk_spread * rng.standard_normal(count) - pop.talk_spread**2 / 2)
    capacity = pop.attention_capacity * np.exp(
        pop.capacity_spread * rng.standard_normal(count) - pop.capacity_spread**2 / 2
    )
    # Other groups competing for the same attention: heavy-tailed (a few people are in
    # dozens of groups); this group gets an equal share of what is left.
    others = competition * pop.other_groups * np.exp(
        pop.other_groups_spread * rng.standard_normal(count) - pop.other_groups_spread**2 / 2)
    return {
        "needs": needs, "role": role, "intensity": intensity,
        "talk": talk * TALK_BY_ROLE[role], "attention": capacity / (1.0 + others),
        "other_groups": others,
        "need_left": np.ones(count), "habit": np.full(count, pop.newcomer_habit),
        "satisfaction": np.zeros(count),
    }


def draw_joiners(cfg: RunConfig, streams, day: int, count: int, mismatch: float = 0.0,
                 competition: float = 1.0) -> dict[str, np.ndarray]:
    """Traits of a day's ``count`` candidates, each from its own (day, place) stream."""
    each = [draw_traits(cfg, streams.generator("candidate", day, k), 1, mismatch,
                        competition=competition) for k in range(count)]
    return {name: np.concatenate([t[name] for t in each]) for name in each[0]}


def starting_trust(cfg: RunConfig, knows_owner: np.ndarray) -> np.ndarray:
    """Trust in the owner: people who know a charismatic owner start higher (001, 003)."""
    return 0.2 + 0.5 * cfg.group.owner_charisma * knows_owner
