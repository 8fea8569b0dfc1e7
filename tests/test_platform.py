"""WeChat's joining rules (004): QR joining to 100, approval beyond, 500 at most."""

from __future__ import annotations

import numpy as np

from conftest import simulate_cached
from sim.group_traits import ONE_GROUP


def test_qr_joining_stops_at_100_members():
    run = simulate_cached("group.initial_members=60", "group.qr_inflow_per_day=30",
                          "group.invite_rate=0", "days=30", "seed=1", *ONE_GROUP)
    daily = run.daily
    assert daily["members"].max() <= 100 + 30  # a day's walk-ins may overshoot, once
    before = daily["members"].shift(1, fill_value=60)  # members when the day began
    assert daily["joined"].sum() > 30
    # with invitations off, nobody joins on a day that began at 100 or more (QR closed);
    # when leavers take the group below 100 again, the QR code works again
    assert (daily.loc[before >= 100, "joined"] == 0).all()


def test_beyond_100_joins_need_an_invitation_and_approval():
    approving = simulate_cached("group.initial_members=150", "group.invite_rate=0.05",
                                "platform.approval_rate=1.0", "days=20", "seed=1")
    refusing = simulate_cached("group.initial_members=150", "group.invite_rate=0.05",
                               "platform.approval_rate=0.0", "days=20", "seed=1")
    assert approving.daily["joined"].sum() > 20
    assert refusing.daily["joined"].sum() == 0


def test_a_group_never_holds_more_than_500():
    """Joins stop at the cap: the members before a day plus its joiners never pass 500."""
    run = simulate_cached("group.initial_members=495", "group.variation.size=0", "group.invite_rate=1.0",
                          "platform.approval_rate=1.0", "days=30", "seed=1")
    d = run.daily
    founders = int((run.members["joined_day"] == 0).sum())
    before = np.concatenate([[founders], d["members"].to_numpy()[:-1]])
    assert founders == 495
    assert (before + d["joined"].to_numpy() <= 500).all()
    assert (before + d["joined"].to_numpy() == 500).sum() >= 5  # the cap binds, day after day
    assert (d["members"] <= 500).all()


def test_a_joiners_traits_do_not_depend_on_how_many_candidates_came_that_day():
    """The k-th candidate of a day is the same person however many others came (v2)."""
    few = simulate_cached("group=course", "group.initial_members=40", "group.invite_rate=0", "group.qr_inflow_per_day=3",
                          "days=3", "seed=2")
    many = simulate_cached("group=course", "group.initial_members=40", "group.invite_rate=0", "group.qr_inflow_per_day=12",
                           "days=3", "seed=2")
    assert (few.members["joined_day"] == 0).sum() == (many.members["joined_day"] == 0).sum()
    day1 = [r.members.index[r.members["joined_day"] == 1] for r in (few, many)]
    k = min(len(day1[0]), len(day1[1]))
    assert k >= 1 and len(day1[1]) > len(day1[0])
    for column in ("role", "need_learning", "need_social", "need_purchase"):
        assert few.members.loc[day1[0][:k], column].tolist() == many.members.loc[day1[1][:k], column].tolist()
    for column in ("intensity", "talk", "attention"):
        a, b = few.model.members.column(column), many.model.members.column(column)
        np.testing.assert_array_equal(a[day1[0][:k]], b[day1[1][:k]])
