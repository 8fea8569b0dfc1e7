"""The lifecycle facts the model must show (shared/DOMAIN.md §3), with no operator."""

from __future__ import annotations

import numpy as np

import pytest

from conftest import mean_of, over_seeds, paired, simulate_cached

# Group traits are drawn per group (model v2); these facts are the archetype's.
ARCHETYPE = tuple(f"group.variation.{k}=0" for k in ("size", "ties", "owner", "fit", "talk", "competition"))


def lifetimes(group: str, days: int = 60) -> list[int]:
    return [r.summary["lifetime_days"] for r in over_seeds(f"group={group}", f"days={days}", *ARCHETYPE)]


def test_temporary_course_group_goes_quiet_in_about_a_week():
    life = lifetimes("course")
    assert 4 <= np.mean(life) <= 14, life
    assert all(r.summary["died"] for r in over_seeds("group=course", "days=60"))


def test_long_term_groups_live_past_30_days():
    for group in ("interest", "groupbuy"):
        assert min(lifetimes(group)) > 30, group


def test_a_new_group_is_very_active_at_first_then_cools():
    for run in over_seeds("group=interest", "days=60"):
        messages = run.daily["messages"]
        assert messages.iloc[:3].mean() > 2.5 * messages.iloc[30:40].mean()


def test_course_group_is_forgotten_after_the_course_ends():
    """Members stop talking; spammers, who stay until removed (v2), are not the members."""
    runs = over_seeds("group=course", "days=60", *ARCHETYPE)
    during = mean_of(runs, lambda r: r.daily["conversation"].iloc[:5].mean())
    after = mean_of(runs, lambda r: r.daily["conversation"].iloc[14:30].mean())
    assert after < 0.1 * during


def test_course_members_whose_need_was_met_leave_satisfied():
    """003: the need met is the reason they go (v2: only those not unhappy are 'satisfied')."""
    count = lambda r: (r.members["exit_reason"] == "satisfied").sum()  # noqa: E731
    satisfied = mean_of(over_seeds("group=course", "days=60", *ARCHETYPE), count)
    unmet = mean_of(over_seeds("group=course", "days=60", "group.fulfilment_rate=0", *ARCHETYPE), count)
    assert satisfied >= 2 and unmet == 0, (satisfied, unmet)
    interest = over_seeds("group=interest", "days=60", *ARCHETYPE)
    assert mean_of(interest, lambda r: (r.members["exit_reason"] == "satisfied").sum()) == 0


def test_without_moderation_spam_drives_high_need_members_out_first():
    """劣币驱逐良币 (004): with many spammers, the keenest members leave sooner."""
    runs = over_seeds("group=interest", "group.roles.spammers=0.1", "days=60", *ARCHETYPE)
    share_gone = []
    for run in runs:
        m = run.model.members
        keen = m.column("intensity") > np.quantile(m.column("intensity"), 0.75)
        ordinary = m.column("intensity") < np.quantile(m.column("intensity"), 0.5)
        gone = run.members["exit_day"].notna().to_numpy()
        share_gone.append((gone[keen].mean(), gone[ordinary].mean()))
    keen_gone, ordinary_gone = np.mean(share_gone, axis=0)
    assert keen_gone > ordinary_gone + 0.05


def test_spam_rises_and_members_fall_without_moderation():
    pairs = paired(("group=interest", "days=60", "group.roles.spammers=0.0"),
                   ("group=interest", "days=60", "group.roles.spammers=0.1"))
    clean = np.mean([a.summary["final_members"] for a, _ in pairs])
    spammed = np.mean([b.summary["final_members"] for _, b in pairs])
    assert spammed < clean - 10


def test_a_strong_owner_retains_better_early():
    """臉譜效應 (000): a charismatic owner known to members keeps them in the first weeks."""
    pairs = paired(("group=interest", "days=30", "group.owner_charisma=0.0", "group.owner_posts_per_day=0"),
                   ("group=interest", "days=30", "group.owner_charisma=1.0", "group.owner_posts_per_day=3"))
    weak = np.mean([a.daily["active"].iloc[7:30].mean() for a, _ in pairs])
    strong = np.mean([b.daily["active"].iloc[7:30].mean() for _, b in pairs])
    assert strong > 1.1 * weak


def test_a_star_around_the_owner_collapses_when_the_owner_steps_back_a_mesh_survives():
    """001: a group tied only to the owner falls apart when the owner leaves; a mesh holds."""
    star = ("group=interest", "days=90", "group.owner_active_days=20", "group.mesh_ties=0",
            "group.knows_owner=1.0")
    mesh = ("group=interest", "days=90", "group.owner_active_days=20", "group.mesh_ties=6",
            "group.knows_owner=1.0")
    late = lambda r: r.daily["conversation"].iloc[40:90].mean()  # noqa: E731
    seeds = range(8)
    assert mean_of(over_seeds(*mesh, seeds=seeds), late) > 1.1 * mean_of(over_seeds(*star, seeds=seeds), late)


def test_the_owner_persona_is_the_operator_and_stops_when_the_owner_steps_back():
    """001, measured on members' talk only: the persona's posts are operator messages (v2)."""
    star = ("group=interest", "days=90", "group.owner_active_days=20", "group.mesh_ties=0",
            "group.knows_owner=1.0", "seed=1")
    run = simulate_cached(*star)
    d = run.daily.set_index("day")
    assert (d.loc[1:20, "operator_messages"] >= 1).all()  # the persona posts daily while active
    assert (d.loc[21:, "operator_messages"] == 0).all()
    assert run.members.set_index("member_id").loc[0, "messages"] == 0


def test_the_owner_talks_through_the_persona_only_and_staff_never_leave():
    run = simulate_cached("group=interest", "seed=3", "days=120")
    m = run.model.members
    staff = run.members[run.members["role"].isin(["owner", "admin"])]
    assert (staff["role"] == "admin").sum() >= 1
    assert m.talk[0] == 0 and staff.set_index("member_id").loc[0, "messages"] == 0
    assert (run.daily["operator_messages"] >= 1).all()  # the persona's posts, the operator's
    assert staff["exit_day"].isna().all()


def test_a_tiny_silent_group_buy_dies_whatever_the_tuanzhang_posts():
    """The 团长's persona and 接龙 are the operator's: they cannot keep a group alive (v2)."""
    for seed in range(3):
        run = simulate_cached("group=groupbuy", "group.initial_members=5", "group.chat_propensity=0",
                              "days=60", f"seed={seed}")
        assert run.daily["operator_messages"].sum() > 60
        assert run.summary["died"], seed
