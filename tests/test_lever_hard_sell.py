"""Hard selling: product posts sell at first, then erode trust and drive members out.

Seed 000: "如果和朋友出去聚會, 其中有一個朋友80%的聊天內容再向你推銷一件產品, 你覺得下次
聚會還會帶他嗎?" — talk feelings more than money (多談感情少談錢); trust and fit
drive buying, hard selling destroys trust. DOMAIN.md §2: product posts and
links; if ~80% of the talk is selling, people leave.

Every claim is a seed-paired comparison against the same group without the
lever (``strategy=none``). The group is a brand group (customers gathered to
be sold to) without spammers, so every ad in the feed is the operator's own.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import mean_of, over_seeds, paired, surely

DAYS = 60
EARLY = (1, 14)
LATE = (15, DAYS)
SEEDS = tuple(range(8))
GROUP = ("group=brand", "group.roles.spammers=0.0", f"days={DAYS}")
BASE = ("strategy=none", *GROUP)
SELL = ("strategy=hard_sell", *GROUP)


def _heavy(posts: int) -> tuple[str, ...]:
    return (*SELL, f"strategy.hard_sell.posts={posts}")


@pytest.fixture(scope="module")
def runs():
    return paired(BASE, SELL, seeds=SEEDS)


def _ad_share(r) -> float:
    return float(r.daily["msg_ad"].sum() / r.daily["messages"].sum())


def _sales(days):
    return lambda r: float(r.daily.set_index("day").loc[days[0]:days[1], "conversions"].sum())


def _trust(r) -> float:
    """Mean trust of everyone who was ever a member (the owner excluded): leavers keep their last value."""
    m = r.model.members
    return float(m.trust[1 : m.n].mean())


def _left(r) -> int:
    return int(r.members["exit_day"].notna().sum())


def _annoyed(r) -> int:
    return int((r.members["exit_reason"] == "annoyed").sum())


def test_hard_sell_raises_ad_share(runs):
    base = mean_of([b for b, _ in runs], _ad_share)
    sell = mean_of([t for _, t in runs], _ad_share)
    assert base < 0.1  # v2: a brand posts its own offers (owner_offers_per_day=0.3)
    assert sell > 3 * base
    assert sell > 0.2, f"ads are {sell:.0%} of messages"  # above the members' tolerance (20%)


def test_hard_sell_lifts_short_term_sales(runs):
    base = mean_of([b for b, _ in runs], _sales(EARLY))
    sell = mean_of([t for _, t in runs], _sales(EARLY))
    assert sell > 1.4 * base and sell > base + 1.5, f"days {EARLY}: {sell:.2f} sales with ads, {base:.2f} without"


@pytest.mark.xfail(strict=True, reason=(
    "model v2 core: with purchases following offers, 4 ads/day still sell 2.1 on days 15-60 vs "
    "1.0 without (8 seeds); trust erosion no longer outweighs the exposure"))
def test_early_sales_lift_does_not_last(runs):
    """After two weeks the eroded trust and the lost members outweigh the exposure."""
    base = mean_of([b for b, _ in runs], _sales(LATE))
    sell = mean_of([t for _, t in runs], _sales(LATE))
    assert sell <= base, f"days {LATE}: {sell:.2f} sales with ads, {base:.2f} without"
    heavy = mean_of(over_seeds(*_heavy(10), seeds=SEEDS), _sales(LATE))
    assert heavy < 0.7 * base, f"days {LATE}: {heavy:.2f} sales under heavy selling, {base:.2f} without"


def test_hard_sell_erodes_trust(runs):
    diffs = [_trust(t) - _trust(b) for b, t in runs]
    assert np.mean(diffs) < -0.02, f"trust {np.mean(diffs):+.3f}"
    assert all(d < 0 for d in diffs), diffs


def test_hard_sell_drives_members_out(runs):
    assert surely([_left(t) - _left(b) for b, t in runs])[0] > 0
    assert mean_of([t for _, t in runs], _left) > mean_of([b for b, _ in runs], _left) + 10
    assert mean_of([t for _, t in runs], _annoyed) > mean_of([b for b, _ in runs], _annoyed) + 8


@pytest.mark.xfail(strict=True, reason=(
    "model v2 core: one ad a day already drives out 74.2 vs 70.4 members (8 seeds), "
    "above the tolerated +3"))
def test_the_more_selling_the_more_leave():
    """A little selling is tolerated; the closer the talk comes to all selling, the more leave."""
    doses = (1, 4, 10)
    left = [mean_of(over_seeds(*_heavy(p), seeds=SEEDS), _left) for p in doses]
    trust = [mean_of(over_seeds(*_heavy(p), seeds=SEEDS), _trust) for p in doses]
    base_left = mean_of(over_seeds(*BASE, seeds=SEEDS), _left)
    assert left[0] < base_left + 3, f"one ad a day: {left[0]:.1f} left vs {base_left:.1f}"
    assert left[0] + 5 < left[1] and left[1] + 5 < left[2], left
    assert trust[0] > trust[1] > trust[2], trust


def test_hard_sell_costs_hours(runs):
    for _, r in runs:
        assert r.summary["spend_hours"] == pytest.approx(0.2 * DAYS)
        assert r.summary["spend_money"] == 0


def test_sales_follow_offers_read_by_members_who_need_and_trust():
    """000, v2: no offer, no sale; offers convert those who need the product and trust the seller.

    An interest group's owner sells nothing (``owner_offers_per_day=0``); the
    conversion rate is raised so that the few purchase-minded peers show.
    """
    peers = ("group=interest", "group.base_conversion=0.005", "days=60")  # below saturation
    seeds = SEEDS[:6]
    assert all(r.summary["total_conversions"] == 0 for r in over_seeds("strategy=none", *peers, seeds=seeds))
    sales = [mean_of(over_seeds("strategy=hard_sell", f"strategy.hard_sell.posts={p}", *peers, seeds=seeds),
                     lambda r: r.summary["total_conversions"]) for p in (1, 4)]
    assert sales[0] >= 1.5 and sales[1] > sales[0], sales
    gaps = []
    for r in over_seeds("strategy=hard_sell", "strategy.hard_sell.posts=1", *peers, seeds=seeds):
        m = r.model.members
        drawn = m.needs[: m.n, m.need_names.index("purchase")] * m.trust[: m.n]
        bought = m.purchases[: m.n] > 0
        if bought.any():
            gaps.append(drawn[bought].mean() - drawn[~bought].mean())
    assert np.mean(gaps) > 0.05, gaps
