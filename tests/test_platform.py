"""WeChat's joining rules (004): QR joining to 100, approval beyond, 500 at most."""

from __future__ import annotations

from conftest import simulate_cached


def test_qr_joining_stops_at_100_members():
    run = simulate_cached("group.initial_members=60", "group.qr_inflow_per_day=30",
                          "group.invite_rate=0", "days=30", "seed=1")
    assert run.daily["members"].max() <= 100 + 30
    assert run.daily["joined"].iloc[10:].sum() == 0


def test_beyond_100_joins_need_an_invitation_and_approval():
    approving = simulate_cached("group.initial_members=150", "group.invite_rate=0.05",
                                "platform.approval_rate=1.0", "days=20", "seed=1")
    refusing = simulate_cached("group.initial_members=150", "group.invite_rate=0.05",
                               "platform.approval_rate=0.0", "days=20", "seed=1")
    assert approving.daily["joined"].sum() > 20
    assert refusing.daily["joined"].sum() == 0


def test_a_group_never_holds_more_than_500():
    run = simulate_cached("group.initial_members=480", "group.invite_rate=0.2",
                          "platform.approval_rate=1.0", "days=30", "seed=1")
    assert run.daily["members"].max() == 500
    assert (run.daily["members"] <= 500).all()
