"""Invariants that hold for any valid configuration (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.api import compose_config, run

STRATEGIES = ["none", "red_packets", "topics", "rules", "kol", "playbook", "hard_sell",
              "paid_entry", "invite_campaign", "offline_events"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group=st.sampled_from(["course", "interest", "brand", "groupbuy"]),
       strategy=st.sampled_from(STRATEGIES),
       members=st.integers(2, 120), spammers=st.floats(0, 0.3), invite=st.floats(0, 0.05),
       days=st.integers(1, 40), seed=st.integers(0, 10_000))
def test_any_valid_config_keeps_the_books_straight(group, strategy, members, spammers, invite,
                                                   days, seed):
    cfg = compose_config([f"group={group}", f"strategy={strategy}",
                          f"group.initial_members={members}", f"group.roles.spammers={spammers}",
                          f"group.invite_rate={invite}", f"days={days}", f"seed={seed}"])
    result = run(cfg)
    d, m, s = result.daily, result.members, result.summary
    assert len(d) == days
    assert (d["members"] == d["active"] + d["lurkers"] + d["muted"]).all()
    assert (d[[c for c in d.columns if c.startswith("msg_")]].sum(axis=1) == d["messages"]).all()
    assert (d[["members", "active", "lurkers", "muted", "joined", "left", "messages"]] >= 0).all().all()
    assert d["members"].max() <= cfg.platform.member_cap
    assert len(m) == members + d["joined"].sum()
    assert d["left"].sum() == m["exit_day"].notna().sum()
    assert s["spend_money"] <= cfg.strategy.budget_money + 1e-6
    assert (d["spend_hours"] <= cfg.strategy.hours_per_day + 1e-6).all()
    assert 0 <= s["lifetime_days"] <= days
