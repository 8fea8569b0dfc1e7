"""Members: Mesa agents, the exit ladder and its reasons, attention overload, ties."""

from __future__ import annotations

import numpy as np

from conftest import mean_of, over_seeds, paired, simulate_cached
from sim.members import Member


def test_members_are_mesa_agents_while_present():
    run = simulate_cached("days=40", "seed=2")
    model = run.model
    agents = list(model.agents)
    assert all(isinstance(a, Member) for a in agents)
    assert len(agents) == run.daily["members"].iloc[-1]
    statuses = {a.status for a in agents}
    assert statuses <= {"active", "lurker", "muted"}
    owner = next(a for a in agents if a.slot == 0)
    assert owner.role == "owner" and set(owner.needs) == {"learning", "social", "purchase"}


def test_daily_statuses_partition_the_members():
    run = simulate_cached("days=40", "seed=2")
    d = run.daily
    assert (d["members"] == d["active"] + d["lurkers"] + d["muted"]).all()
    assert (d["members"].diff().iloc[1:] == (d["joined"] - d["left"]).iloc[1:]).all()


def test_lurkers_rarely_come_back_by_themselves():
    """003: once a member stops posting, their habit decays and they seldom post again."""
    runs = over_seeds("group=interest", "days=90")
    back = []
    for run in runs:
        m = run.model.members
        quiet_at_30 = (m.column("last_post_day") < 23) & (m.column("status") != 2)
        came_back = m.column("last_post_day") > 60
        back.append((quiet_at_30 & came_back).sum() / max(quiet_at_30.sum(), 1))
    assert np.mean(back) < 0.15


def test_a_flood_of_irrelevant_messages_mutes_and_drives_out_members_with_overload():
    """004: when core members chat a lot, the unread red dot makes others quit."""
    pairs = paired(("group=interest", "days=40", "population.attention_capacity=200"),
                   ("group=interest", "days=40", "population.attention_capacity=5"))
    calm = np.mean([(a.members["exit_reason"] == "overload").sum() for a, _ in pairs])
    flooded = np.mean([(b.members["exit_reason"] == "overload").sum() for _, b in pairs])
    assert flooded > calm + 10
    assert np.mean([b.daily["muted"].iloc[-1] for _, b in pairs]) > np.mean(
        [a.daily["muted"].iloc[-1] for a, _ in pairs])


def test_a_member_whose_friends_leave_is_more_likely_to_leave():
    runs = over_seeds("group=brand", "days=60")
    social = mean_of(runs, lambda r: (r.members["exit_reason"] == "social").sum())
    assert social > 3
    pairs = paired(("group=brand", "days=60", "population.social_exit=0"),
                   ("group=brand", "days=60"))
    assert np.mean([b.daily["left"].sum() - a.daily["left"].sum() for a, b in pairs]) > 3


def test_every_member_knows_someone_in_the_group():
    """000: groups grow by invitation, so each member knows the inviter at least."""
    run = simulate_cached("group=interest", "days=60", "seed=3", "group.invite_rate=0.02")
    degree = run.model.ties.degree(run.model.members.n)
    assert (degree[1:] >= 1).all()
    invited = run.members.dropna(subset=["invited_by"])
    assert len(invited) > 100


def test_more_than_half_know_the_owner_in_a_peer_group():
    run = simulate_cached("group=interest", "days=5", "seed=1")
    assert run.model.members.column("knows_owner").mean() > 0.5


def test_higher_activity_goes_with_more_purchases():
    """000: the more active the group, the better the conversion."""
    run = simulate_cached("group=groupbuy", "days=120", "seed=0")
    members = run.members[run.members["role"] != "owner"]
    talkers = members["messages"] >= members["messages"].quantile(0.75)
    assert members.loc[talkers, "purchases"].mean() > 1.5 * members.loc[~talkers, "purchases"].mean()
