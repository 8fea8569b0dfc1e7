"""Content output (干货, 早报) and its failure mode, daily chicken soup (鸡汤).

Seeds 001 and 000: valuable, need-matched content (有用、有趣、有料) is the root
of a group's longevity and earns trust (信任背书). Seed 000: "如果每天都有一個人
定時定點的在早上給你發雞湯, 你是會感激還是噁心?" — daily chicken soup at a fixed
hour irritates. ``strategy=chicken_soup`` is the content lever with
``soup=1.0`` at fixed hours (with ``fixed_schedule``); its fair comparison is
useful content at the same fixed hours (``strategy=chicken_soup
strategy.content.soup=0.0``), or content with and without soup.

Every claim is a seed-paired comparison against the same group without the
lever or with the lever set differently. Retention is read in a brand group
(lurker-heavy, an owner who posts once a day), where what the operator posts
is most of what members get; trust and annoyance also in the interest group.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from conftest import surely, ARCHETYPE, mean_of, over_seeds, paired
from sim.api import compose_config
from sim.model import GroupModel

DAYS = 90
SEEDS = tuple(range(8))
BRAND = ("group=brand", f"days={DAYS}")
INTEREST = (f"days={DAYS}",)
NONE = ("strategy=none",)
CONTENT = ("strategy=content",)
SOUP = ("strategy=content", "strategy.content.soup=1.0")
SOUP_FIXED = ("strategy=chicken_soup",)
USEFUL_FIXED = ("strategy=chicken_soup", "strategy.content.soup=0.0")


def _trust(r) -> float:
    """Mean trust of members present at the end (the owner excluded)."""
    m = r.model.members
    present = m.present.copy()
    present[0] = False
    return float(m.trust[: m.n][present].mean())


def _retention(r) -> float:
    return float(r.summary["retention_day90"])


def _annoyed_exits(r) -> int:
    return int((r.members["exit_reason"] == "annoyed").sum())


FIRST_WEEKS = 14


@lru_cache(maxsize=64)
def _mean_annoyance(*overrides: str) -> float:
    """Members' annoyance averaged over reachable members and over the first two weeks.

    Later days are survivors: the annoyed leave, and those who stop opening the
    group stop being charged, so a whole-run mean rewards the irritant.
    """
    model = GroupModel(compose_config(list(overrides)))
    daily = []
    for _ in range(FIRST_WEEKS):
        model.step()
        m = model.members
        reach = m.reachable.copy()
        reach[0] = False
        daily.append(m.annoyance[: m.n][reach].mean())
    return float(np.mean(daily))


def test_content_raises_valuable_messages():
    runs = paired((*NONE, *INTEREST), (*CONTENT, *INTEREST), seeds=SEEDS)
    valuable = lambda r: r.daily["msg_valuable"].sum()  # noqa: E731
    own = lambda r: r.daily["msg_valuable"].sum() - r.daily["operator_messages"].sum()  # noqa: E731
    base, treat = mean_of([b for b, _ in runs], valuable), mean_of([t for _, t in runs], valuable)
    assert treat > base + 0.9 * DAYS, f"valuable messages {treat:.0f} with content, {base:.0f} without"
    # the operator's posts add to members' own content rather than crowding it out
    assert mean_of([t for _, t in runs], own) >= 0.95 * mean_of([b for b, _ in runs], own)


@pytest.mark.parametrize("group", [BRAND, INTEREST], ids=["brand", "interest"])
def test_content_raises_trust(group):
    runs = paired((*NONE, *group), (*CONTENT, *group), seeds=SEEDS)
    diffs = [_trust(t) - _trust(b) for b, t in runs]
    assert np.mean(diffs) > 0.005, f"trust {np.mean(diffs):+.4f}"
    assert sum(d > 0 for d in diffs) >= len(SEEDS) - 1, diffs


def test_content_improves_retention():
    """At the archetype (group traits off): head counts of groups drawn 0.4 lognormal apart
    in size swamp a few members' difference."""
    runs = paired((*NONE, *BRAND, *ARCHETYPE), (*CONTENT, *BRAND, *ARCHETYPE), seeds=SEEDS)
    ret = [_retention(t) - _retention(b) for b, t in runs]
    assert surely(ret)[0] > 0, f"founders still present on day 90: {ret}"
    members = lambda r: r.daily["members"].iloc[-1]  # noqa: E731
    assert surely([members(t) - members(b) for b, t in runs])[0] > 0
    assert mean_of([t for _, t in runs], _annoyed_exits) < mean_of([b for b, _ in runs], _annoyed_exits)


@pytest.mark.xfail(strict=True, reason="v2 core: one useful post a day lifts brand founders' day-90 "
                   "retention by ~1.2 points (8 seeds), below the 1.5 the claim was calibrated to")
def test_content_lifts_retention_by_a_margin():
    runs = paired((*NONE, *BRAND), (*CONTENT, *BRAND), seeds=SEEDS)
    ret = [_retention(t) - _retention(b) for b, t in runs]
    assert np.mean(ret) > 0.015, f"founders still present on day 90: {np.mean(ret):+.3f}"


def test_chicken_soup_does_not_help_retention():
    base = over_seeds(*NONE, *BRAND, seeds=SEEDS)
    soup = over_seeds(*SOUP_FIXED, *BRAND, seeds=SEEDS)
    assert mean_of(soup, _retention) <= mean_of(base, _retention) + 0.005, (
        f"day-90 retention: soup {mean_of(soup, _retention):.3f}, nothing {mean_of(base, _retention):.3f}")


SOUP_PAIRS = pytest.mark.parametrize("useful, soup", [(CONTENT, SOUP), (USEFUL_FIXED, SOUP_FIXED)],
                                     ids=["any-time", "fixed-hours"])


@SOUP_PAIRS
def test_chicken_soup_loses_members_useful_content_keeps(useful, soup):
    runs = paired((*useful, *BRAND), (*soup, *BRAND), seeds=SEEDS)
    ret = [_retention(s) - _retention(u) for u, s in runs]
    assert surely(ret)[1] < 0, f"day-90 retention, soup minus useful: {ret}"
    assert mean_of([s for _, s in runs], _annoyed_exits) > mean_of([u for u, _ in runs], _annoyed_exits) + 2
    assert mean_of([s for _, s in runs], _trust) < mean_of([u for u, _ in runs], _trust)


@pytest.mark.xfail(strict=True, reason="v2 core: soup instead of useful content costs ~1.8 points of "
                   "brand founders' day-90 retention (8 seeds), short of the 2 the claim was calibrated to")
@SOUP_PAIRS
def test_chicken_soup_costs_retention_by_a_margin(useful, soup):
    runs = paired((*useful, *BRAND), (*soup, *BRAND), seeds=SEEDS)
    ret = [_retention(s) - _retention(u) for u, s in runs]
    assert np.mean(ret) < -0.02, f"day-90 retention, soup minus useful: {np.mean(ret):+.3f}"


def test_chicken_soup_irritates():
    seeds = SEEDS[:6]
    useful = [_mean_annoyance(*CONTENT, *INTEREST, f"seed={s}") for s in seeds]
    soup = [_mean_annoyance(*SOUP, *INTEREST, f"seed={s}") for s in seeds]
    assert np.mean(soup) > 1.04 * np.mean(useful), f"annoyance {np.mean(soup):.4f} vs {np.mean(useful):.4f}"
    assert all(s > u for s, u in zip(soup, useful)), (soup, useful)
