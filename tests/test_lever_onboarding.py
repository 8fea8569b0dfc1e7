"""Onboarding (001; Matias 2019): newcomers are welcomed, answered, introduced.

Claims (DOMAIN.md §2, ``sim/strategies/onboarding.py``): newcomers' first
posts get answered, they keep posting and stay longer, they are tied to
members with similar needs, spammers told the rules spam less; the cost is
operator hours per newcomer.

Newcomers arrive as QR walk-ins (the QR limit raised above the group's size,
no member invitations), so the same people join on the same days with and
without onboarding: every comparison below is paired newcomer by newcomer.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import paired
from sim.members import Role

SEEDS = tuple(range(8))
WALK_INS = ("days=60", "platform.qr_join_limit=500", "group.qr_inflow_per_day=1",
            "group.invite_rate=0")
BASE = WALK_INS
ONBOARDING = (*WALK_INS, "strategy=onboarding")


def newcomers(run, joined_by: int | None = None) -> np.ndarray:
    """Slots of members who joined after the founding (optionally by ``joined_by``)."""
    m = run.model.members
    joined = m.column("joined_day")
    mask = joined > 0
    if joined_by is not None:
        mask &= joined <= joined_by
    return np.flatnonzero(mask)


@pytest.fixture(scope="module")
def pairs():
    runs = paired(BASE, ONBOARDING, seeds=SEEDS)
    for base, treated in runs:
        # The design rests on this: identical joiners, so per-newcomer pairing holds.
        np.testing.assert_array_equal(newcomers(base), newcomers(treated))
        assert len(newcomers(base)) >= 30
    return runs


def pooled(runs, numerator, denominator) -> float:
    return sum(numerator(r) for r in runs) / max(sum(denominator(r) for r in runs), 1)


def test_more_newcomers_first_posts_get_a_reply(pairs):
    def replied(run):
        return int(run.model.members.first_post_replied[newcomers(run)].sum())

    def posted(run):
        return int((run.model.members.first_post_day[newcomers(run)] > 0).sum())

    base = pooled([b for b, _ in pairs], replied, posted)
    treated = pooled([t for _, t in pairs], replied, posted)
    # At least a quarter fewer first posts go unanswered.
    assert 1 - treated <= 0.75 * (1 - base), (base, treated)


def test_newcomers_post_more(pairs):
    def per_newcomer(run):
        return run.model.members.messages[newcomers(run, joined_by=run.config.days - 14)].mean()

    base = np.mean([per_newcomer(b) for b, _ in pairs])
    treated = np.mean([per_newcomer(t) for _, t in pairs])
    # The self-introduction adds at most one message each; onboarded newcomers post more than that.
    assert treated >= base + 1.0, (base, treated)


def test_newcomers_keep_posting_after_their_first_week(pairs):
    """The introduction is posted on the join day, so this counts their own later posts."""

    def share(run):
        m = run.model.members
        slots = newcomers(run, joined_by=run.config.days - 14)
        return float((m.last_post_day[slots] >= m.joined_day[slots] + 7).mean())

    base = np.mean([share(b) for b, _ in pairs])
    treated = np.mean([share(t) for _, t in pairs])
    assert treated >= base + 0.03, (base, treated)
    assert sum(share(t) > share(b) for b, t in pairs) >= len(pairs) // 2 + 1


def test_newcomers_stay_longer():
    """Newcomers spend more of their first 30 days in the group (not muted, not gone).

    A modest effect: most newcomers who drop out are flooded by unread
    messages beyond their attention (``noise``), which onboarding does not
    relieve; it raises what they get from the group (answers, ties), so it
    mostly delays their muting. Sixteen seeds give enough newcomers to see it.
    """
    runs = paired(BASE, ONBOARDING, seeds=tuple(range(16)))

    def first_month(run) -> tuple[float, int, int]:
        """(days lost to muting or leaving, drop-outs, newcomers) in each newcomer's first 30 days."""
        m = run.model.members
        slots = newcomers(run, joined_by=run.config.days - 30)
        since = m.joined_day[slots].astype(float)
        stop = np.full(len(slots), np.inf)
        for day in (m.muted_day[slots], m.exit_day[slots]):
            stop = np.where(day > 0, np.minimum(stop, day), stop)
        lost = np.clip(since + 30 - stop, 0, 30)
        return float(lost.sum()), int((stop <= since + 30).sum()), len(slots)

    base = np.sum([first_month(b) for b, _ in runs], axis=0)
    treated = np.sum([first_month(t) for _, t in runs], axis=0)
    assert base[1] >= 0.05 * base[2], "baseline newcomers must drop out for the claim to be testable"
    assert treated[0] <= 0.92 * base[0], (base, treated)
    assert treated[1] < base[1], (base, treated)


def test_newcomers_are_more_satisfied(pairs):
    def satisfaction(run):
        m = run.model.members
        slots = newcomers(run)
        return m.satisfaction[slots][m.present[slots]].mean()

    gains = [satisfaction(t) - satisfaction(b) for b, t in pairs]
    assert np.mean(gains) >= 0.02 and min(gains) > 0, gains


def test_newcomers_are_tied_to_members_with_similar_needs(pairs):
    def degree(run):
        return run.model.ties.degree(run.model.members.n)[newcomers(run)].mean()

    def similarity_to_ties(run):
        m = run.model.members
        unit = m.needs[: m.n] / np.linalg.norm(m.needs[: m.n], axis=1, keepdims=True)
        ties = run.model.ties.matrix(m.n).tocsr()
        sims = [float((unit[ties[i].indices] @ unit[i]).mean())
                for i in newcomers(run) if ties[i].nnz]
        return np.mean(sims)

    def similarity_to_group(run):
        m = run.model.members
        unit = m.needs[: m.n] / np.linalg.norm(m.needs[: m.n], axis=1, keepdims=True)
        new, old = newcomers(run), np.flatnonzero(m.column("joined_day") == 0)
        return float((unit[new] @ unit[old].T).mean())

    matches = 2  # OnboardingParams.matches
    assert np.mean([degree(t) - degree(b) for b, t in pairs]) >= 0.75 * matches
    treated = np.mean([similarity_to_ties(t) for _, t in pairs])
    anyone = np.mean([similarity_to_group(t) for _, t in pairs])
    base = np.mean([similarity_to_ties(b) for b, _ in pairs])
    assert treated >= anyone + 0.03, (treated, anyone)
    assert treated >= base + 0.03, (treated, base)


def test_costs_operator_hours_per_newcomer(pairs):
    hours, per_newcomer = 0.05, 0.05  # OnboardingParams defaults
    for base, treated in pairs:
        assert base.daily["spend_hours"].sum() == 0
        daily = treated.daily
        np.testing.assert_allclose(daily["spend_hours"], hours + per_newcomer * daily["joined"])
        assert daily["spend_money"].sum() == 0
        assert treated.summary["lever_unaffordable"] == {}
    more = np.mean([t.daily.loc[t.daily["joined"] >= 2, "spend_hours"].mean() for _, t in pairs])
    fewer = np.mean([t.daily.loc[t.daily["joined"] == 0, "spend_hours"].mean() for _, t in pairs])
    assert more > fewer


def test_spammers_told_the_rules_spam_less():
    spammy = ("group.roles.spammers=0.3",)
    runs = paired((*BASE, *spammy), (*ONBOARDING, *spammy), seeds=SEEDS[:4])

    def spammers(run):
        slots = newcomers(run)
        return slots[run.model.members.role[slots] == Role.SPAMMER]

    def messages_per_spammer(run):
        return run.model.members.messages[spammers(run)].mean()

    for _, treated in runs:
        deterrence = treated.model.members.deterrence[spammers(treated)]
        np.testing.assert_allclose(deterrence, 1 - 0.5)  # OnboardingParams.rules_deterrence
    base = np.mean([messages_per_spammer(b) for b, _ in runs])
    treated = np.mean([messages_per_spammer(t) for _, t in runs])
    # their junk halves; what they say otherwise (and the introduction) does not
    assert treated <= 0.85 * base, (base, treated)


def test_newcomers_told_the_rules_speak_up_sooner():
    """Matias (2019): the rules tell newcomers their words are welcome, so more of them post.

    The encouragement lasts until a newcomer's first post: from the next day
    on they talk as they would have without it (same newcomer, same seed).
    """
    silent_rules = (*ONBOARDING, "strategy.onboarding.rules_voice=0")
    runs = paired(silent_rules, ONBOARDING, seeds=SEEDS)

    def posted_within_a_week(run):
        m = run.model.members
        slots = newcomers(run, joined_by=run.config.days - 7)
        first = m.first_post_day[slots]
        return float(((first >= 0) & (first <= m.joined_day[slots] + 7)).mean())

    base = np.mean([posted_within_a_week(b) for b, _ in runs])
    treated = np.mean([posted_within_a_week(t) for _, t in runs])
    assert treated >= base + 0.05, (base, treated)
    for base_run, told in runs:
        m = told.model.members
        first = m.first_post_day[newcomers(told)]
        # back to normal from the day after the first post (the run's last day has no after)
        spoke = newcomers(told)[(first >= 0) & (first < told.config.days)]
        np.testing.assert_allclose(m.talk[spoke], base_run.model.members.talk[spoke])
