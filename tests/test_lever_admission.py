"""Admission threshold and paid entry (000, 004): fewer, fitter, committed members.

Claims (DOMAIN.md §2, ``sim/strategies/admission.py``): screening by need
fit lets in members who fit the group's need profile better and keeps most
spammers out; an entry fee is revenue, deters all but the keen, and paying
members leave less (commitment). Side effect of both: slower growth.

Two ways in: members invite friends at a raised rate (growth that depends
on how the group fares), or strangers walk in by QR code at a steady rate (the
QR limit raised above the group's size, no invitations), so the same
candidates knock on the door with and without the filter and the people let
in can be followed one by one.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import paired
from sim.members import Role

SEEDS = tuple(range(8))
GROWING = ("days=60", "group.invite_rate=0.02")
SCREENED = (*GROWING, "strategy=admission")
WALK_INS = ("days=60", "platform.qr_join_limit=500", "group.qr_inflow_per_day=2",
            "group.invite_rate=0")
LONG_WALK_INS = ("days=90", *WALK_INS[1:])  # commitment delays drop-outs: give them time to show
PAID = (*LONG_WALK_INS, "strategy=paid_entry")
THRESHOLD = 0.85  # configs/strategy/admission.yaml
FEE = 99.0  # configs/strategy/paid_entry.yaml


@pytest.fixture(scope="module")
def screened():
    return paired(GROWING, SCREENED, seeds=SEEDS[:6])


@pytest.fixture(scope="module")
def paid():
    """Strangers walk in for 90 days; the fee lets only some of them in."""
    return paired(LONG_WALK_INS, PAID, seeds=SEEDS[:6])


def joiners(run) -> np.ndarray:
    return np.flatnonzero(run.model.members.column("joined_day") > 0)


def fit(run, slots: np.ndarray) -> np.ndarray:
    """Cosine between members' needs and the group's need profile (as the platform screens)."""
    profile = np.array(list(run.config.group.need_profile.values()), dtype=float)
    needs = run.model.members.needs[slots]
    return needs @ profile / (np.linalg.norm(needs, axis=1) * np.linalg.norm(profile))


def pooled_joiners(runs, metric) -> np.ndarray:
    return np.concatenate([metric(r, joiners(r)) for r in runs])


def total_joins(run) -> int:
    return int(run.daily["joined"].sum())


# Admission threshold ---------------------------------------------------------------

def test_screened_joiners_fit_the_need_profile_better(screened):
    base = pooled_joiners([b for b, _ in screened], fit)
    treated = pooled_joiners([t for _, t in screened], fit)
    assert (base < THRESHOLD).mean() >= 0.1, "without screening, some misfits must join"
    assert treated.min() >= THRESHOLD - 1e-9
    assert treated.mean() >= base.mean() + 0.02, (base.mean(), treated.mean())


@pytest.fixture(scope="module")
def walk_ins():
    """Strangers walk in, one in ten a spammer; the same candidates in both arms."""
    spammy = (*WALK_INS, "group.roles.spammers=0.1")
    return paired(spammy, (*spammy, "strategy=admission"), seeds=SEEDS[:3])


def test_screening_keeps_most_spammers_out(walk_ins):
    def spammers(run):
        return int((run.model.members.role[joiners(run)] == Role.SPAMMER).sum())

    base = sum(spammers(b) for b, _ in walk_ins)
    treated = sum(spammers(t) for _, t in walk_ins)
    assert base >= 10, "too few spammers try to join to test the claim"
    assert treated <= 0.3 * base, (base, treated)


def test_screening_slows_growth(walk_ins):
    """The same strangers knock; the filter turns some away, so the group grows slower."""
    base = np.mean([total_joins(b) for b, _ in walk_ins])
    treated = np.mean([total_joins(t) for _, t in walk_ins])
    assert treated <= 0.9 * base, (base, treated)
    assert all(total_joins(t) < total_joins(b) for b, t in walk_ins)
    assert np.mean([t.summary["final_members"] for _, t in walk_ins]) < np.mean(
        [b.summary["final_members"] for b, _ in walk_ins])


def test_screening_slows_invitation_growth_in_most_groups(screened):
    """With growth by invitation the effect is weaker: a fitter group is happier and invites more."""
    fewer = sum(total_joins(t) < total_joins(b) for b, t in screened)
    assert fewer >= len(screened) // 2 + 1, [(total_joins(b), total_joins(t)) for b, t in screened]


def test_screening_costs_review_hours_every_day(screened):
    for base, treated in screened:
        assert base.daily["spend_hours"].sum() == 0
        np.testing.assert_allclose(treated.daily["spend_hours"], 0.2)  # AdmissionParams.hours
        assert treated.daily["spend_money"].sum() == 0


# Paid entry ----------------------------------------------------------------------------

def test_entry_fee_is_revenue_per_joiner(paid):
    for base, treated in paid:
        price = treated.config.group.price
        sales = treated.daily["conversions"] * price
        np.testing.assert_allclose(treated.daily["revenue"] - sales, FEE * treated.daily["joined"])
        np.testing.assert_allclose(base.daily["revenue"], base.daily["conversions"] * price)
    fees = sum(total_joins(t) for _, t in paid) * FEE
    assert fees > 0


def test_paid_entry_means_far_fewer_joiners(paid):
    base = sum(total_joins(b) for b, _ in paid)
    treated = sum(total_joins(t) for _, t in paid)
    assert treated <= 0.4 * base, (base, treated)
    assert np.mean([t.summary["final_members"] for _, t in paid]) < np.mean(
        [b.summary["final_members"] for b, _ in paid])


def test_only_the_keen_pay(paid):
    def intensity(run, slots):
        return run.model.members.intensity[slots]

    base = pooled_joiners([b for b, _ in paid], intensity)
    treated = pooled_joiners([t for _, t in paid], intensity)
    assert treated.mean() >= base.mean() + 0.05, (base.mean(), treated.mean())


def dropped_out(run, slots) -> np.ndarray:
    """Joiners who muted or left by the end of the run."""
    m = run.model.members
    return (m.muted_day[slots] > 0) | (m.exit_day[slots] > 0)


def same_people(base, treated) -> tuple[np.ndarray, np.ndarray]:
    """Treated joiners and the slots of the same people in the baseline run.

    Walk-ins are drawn per day from one stream, so a person is known by the
    day they joined and their needs; the filter only removes candidates.
    """
    bm, tm = base.model.members, treated.model.members
    known = {(int(bm.joined_day[i]), bm.needs[i].tobytes()): i for i in joiners(base)}
    slots = joiners(treated)
    twins = np.array([known[(int(tm.joined_day[i]), tm.needs[i].tobytes())] for i in slots], dtype=np.int64)
    return slots, twins


def twins_pooled(paid, outcome) -> tuple[np.ndarray, np.ndarray]:
    """``outcome`` for paying joiners and for the same people joining free, pooled over seeds."""
    paying, free = [], []
    for base, treated in paid:
        slots, twins = same_people(base, treated)
        paying.append(outcome(treated, slots))
        free.append(outcome(base, twins))
    return np.concatenate(paying), np.concatenate(free)


def left(run, slots) -> np.ndarray:
    return run.model.members.exit_day[slots] > 0


def test_paying_members_leave_less_than_the_same_people_joining_free(paid):
    """Seed 004: paid members, having paid, stay (what they paid is commitment)."""
    paying, free = twins_pooled(paid, left)
    assert len(paying) >= 50 and free.sum() >= 15
    assert paying.mean() <= 0.7 * free.mean(), (free.mean(), paying.mean())


@pytest.mark.xfail(strict=True, reason=(
    "core: kernels.ladder holds only leaving by commitment, not muting, so paying members "
    "mute more than their free twins (0.69 vs 0.54) and drop out (mute or leave) about as often"))
def test_paying_members_drop_out_less_than_the_same_people_joining_free(paid):
    paying, free = twins_pooled(paid, dropped_out)
    assert len(paying) >= 50 and free.sum() >= 15
    assert paying.mean() <= 0.7 * free.mean(), (free.mean(), paying.mean())


def days_lost(run) -> float:
    """Member-days joiners spent muted or gone, up to the end of the run."""
    m = run.model.members
    slots = joiners(run)
    stop = np.full(len(slots), np.inf)
    for day in (m.muted_day[slots], m.exit_day[slots]):
        stop = np.where(day > 0, np.minimum(stop, day), stop)
    return float(np.clip(run.config.days + 1 - stop, 0, None).sum())


def test_commitment_of_having_paid_keeps_members():
    """Same fee, same screening, same walk-ins; with and without the commitment of having paid.

    What a member paid adds to their commitment (``population.invest_commitment``
    per yuan, ``sim.behaviour.commitment``), which holds back leaving, so it
    mostly delays drop-outs: measured as member-days lost to muting or leaving.
    With ``invest_commitment=0`` the fee is only a filter.
    """
    runs = paired((*PAID, "population.invest_commitment=0"), PAID, seeds=SEEDS[:6])
    for base, treated in runs:
        np.testing.assert_array_equal(joiners(base), joiners(treated))
    assert sum(dropped_out(b, joiners(b)).sum() for b, _ in runs) >= 15
    base = sum(days_lost(b) for b, _ in runs)
    treated = sum(days_lost(t) for _, t in runs)
    assert treated <= 0.9 * base, (base, treated)
