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

from conftest import surely, over_seeds, paired
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


def answered_share(runs) -> float:
    """Share of newcomers' first posts that got a reply the day they were posted."""
    def replied(run):
        return int(run.model.members.first_post_replied[newcomers(run)].sum())

    def posted(run):
        return int((run.model.members.first_post_day[newcomers(run)] > 0).sum())

    return pooled(runs, replied, posted)


def test_more_newcomers_first_posts_get_a_reply(pairs):
    base = answered_share([b for b, _ in pairs])
    treated = answered_share([t for _, t in pairs])
    # At least a quarter fewer first posts go unanswered.
    assert 1 - treated <= 0.75 * (1 - base), (base, treated)


def test_the_operator_answers_newcomers_own_first_words():
    """Newcomers' own first posts (no prompted introduction): the operator answers them with
    chance ``welcome``, so far fewer go unanswered. With ``welcome=0`` (the rest of the
    onboarding kept: told the norms and tied to matches, newcomers are answered a bit more
    often by members) most of the effect is gone."""
    own_words = (*ONBOARDING, "strategy.onboarding.introduce=0")
    base = answered_share(over_seeds(*BASE, seeds=SEEDS))
    welcomed = answered_share(over_seeds(*own_words, seeds=SEEDS))
    unwelcomed = answered_share(over_seeds(*own_words, "strategy.onboarding.welcome=0", seeds=SEEDS))
    assert 1 - welcomed <= 0.5 * (1 - base), (base, welcomed)
    assert 1 - welcomed <= 0.5 * (1 - unwelcomed), (unwelcomed, welcomed)


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
    assert np.mean(gains) >= 0.02 and surely(gains)[0] > 0, gains


def test_newcomers_are_tied_to_members_with_similar_needs(pairs):
    def degree(run):
        return run.model.ties.degree(run.model.members.n)[newcomers(run)].mean()

    def similarity_to_ties(run) -> list[float]:
        """For each newcomer with ties, the mean need similarity to those tied to them."""
        m = run.model.members
        unit = m.needs[: m.n] / np.linalg.norm(m.needs[: m.n], axis=1, keepdims=True)
        ties = run.model.ties.matrix(m.n).tocsr()
        return [float((unit[ties[i].indices] @ unit[i]).mean())
                for i in newcomers(run) if ties[i].nnz]

    def similarity_to_group(run):
        m = run.model.members
        unit = m.needs[: m.n] / np.linalg.norm(m.needs[: m.n], axis=1, keepdims=True)
        new, old = newcomers(run), np.flatnonzero(m.column("joined_day") == 0)
        return float((unit[new] @ unit[old].T).mean())

    matches = 2  # OnboardingParams.matches
    assert np.mean([degree(t) - degree(b) for b, t in pairs]) >= 0.75 * matches
    # pooled over newcomers: without onboarding, walk-ins in some groups make no ties at all
    treated = np.mean([x for _, t in pairs for x in similarity_to_ties(t)])
    anyone = np.mean([similarity_to_group(t) for _, t in pairs])
    tied_base = [x for b, _ in pairs for x in similarity_to_ties(b)]
    assert len(tied_base) >= 20, "baseline newcomers must make some ties to compare"
    base = np.mean(tied_base)
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
    """Matias (2019): told the rules, newcomers know what is welcome and stop holding back.

    The rules alone: no prompted introduction in either arm (it would be their
    first post by itself), with and without the rules. Told the rules, a
    newcomer knows the norms from the day they join (``members.norms``); it
    is the norms, not a talk multiplier, that lift them: talkativeness is the
    same person's in both arms.
    """
    own_words = (*ONBOARDING, "strategy.onboarding.introduce=0")
    runs = paired((*own_words, "strategy.onboarding.rules=false"), own_words, seeds=SEEDS)

    def posted_within_a_week(run):
        m = run.model.members
        slots = newcomers(run, joined_by=run.config.days - 7)
        first = m.first_post_day[slots]
        return float(((first >= 0) & (first <= m.joined_day[slots] + 7)).mean())

    base = np.mean([posted_within_a_week(b) for b, _ in runs])
    treated = np.mean([posted_within_a_week(t) for _, t in runs])
    assert treated >= base + 0.1, (base, treated)
    assert sum(posted_within_a_week(t) > posted_within_a_week(b) for b, t in runs) >= len(runs) - 1
    for untold, told in runs:
        slots = newcomers(told)
        assert (told.model.members.norms[slots] == 1.0).all()
        assert untold.model.members.norms[slots].mean() < 0.9
        np.testing.assert_allclose(told.model.members.talk[slots], untold.model.members.talk[slots])
