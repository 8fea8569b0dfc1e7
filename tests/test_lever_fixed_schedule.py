"""Fixed schedule (000): the operator posts at fixed hours.

Claims (DOMAIN.md §2, ``sim/strategies/fixed_schedule.py``): posts at fixed
times do not disturb (the body clock of the group-buy customers: they look at
the group when the posts come and are not over-disturbed). In model v2 the
schedule marks the operator's posts (and scripted ones) as scheduled; a member
reads them at the known time in the measure of their reading habit, so they
add to the unread flood only for those not in the habit (``sim.kernels.weigh``).
Compared with the same content lever alone (``strategy=content`` vs
``strategy=fixed_schedule``, which is that content plus the schedule): under
a heavy content load fewer members are driven out by the flood, and the relief
grows with what the operator posts. With no operator posts at all the
schedule changes nothing, and it costs nothing extra.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import paired

SEEDS = tuple(range(8))
BASE = ("days=60",)
CONTENT = (*BASE, "strategy=content")
SCHEDULED = (*BASE, "strategy=fixed_schedule")
HEAVY = ("strategy.content.posts=50",)  # enough operator posts to flood the red dot
LIGHT = ("strategy.content.posts=10",)


@pytest.fixture(scope="module")
def pairs():
    return paired(CONTENT, SCHEDULED, seeds=SEEDS)


@pytest.fixture(scope="module")
def heavy():
    return paired((*CONTENT, *HEAVY), (*SCHEDULED, *HEAVY), seeds=SEEDS)


def overload_exits(run) -> int:
    return int((run.members["exit_reason"] == "overload").sum())


def test_same_content_in_both_arms(pairs):
    for content, scheduled in pairs:
        assert content.config.strategy.content == scheduled.config.strategy.content
        assert not content.config.strategy.fixed_schedule.enabled
        assert scheduled.config.strategy.fixed_schedule.enabled
        assert (content.daily["operator_messages"] == scheduled.daily["operator_messages"]).all()


def test_fewer_members_driven_out_by_the_flood_under_heavy_content(heavy):
    content = [overload_exits(c) for c, _ in heavy]
    scheduled = [overload_exits(s) for _, s in heavy]
    assert sum(content) >= 40, "heavy content must flood someone for the claim to be testable"
    assert sum(scheduled) <= 0.85 * sum(content), (content, scheduled)
    assert sum(s < c for c, s in zip(content, scheduled)) >= len(heavy) - 1, (content, scheduled)


def test_more_members_stay_and_talk_under_heavy_content(heavy):
    """Those not flooded out stay in the group and keep talking (members' own messages)."""
    kept = [s.daily["members"].iloc[-1] - c.daily["members"].iloc[-1] for c, s in heavy]
    talk = [s.daily["conversation"].mean() - c.daily["conversation"].mean() for c, s in heavy]
    assert np.mean(kept) >= 3.0, kept
    assert np.mean(talk) > 0 and sum(t > 0 for t in talk) >= len(heavy) - 2, talk


def test_relief_grows_with_what_the_operator_posts(heavy):
    """Only scheduled posts are relieved: ten posts a day leave little to relieve, fifty a lot."""
    light = paired((*CONTENT, *LIGHT), (*SCHEDULED, *LIGHT), seeds=SEEDS)

    def relief(runs):
        return sum(overload_exits(c) - overload_exits(s) for c, s in runs)

    def kept(runs):
        return np.mean([s.daily["members"].iloc[-1] - c.daily["members"].iloc[-1] for c, s in runs])

    assert relief(heavy) >= 2 * max(relief(light), 1), (relief(light), relief(heavy))
    assert kept(heavy) > kept(light), (kept(light), kept(heavy))


def test_the_schedule_only_shapes_operator_posts():
    """With no operator posts at all (no content, no owner persona), a schedule changes nothing."""
    quiet = ("strategy.content.posts=0", "group.owner_posts_per_day=0")
    runs = paired((*CONTENT, *quiet), (*SCHEDULED, *quiet), seeds=SEEDS[:2])
    for content, scheduled in runs:
        assert content.daily.equals(scheduled.daily)


def test_costs_nothing_beyond_the_content(pairs):
    for content, scheduled in pairs:
        assert (content.daily["spend_hours"] == scheduled.daily["spend_hours"]).all()
        assert scheduled.daily["spend_money"].sum() == 0
