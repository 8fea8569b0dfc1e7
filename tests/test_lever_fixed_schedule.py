"""Fixed schedule (000): the operator posts at fixed hours.

Claims (DOMAIN.md §2, ``sim/strategies/fixed_schedule.py``): posts at fixed
times build a reading habit and do not disturb (the body clock of the
group-buy customers). Compared with the same content lever alone
(``strategy=content`` vs ``strategy=fixed_schedule``, which is that content
plus the schedule): members read more by habit, and under a heavy content
load fewer are driven out by the unread flood. The schedule shapes the
operator's own posts only, and costs nothing extra.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import paired

SEEDS = tuple(range(8))
BASE = ("days=60",)
CONTENT = (*BASE, "strategy=content")
SCHEDULED = (*BASE, "strategy=fixed_schedule")
HEAVY = ("strategy.content.posts=30",)  # enough operator posts to flood the red dot


@pytest.fixture(scope="module")
def pairs():
    return paired(CONTENT, SCHEDULED, seeds=SEEDS)


@pytest.fixture(scope="module")
def heavy():
    return paired((*CONTENT, *HEAVY), (*SCHEDULED, *HEAVY), seeds=SEEDS)


def present_mean(run, column: str) -> float:
    m = run.model.members
    return float(m.column(column)[m.present].mean())


def overload_exits(run) -> int:
    return int((run.members["exit_reason"] == "overload").sum())


def test_same_content_in_both_arms(pairs):
    for content, scheduled in pairs:
        assert content.config.strategy.content == scheduled.config.strategy.content
        assert not content.config.strategy.fixed_schedule.enabled
        assert scheduled.config.strategy.fixed_schedule.enabled
        assert (content.daily["operator_messages"] == scheduled.daily["operator_messages"]).all()


def test_fixed_times_build_a_reading_habit(pairs):
    gains = [present_mean(s, "habit") - present_mean(c, "habit") for c, s in pairs]
    assert np.mean(gains) >= 0.05, gains
    assert sum(g > 0 for g in gains) >= len(gains) - 1, gains


def test_habit_shows_as_more_active_members(pairs):
    def late_active(run):
        return run.daily["active"].iloc[-14:].mean()

    gains = [late_active(s) - late_active(c) for c, s in pairs]
    assert np.mean(gains) >= 3.0, gains


def test_fewer_members_driven_out_by_the_flood_under_heavy_content(heavy):
    content = sum(overload_exits(c) for c, _ in heavy)
    scheduled = sum(overload_exits(s) for _, s in heavy)
    assert content >= 40, "heavy content must flood someone for the claim to be testable"
    assert scheduled <= 0.7 * content, (content, scheduled)


def test_fewer_members_mute_under_heavy_content(heavy):
    def late_muted(run):
        return run.daily["muted"].iloc[-14:].mean()

    content = np.mean([late_muted(c) for c, _ in heavy])
    scheduled = np.mean([late_muted(s) for _, s in heavy])
    assert scheduled <= 0.8 * content, (content, scheduled)


def test_scheduled_posts_weigh_less_on_the_unread_flood():
    """The relief alone (no habit term) already keeps members from being flooded out."""
    relief_only = ("strategy.fixed_schedule.habit=0",)
    runs = paired((*CONTENT, *HEAVY), (*SCHEDULED, *HEAVY, *relief_only), seeds=SEEDS[:6])
    content = sum(overload_exits(c) for c, _ in runs)
    scheduled = sum(overload_exits(s) for _, s in runs)
    assert content >= 40, "heavy content must flood someone for the claim to be testable"
    assert scheduled <= 0.7 * content, (content, scheduled)
    habit = np.mean([present_mean(s, "habit") - present_mean(c, "habit") for c, s in runs])
    assert habit > 0  # members who are not flooded keep reading


def test_the_schedule_only_shapes_operator_posts():
    """With no operator posts and no habit term, a schedule changes nothing at all."""
    quiet = ("strategy.content.posts=0",)
    runs = paired((*CONTENT, *quiet), (*SCHEDULED, *quiet, "strategy.fixed_schedule.habit=0"),
                  seeds=SEEDS[:2])
    for content, scheduled in runs:
        assert content.daily.equals(scheduled.daily)


def test_costs_nothing_beyond_the_content(pairs):
    for content, scheduled in pairs:
        assert (content.daily["spend_hours"] == scheduled.daily["spend_hours"]).all()
        assert scheduled.daily["spend_money"].sum() == 0
