"""Members: Mesa agents, the exit ladder and its reasons, attention overload, ties."""

from __future__ import annotations

import numpy as np

from conftest import mean_of, over_seeds, paired, simulate_cached
from sim.api import compose_config
from sim.members import Exit, Member
from sim.model import GroupModel

# Group traits are drawn per group (model v2); these facts are the archetype's.
ARCHETYPE = tuple(f"group.variation.{k}=0" for k in ("size", "ties", "owner", "fit", "talk", "competition"))


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
    """004: when core members chat a lot, the unread red dot makes others quit.

    Muting is measured over the run: the muted count on the last day is a stock
    that the overloaded, leaving, also drain.
    """
    pairs = paired(("group=interest", "days=40", "population.attention_capacity=200", *ARCHETYPE),
                   ("group=interest", "days=40", "population.attention_capacity=5", *ARCHETYPE))
    calm = np.mean([(a.members["exit_reason"] == "overload").sum() for a, _ in pairs])
    flooded = np.mean([(b.members["exit_reason"] == "overload").sum() for _, b in pairs])
    assert flooded > calm + 10
    assert np.mean([b.daily["muted"].mean() for _, b in pairs]) > 1.1 * np.mean(
        [a.daily["muted"].mean() for a, _ in pairs])


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


def test_higher_activity_goes_with_more_purchases():
    """000: the more active the group, the better the conversion.

    v2 no longer doubles an active member's odds (that echoed the claim); a
    livelier group keeps its members reading the 团长's offers and trusting them.
    """
    sales = [mean_of(over_seeds("group=groupbuy", "days=120", f"group.chat_propensity={talk}",
                                *ARCHETYPE), lambda r: r.summary["total_conversions"])
             for talk in (0.1, 0.9)]
    assert sales[1] > 1.5 * sales[0], sales


def test_a_member_removed_between_steps_counts_as_left_and_is_missed_by_friends():
    cfg = compose_config(["group=interest", "seed=1", "days=10"])
    removed, kept = GroupModel(cfg), GroupModel(cfg)
    for model in (removed, kept):
        for _ in range(3):
            model.step()
    victim = 5
    friends = removed.ties.matrix(removed.members.n).tocsr()[victim].indices
    friends = friends[friends != victim]
    assert len(friends) > 0
    removed.remove(np.array([victim]))  # between steps: an API or dashboard call
    for model in (removed, kept):
        model.step()
    m = removed.members
    assert m.exit_reason[victim] == Exit.REMOVED
    left = removed.recorder.daily()["left"]
    assert m.exit_day[victim] == 4  # dated the day it is counted
    assert left.iloc[-1] == (m.exit_day[: m.n] == 4).sum()  # day 4's own exits and the removed
    assert left.sum() == (m.exit_day[: m.n] >= 0).sum()
    assert (m.friends_lost[friends] > kept.members.friends_lost[friends]).all()


def test_a_fulfilled_member_who_leaves_unhappy_is_not_satisfied():
    """The need met is not why an unhappy member leaves: the exit says the grievance (v2)."""
    unhappy = 0
    for seed in range(6):
        run = simulate_cached("group=course", "population.fulfilled_leave_rate=0", "days=40",
                              f"seed={seed}")
        m = run.model.members
        reason = run.members["exit_reason"].to_numpy()
        gone = run.members["exit_day"].notna().to_numpy()
        # after leaving, satisfaction only fades toward 0: its sign is the one at the exit
        left_unhappy = m.column("fulfilled").astype(bool) & gone & (m.column("satisfaction") < 0)
        unhappy += left_unhappy.sum()
        assert set(reason[left_unhappy]) <= {"annoyed", "overload", "social"}
    assert unhappy >= 3
