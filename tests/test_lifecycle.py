"""The lifecycle facts the model must show (shared/DOMAIN.md §3), with no operator."""

from __future__ import annotations

import numpy as np

from conftest import mean_of, over_seeds, paired


def lifetimes(group: str, days: int = 60) -> list[int]:
    return [r.summary["lifetime_days"] for r in over_seeds(f"group={group}", f"days={days}")]


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
    runs = over_seeds("group=course", "days=60")
    during = mean_of(runs, lambda r: r.daily["messages"].iloc[:5].mean())
    after = mean_of(runs, lambda r: r.daily["messages"].iloc[14:30].mean())
    assert after < 0.1 * during


def test_course_members_whose_need_was_met_leave_satisfied():
    runs = over_seeds("group=course", "days=60")
    satisfied = mean_of(runs, lambda r: (r.members["exit_reason"] == "satisfied").sum())
    assert satisfied >= 5
    interest = over_seeds("group=interest", "days=60")
    assert mean_of(interest, lambda r: (r.members["exit_reason"] == "satisfied").sum()) == 0


def test_without_moderation_spam_drives_high_need_members_out_first():
    """劣币驱逐良币 (004): with many spammers, the keenest members leave sooner."""
    runs = over_seeds("group=interest", "group.roles.spammers=0.1", "days=60")
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
