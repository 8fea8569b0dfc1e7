"""Invariants that hold for any valid configuration (hypothesis).

The books balance from the first day, so short runs check them as well as
long ones: 12 examples of at most 20 days and 60 founders (was 25 x 40 days
x 120 founders, minutes of simulation for the same invariants). Every
strategy and archetype stays in the draw.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.api import compose_config, run

STRATEGIES = ["none", "red_packets", "topics", "rules", "kol", "playbook", "hard_sell",
              "paid_entry", "invite_campaign", "offline_events"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group=st.sampled_from(["course", "interest", "brand", "groupbuy"]),
       strategy=st.sampled_from(STRATEGIES),
       members=st.integers(2, 60), spammers=st.floats(0, 0.3), invite=st.floats(0, 0.05),
       days=st.integers(1, 20), seed=st.integers(0, 10_000))
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
    # v2: conversation is members' own talk, a part of the messages beside the operator's
    assert (d["conversation"] + d["operator_messages"] <= d["messages"]).all()
    assert (d[["members", "active", "lurkers", "muted", "joined", "left", "messages"]] >= 0).all().all()
    assert d["members"].max() <= cfg.platform.member_cap
    # v2 draws the group's own size around the archetype's (group traits): count its founders
    founders = result.model.cfg.group.initial_members
    assert (m["joined_day"] == 0).sum() == founders
    assert len(m) == founders + d["joined"].sum()
    assert d["left"].sum() == m["exit_day"].notna().sum()
    assert s["spend_money"] <= cfg.strategy.budget_money + 1e-6
    assert (d["spend_hours"] <= cfg.strategy.hours_per_day + 1e-6).all()
    assert 0 <= s["lifetime_days"] <= days
