"""Rewards (001, 003): periodic prizes for the top contributors, announced in public.

Claims (DOMAIN.md §2, ``sim/strategies/rewards.py``): after the public
announcement the group is livelier than without it (the @-mention pulls
readers in, the others are spurred on); the winners are the most active
members of the period; the cost is winners x prize in money on award days.
In model v2 the spur is public recognition, a member state that lifts one's
talk (``population.recognition_voice``) until it fades: the winners, named in
public, talk more in the weeks after than the same people without the prize,
and without the recognition the prize money alone does not do it.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from conftest import surely, paired
from sim.api import compose_config
from sim.members import Role
from sim.model import GroupModel

SEEDS = tuple(range(8))
BASE = ("days=45",)
REWARDS = (*BASE, "strategy=rewards")
AWARD_DAY = 30  # RewardsParams.start_day in configs/strategy/rewards.yaml
AFTER = slice(AWARD_DAY + 1, AWARD_DAY + 7)  # the week after the announcement


@pytest.fixture(scope="module")
def pairs():
    return paired(BASE, REWARDS, seeds=SEEDS)


def window(run, column: str, days: slice) -> float:
    daily = run.daily.set_index("day")
    return float(daily.loc[days.start : days.stop, column].mean())


def test_nothing_changes_before_the_first_award(pairs):
    """Common random numbers: until the lever acts, the two runs are the same run."""
    for base, treated in pairs:
        before = slice(1, AWARD_DAY - 1)
        cols = ["members", "active", "messages", "muted"]
        b = base.daily.set_index("day").loc[before.start : before.stop, cols]
        t = treated.daily.set_index("day").loc[before.start : before.stop, cols]
        assert b.equals(t)


def test_more_messages_in_the_week_after_the_announcement(pairs):
    base = np.mean([window(b, "messages", AFTER) for b, _ in pairs])
    treated = np.mean([window(t, "messages", AFTER) for _, t in pairs])
    assert treated >= 1.1 * base, (base, treated)
    # and it is the members talking, not only the announcement itself
    base = np.mean([window(b, "conversation", AFTER) for b, _ in pairs])
    treated = np.mean([window(t, "conversation", AFTER) for _, t in pairs])
    assert treated >= 1.1 * base, (base, treated)


def test_more_active_posters_after_the_announcement(pairs):
    """Recognition lifts the recognised members' talk (v2: no habit boost for everyone), so
    the gain is a few posters, not a crowd; it must be surely above zero."""
    gains = [window(t, "active", AFTER) - window(b, "active", AFTER) for b, t in pairs]
    assert surely(gains)[0] > 0, gains


def test_announcement_day_is_a_spike(pairs):
    day = slice(AWARD_DAY, AWARD_DAY)
    base = np.mean([window(b, "messages", day) for b, _ in pairs])
    treated = np.mean([window(t, "messages", day) for _, t in pairs])
    assert treated >= 1.3 * base, (base, treated)
    assert np.mean([window(t, "msg_thanks", day) for _, t in pairs]) > 0.5  # winners thank in public


def test_money_spent_is_winners_times_prize_on_award_days_only(pairs):
    winners, prize = 3, 50.0  # configs/strategy/rewards.yaml
    for base, treated in pairs:
        assert base.daily["spend_money"].sum() == 0
        spend = treated.daily.set_index("day")["spend_money"]
        assert spend[AWARD_DAY] == winners * prize
        assert spend.drop(AWARD_DAY).sum() == 0
    # the cost follows the parameters, not a constant
    other = paired(BASE, (*REWARDS, "strategy.rewards.winners=5", "strategy.rewards.prize=20",
                          "strategy.rewards.every=10"), seeds=SEEDS[:2])
    for _, treated in other:
        spend = treated.daily.set_index("day")["spend_money"]
        paid = spend[spend > 0]
        assert list(paid.index) == [30, 40]
        assert (paid == 5 * 20.0).all()


def awards(seed: int, every: int, days: int):
    """Step a rewards run by hand; yield (period message counts, eligible mask, winners)."""
    cfg = compose_config([*REWARDS, f"days={days}", f"seed={seed}", f"strategy.rewards.every={every}"])
    model = GroupModel(cfg)
    last = np.zeros(0, dtype=np.int64)
    while model.day < days:
        counts = model.members.column("messages").copy()
        eligible = model.members.reachable & (model.members.column("role") != Role.OWNER)
        model.step()
        if model.today.rewards:
            period = counts.copy()
            period[: len(last)] -= last
            last = counts
            yield period, eligible[: len(period)], np.array(sorted(model.today.rewards))


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_winners_are_the_top_posters_of_the_period(seed):
    got = list(awards(seed, every=10, days=50))
    assert len(got) == 3  # days 30, 40, 50
    for period, eligible, winners in got:
        assert len(winners) == 3
        assert eligible[winners].all()
        others = np.setdiff1d(np.flatnonzero(eligible), winners)
        assert period[winners].min() >= period[others].max()
        assert period[winners].min() > np.percentile(period[eligible], 90)


@lru_cache(maxsize=64)
def _after_award(*overrides: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(messages at the end of the award day, at the end of the run, the winners) by slot."""
    model = GroupModel(compose_config(list(overrides)))
    at_award, winners = None, np.zeros(0, dtype=np.int64)
    while model.day < model.cfg.days:
        model.step()
        if model.day == AWARD_DAY:
            at_award = model.members.column("messages").copy()
            winners = np.array(sorted(model.today.rewards), dtype=np.int64)
    return at_award, model.members.column("messages").copy(), winners


def winners_extra_posts(*lever: str) -> float:
    """Mean over seeds of the winners' extra messages in the two weeks after the award,
    against the same members on the same seed without the lever."""
    days = f"days={AWARD_DAY + 14}"
    extra = []
    for seed in SEEDS:
        b0, b1, _ = _after_award(days, f"seed={seed}")
        t0, t1, winners = _after_award(days, f"seed={seed}", "strategy=rewards", *lever)
        assert len(winners) == 3
        extra.append(float(((t1[winners] - t0[winners]) - (b1[winners] - b0[winners])).mean()))
    return float(np.mean(extra))


def test_recognised_winners_talk_more_in_the_weeks_after():
    recognised = winners_extra_posts()
    unrecognised = winners_extra_posts("strategy.rewards.recognition=0", "strategy.rewards.spur=0")
    assert recognised >= 3.0, recognised
    # the prize money and the @all without the public recognition: most of the lift is gone
    assert unrecognised <= 0.3 * recognised, (unrecognised, recognised)
