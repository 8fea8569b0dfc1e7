"""Who a new member is: needs, intensity, disposition, attention.

Founding members and later joiners are drawn the same way, from the group's
need profile and role mix. Founders come from their own stream, so every
strategy starts from the same people; a day's candidates come from that
day's stream, so joiners match across strategies until a strategy changes
who invites.
"""

from __future__ import annotations

import numpy as np

from sim.config import RunConfig
from sim.members import TALK_BY_ROLE, Role


def draw_traits(cfg: RunConfig, rng: np.random.Generator, count: int,
                mismatch: float = 0.0) -> dict[str, np.ndarray]:
    """Traits of ``count`` new members.

    ``mismatch`` in [0, 1] flattens needs away from the group's profile:
    members brought by rewarded invitations fit the group less (000).
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
    role = kinds[np.searchsorted(np.cumsum(shares), pick, side="right")]

    a = 4.0 * group.need_intensity
    intensity = rng.beta(a, 4.0 - a, size=count)
    talk = np.exp(pop.talk_spread * rng.standard_normal(count) - pop.talk_spread**2 / 2)
    capacity = pop.attention_capacity * np.exp(
        pop.capacity_spread * rng.standard_normal(count) - pop.capacity_spread**2 / 2
    )
    return {
        "needs": needs, "role": role, "intensity": intensity,
        "talk": talk * TALK_BY_ROLE[role], "attention": capacity,
        "need_left": np.ones(count), "habit": np.full(count, 0.8),
        "satisfaction": np.zeros(count),
    }


def starting_trust(cfg: RunConfig, knows_owner: np.ndarray) -> np.ndarray:
    """Trust in the owner: people who know a charismatic owner start higher (001, 003)."""
    return 0.2 + 0.5 * cfg.group.owner_charisma * knows_owner
