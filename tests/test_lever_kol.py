"""KOL cultivation (扶持KOL / 培养核心用户): content, a member mesh, life after the owner.

Seeds 000 and 001: promote engaged members to share regularly (sometimes
paid); help members connect so the group is a mesh, not a star around the
owner. DOMAIN.md §1/§3: a group held together only by the owner collapses
when the owner steps back; a mesh of member-member ties survives; groups
with a KOL mesh retain better late. Costs operator time or money.

Every claim is a seed-paired comparison against the same group without KOLs
(``strategy=none``). "The owner steps back" is ``group.owner_active_days=10``.
"""

from __future__ import annotations

import numpy as np

from conftest import mean_of, over_seeds, paired

DAYS = 90
SEEDS = tuple(range(6))
LATE = (60, DAYS)
STEPS_BACK = ("group.owner_active_days=10",)


def _pairs(*group: str):
    return paired(("strategy=none", f"days={DAYS}", *group), ("strategy=kol", f"days={DAYS}", *group),
                  seeds=SEEDS)


def _late(column):
    return lambda r: float(r.daily.set_index("day").loc[LATE[0]:LATE[1], column].mean())


def _member_degree(r) -> float:
    """Mean number of ties among present members other than the owner (ties to the owner excluded)."""
    model = r.model
    n = model.members.n
    keep = model.members.present.copy()
    keep[0] = False
    ties = model.ties.matrix(n).tocsr()[keep][:, keep]
    return float(ties.sum() / keep.sum())


def _owner_share_of_ties(r) -> float:
    """The owner's share of all tie ends among present members: 1/2 for a pure star."""
    model = r.model
    keep = model.members.present.copy()
    ties = model.ties.matrix(model.members.n).tocsr()[keep][:, keep]
    degree = np.asarray(ties.sum(axis=1)).ravel()
    return float(degree[0] / degree.sum())


def test_kols_raise_valuable_messages():
    runs = _pairs()
    valuable = lambda r: r.daily["msg_valuable"].sum()  # noqa: E731
    base, kol = mean_of([b for b, _ in runs], valuable), mean_of([t for _, t in runs], valuable)
    assert kol > 1.5 * base, f"valuable messages {kol:.0f} with KOLs, {base:.0f} without"
    assert all(valuable(t) > valuable(b) for b, t in runs)


def test_kols_are_promoted_from_engaged_members():
    """The KOLs are the members who talked most before: their own messages (a KOL's
    scripted shares are operator messages, not theirs) beat the other eligible founders'."""
    for _, treat in _pairs():
        table = treat.members.set_index("member_id")
        kols = list(treat.model.policy.kol_slots)
        assert len(kols) >= 5 and (table.loc[kols, "role"] == "kol").all()
        others = table[(table["joined_day"] == 0) & ~table.index.isin(kols)
                       & table["role"].isin(["core", "member", "lurker"])]
        assert table.loc[kols, "messages"].median() > others["messages"].median()


def test_kols_build_a_member_mesh():
    runs = _pairs()
    base = mean_of([b for b, _ in runs], _member_degree)
    kol = mean_of([t for _, t in runs], _member_degree)
    assert kol > 1.5 * base, f"member-member ties per member: {kol:.1f} with KOLs, {base:.1f} without"
    owner_base = mean_of([b for b, _ in runs], _owner_share_of_ties)
    owner_kol = mean_of([t for _, t in runs], _owner_share_of_ties)
    assert owner_kol < 0.6 * owner_base, f"owner's share of ties {owner_kol:.1%} vs {owner_base:.1%}"


def test_kol_group_keeps_talking_after_the_owner_steps_back():
    runs = _pairs(*STEPS_BACK)
    for column, factor in (("conversation", 1.3), ("active", 1.3)):
        base = mean_of([b for b, _ in runs], _late(column))
        kol = mean_of([t for _, t in runs], _late(column))
        assert kol > factor * base, f"days {LATE}: {column} {kol:.1f} with KOLs, {base:.1f} without"
    members = _late("members")
    assert mean_of([t for _, t in runs], members) > mean_of([b for b, _ in runs], members) + 5
    lifetime = lambda r: r.summary["lifetime_days"]  # noqa: E731
    assert mean_of([t for _, t in runs], lifetime) >= mean_of([b for b, _ in runs], lifetime)


def test_owner_stepping_back_hurts_a_kol_group_less():
    """Star vs mesh (001): losing the owner costs the owner-centred group most of its talk."""
    conv = _late("conversation")
    with_owner = _pairs()
    without = _pairs(*STEPS_BACK)
    drop_base = 1 - mean_of([b for b, _ in without], conv) / mean_of([b for b, _ in with_owner], conv)
    drop_kol = 1 - mean_of([t for _, t in without], conv) / mean_of([t for _, t in with_owner], conv)
    assert drop_base > 0.1, f"without KOLs the owner's exit costs only {drop_base:.0%} of late talk"
    assert drop_kol < 0.5 * drop_base, f"late talk lost: {drop_kol:.0%} with KOLs, {drop_base:.0%} without"
