"""What a group's record says about it, as functions of the normalised frames.

Each takes the frames a real group is read into (``messages``: time, day,
sender, kind, reply_to; ``members``: the contract's member table; ``daily``)
and none reads anything format-specific, so calibration can later apply the
same functions to simulated runs (a simulated ``members.parquet`` already
has ``joined_day, invited_by, exit_day, exit_reason, messages``).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from sim.ingest.frames import KIND_GROUPS

TOP_SHARE = 0.10


def gini(values) -> float:
    """Gini coefficient of non-negative values (0: all equal; →1: one has everything)."""
    x = np.sort(np.asarray(values, dtype=float))
    if len(x) == 0 or x.sum() == 0:
        return 0.0
    ranks = np.arange(1, len(x) + 1)
    return float((2 * ranks - len(x) - 1) @ x / (len(x) * x.sum()))


def posts(messages: pd.DataFrame) -> pd.DataFrame:
    """Members' own posts: not system notices, with a known sender."""
    return messages[(messages["kind"] != "system") & messages["sender"].notna()]


def participation(members: pd.DataFrame) -> dict:
    """Inequality of posting: top-10% share, Gini, share who never posted."""
    x = members["messages"].astype(float).sort_values(ascending=False).to_numpy()
    top = max(1, int(np.ceil(TOP_SHARE * len(x)))) if len(x) else 0
    total = x.sum()
    return {"members": len(x), "top10_share": float(x[:top].sum() / total) if total else None,
            "gini": gini(x), "never_posted_share": float((x == 0).mean()) if len(x) else None}


def rank_curve(members: pd.DataFrame) -> pd.Series:
    """Messages by rank (1 = most), posters only: the log-log participation curve."""
    x = members["messages"].astype(int)
    x = x[x > 0].sort_values(ascending=False).to_numpy()
    return pd.Series(x, index=pd.RangeIndex(1, len(x) + 1, name="rank"), name="messages")


def newcomers(members: pd.DataFrame, messages: pd.DataFrame, within: int = 7) -> tuple[pd.DataFrame, dict]:
    """Members who joined during the record: days to first post, and whether they came back.

    Coming back = posting on a later day than their first post.
    """
    joined = members[members["joined_day"] > 0]
    if "joined_observed" in joined:
        joined = joined[joined["joined_observed"]]
    days_posted = posts(messages).groupby("sender")["day"].agg(["min", "nunique"])
    per = pd.DataFrame({"member_id": joined["member_id"], "joined_day": joined["joined_day"]}).join(
        days_posted, on="member_id")
    per["days_to_first_post"] = per["min"] - per["joined_day"]
    per["came_back"] = per["nunique"] > 1
    posted = per["days_to_first_post"].notna()
    summary = {
        "newcomers": len(per), "posted": int(posted.sum()),
        "posted_share": float(posted.mean()) if len(per) else None,
        f"posted_within_{within}_days_share": float((per["days_to_first_post"] < within).mean()) if len(per) else None,
        "median_days_to_first_post": float(per.loc[posted, "days_to_first_post"].median()) if posted.any() else None,
        "came_back_share_of_posters": float(per.loc[posted, "came_back"].mean()) if posted.any() else None,
    }
    return per.drop(columns=["min", "nunique"]).reset_index(drop=True), summary


def replies(messages: pd.DataFrame) -> tuple[pd.Series, dict]:
    """Reply share of posts, and the latency to the message replied to where the export links it."""
    said = posts(messages)
    is_reply = said["kind"] == "reply"
    linked = said[is_reply & said["reply_to"].notna()]
    target = messages["time"].reindex(linked["reply_to"].astype("int64").to_numpy()).to_numpy()
    latency = pd.Series((linked["time"].to_numpy() - target) / pd.Timedelta(minutes=1), name="minutes")
    latency = latency[latency >= 0]
    return latency, {
        "posts": len(said), "reply_share": float(is_reply.mean()) if len(said) else None,
        "replies_linked": len(linked),
        "median_latency_minutes": float(latency.median()) if len(latency) else None,
        "p90_latency_minutes": float(latency.quantile(0.9)) if len(latency) else None,
    }


def quit_hazard(members: pd.DataFrame, days: int, width: int = 7) -> pd.DataFrame:
    """Exits per member at risk, by tenure in ``width``-day bins; observed and inferred apart.

    Tenure runs from the join to the exit, or to the end of the record
    (censored). A member at risk in a bin reached its start.
    """
    end = members["exit_day"].astype("Float64").fillna(days).to_numpy(dtype=float)
    tenure = end - members["joined_day"].to_numpy(dtype=float)
    exited = members["exit_day"].notna().to_numpy()
    inferred = members.get("exit_inferred", pd.Series(False, index=members.index)).to_numpy(dtype=bool)
    bins = np.arange(0, max(float(tenure.max()) if len(tenure) else 0, width) + width, width)
    rows = []
    for lo, hi in zip(bins[:-1], bins[1:]):
        at_risk = int((tenure >= lo).sum())
        inside = (tenure >= lo) & (tenure < hi) & exited
        obs, inf = int((inside & ~inferred).sum()), int((inside & inferred).sum())
        rows.append({"tenure_from": int(lo), "tenure_to": int(hi), "at_risk": at_risk,
                     "exits_observed": obs, "exits_inferred": inf,
                     "hazard_observed": obs / at_risk if at_risk else np.nan,
                     "hazard_inferred": inf / at_risk if at_risk else np.nan})
    return pd.DataFrame(rows)


def invitation_forest(members: pd.DataFrame) -> nx.DiGraph:
    """Inviter → invitee edges over every member (isolated members are one-node trees)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(members["member_id"].astype(int))
    known = members.dropna(subset=["invited_by"])
    graph.add_edges_from(zip(known["invited_by"].astype(int), known["member_id"].astype(int)))
    return graph


def cascades(members: pd.DataFrame) -> pd.DataFrame:
    """Each invitation cascade with 2+ members: size, depth, Wiener index, mean distance.

    Mean distance = Wiener index / pairs, Qiu et al.'s structural virality
    (deep chains ~4, one-hub broadcasts ~1.8).
    """
    graph = invitation_forest(members)
    rows = []
    for nodes in nx.weakly_connected_components(graph):
        if len(nodes) < 2:
            continue
        tree = graph.subgraph(nodes)
        roots = [v for v in nodes if tree.in_degree(v) == 0]
        depth = max(nx.single_source_shortest_path_length(tree, roots[0]).values()) if len(roots) == 1 else None
        wiener = nx.wiener_index(tree.to_undirected())
        pairs = len(nodes) * (len(nodes) - 1) / 2
        rows.append({"root": roots[0] if len(roots) == 1 else None, "size": len(nodes), "depth": depth,
                     "wiener_index": float(wiener), "mean_distance": float(wiener / pairs)})
    columns = ["root", "size", "depth", "wiener_index", "mean_distance"]
    return pd.DataFrame(rows, columns=columns).sort_values("size", ascending=False, ignore_index=True)


def kinds_over_time(messages: pd.DataFrame, width: int = 7) -> pd.DataFrame:
    """Counts per ``width``-day period by kind group (text, media, reply, red packet, other, system)."""
    group = {k: g for g, kinds in KIND_GROUPS.items() for k in kinds} | {"system": "system"}
    frame = pd.DataFrame({"period": messages["day"] // width * width,
                          "group": messages["kind"].map(group).fillna("other")})
    table = frame.value_counts().unstack(fill_value=0)
    return table.reindex(columns=[*KIND_GROUPS, "system"], fill_value=0).sort_index()


def rhythm(messages: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Posts by weekday (rows, Monday first) and local hour of day (columns)."""
    local = posts(messages)["time"].dt.tz_convert(tz)
    table = pd.crosstab(local.dt.day_of_week, local.dt.hour)
    return table.reindex(index=range(7), columns=range(24), fill_value=0)
