"""The measures on frames with known answers, and on a simulated run's tables (calibration will)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.ingest import measures


def members(invited_by, messages=None, joined=None, exit_day=None, inferred=None):
    n = len(invited_by)
    return pd.DataFrame({
        "member_id": range(n), "invited_by": pd.array(invited_by, dtype="Int64"),
        "messages": messages if messages is not None else [1] * n,
        "joined_day": joined if joined is not None else [0] * n,
        "exit_day": pd.array(exit_day if exit_day is not None else [None] * n, dtype="Int64"),
        "exit_inferred": inferred if inferred is not None else [False] * n,
    })


def test_wiener_index_tells_a_chain_from_a_broadcast():
    chain = measures.cascades(members([None, 0, 1, 2, 3]))
    star = measures.cascades(members([None, 0, 0, 0, 0]))
    assert chain.loc[0, ["size", "depth", "wiener_index", "mean_distance"]].tolist() == [5, 4, 20.0, 2.0]
    assert star.loc[0, ["size", "depth", "wiener_index", "mean_distance"]].tolist() == [5, 1, 16.0, 1.6]
    two = measures.cascades(members([None, 0, None, 2, 2, 2, None]))  # two trees and a loner
    assert two["size"].tolist() == [4, 2]


def test_participation():
    got = measures.participation(members([None] * 10, messages=[91, 1, 1, 1, 1, 1, 1, 1, 1, 0]))
    assert got["top10_share"] == pytest.approx(91 / 99) and got["never_posted_share"] == pytest.approx(0.1)
    assert got["gini"] == pytest.approx(measures.gini([91, 1, 1, 1, 1, 1, 1, 1, 1, 0]))
    assert measures.gini([5, 5, 5]) == 0 and measures.gini([0, 0, 9]) == pytest.approx(2 / 3)
    assert measures.rank_curve(members([None] * 3, messages=[2, 0, 7])).tolist() == [7, 2]


def test_quit_hazard_keeps_observed_and_inferred_apart():
    m = members([None] * 4, joined=[0, 0, 3, 0], exit_day=[2, 9, 5, None], inferred=[False, True, False, False])
    table = measures.quit_hazard(m, days=20, width=7).set_index("tenure_from")
    assert table.loc[0, ["at_risk", "exits_observed", "exits_inferred"]].tolist() == [4, 2, 0]
    assert table.loc[7, ["at_risk", "exits_observed", "exits_inferred"]].tolist() == [2, 0, 1]
    assert table.loc[7, "hazard_inferred"] == 0.5


def test_newcomers_replies_kinds_and_rhythm():
    t0 = pd.Timestamp("2024-05-06 02:00", tz="UTC")  # Monday 10:00 in Beijing
    msgs = pd.DataFrame({
        "time": [t0, t0 + pd.Timedelta(minutes=4), t0 + pd.Timedelta(days=2), t0 + pd.Timedelta(days=3), t0],
        "day": [0, 0, 2, 3, 0], "sender": pd.array([0, 0, 1, 1, None], dtype="Int64"),
        "kind": ["text", "reply", "image", "red_packet", "system"], "reply_to": pd.array([None, 0, None, None, None], dtype="Int64"),
    })
    m = members([None, 0, 0], joined=[0, 1, 1]).assign(joined_observed=True)  # 2 joined day 1, never posts
    per, summary = measures.newcomers(m, msgs)
    assert per.set_index("member_id").loc[1, ["days_to_first_post", "came_back"]].tolist() == [1, True]
    assert (summary["newcomers"], summary["posted"], summary["median_days_to_first_post"],
            summary["came_back_share_of_posters"]) == (2, 1, 1.0, 1.0)
    latency, replies = measures.replies(msgs)
    assert latency.tolist() == [4.0] and replies["reply_share"] == 0.25
    kinds = measures.kinds_over_time(msgs)
    assert kinds.loc[0, ["text", "media", "reply", "red_packet", "system"]].tolist() == [1, 1, 1, 1, 1]
    rhythm = measures.rhythm(msgs, "Asia/Shanghai")
    assert rhythm.loc[0, 10] == 2 and rhythm.to_numpy().sum() == 4


def test_measures_apply_to_a_simulated_run():
    from sim.api import simulate

    run = simulate(["days=30", "group.initial_members=25", "seed=2"])
    part = measures.participation(run.members)
    assert part["gini"] == pytest.approx(run.summary["participation_gini"])
    cascades = measures.cascades(run.members)
    assert cascades["size"].sum() <= len(run.members) and cascades.loc[0, "mean_distance"] >= 1
    hazard = measures.quit_hazard(run.members, len(run.daily))
    assert hazard["exits_observed"].sum() == run.members["exit_day"].notna().sum()
    assert np.isfinite(hazard["hazard_observed"]).any()
