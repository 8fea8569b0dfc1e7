"""From the normalised frames to the run-shaped tables of a real group.

The same data contract as a simulated run where a field is observable
(``sim/metrics.py``); what an export cannot show (needs, muting, purchases,
spending, the simulated message kinds) is null, not 0. Day 0 is the first
local calendar day of the export. Members seen before any join of theirs
were there from day 0 (``joined_observed`` false). Exits are observed
(``left`` voluntary, ``removed``) or, where the format notes no leaves,
inferred from a long silence and flagged ``exit_inferred``; the daily
table keeps the two apart (``left`` vs ``left_inferred``, ``members`` vs
``members_inferred``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.ingest import pseudonym
from sim.ingest.frames import KIND_GROUPS, NOBODY, Export
from sim.metrics import DAILY_COLUMNS, MEMBER_COLUMNS, lifetime

ACTIVE_WINDOW = 7  # the simulator's default population.active_window_days
QUIET_MESSAGES, QUIET_DAYS = 3, 7  # the simulator's default death.quiet_messages / quiet_days
EXTRA_DAILY = ["operator_messages", "conversation", "date", "left_inferred", "members_inferred",
               *(f"msg_{g}" for g in KIND_GROUPS), "system_notices"]
EXTRA_MEMBERS = ["member_key", "joined_observed", "join_via", "exit_inferred", "first_post_day",
                 "last_seen_day", "rejoins"]

TEXT = {
    "posted_after_exit": "{n} member(s) posted after their recorded exit with no join in between; "
                         "they are counted as present from that exit on",
}


@dataclass
class Group:
    """A real group read from an export: frames for the measures and the contract tables."""

    messages: pd.DataFrame  # time, day, sender (member_id), kind, reply_to (row in this frame)
    events: pd.DataFrame    # time, day, member_id, event, inviter, via
    members: pd.DataFrame
    daily: pd.DataFrame
    summary: dict
    warnings: list[str] = field(default_factory=list)


def local_days(ns: pd.Series | np.ndarray, tz: str, day0: pd.Timestamp | None = None):
    local = pd.to_datetime(pd.Series(np.asarray(ns, dtype="int64")), utc=True).dt.tz_convert(tz)
    dates = local.dt.tz_localize(None).dt.normalize()
    day0 = dates.min() if day0 is None else day0
    return ((dates - day0).dt.days.astype("int64")), day0


def _spells(events: pd.DataFrame, first_post: dict, last_post: dict, n: int, warnings: list[str]):
    """Each member's presence spells ``(start, end, how_ended)`` from their events in time order."""
    spells, first_join, ignored = {}, {}, 0
    by_member = {m: g for m, g in events.sort_values("time", kind="stable").groupby("member_id")}
    for m in range(n):
        g = by_member.get(m)
        rows = [] if g is None else list(g[["time", "day", "event", "inviter", "via"]].itertuples(index=False))
        joins = [r for r in rows if r.event == "join"]
        implicit = not joins or (m in first_post and first_post[m][0] < joins[0].time) or rows[0].event != "join"
        start, out = (0 if implicit else None), []
        for r in rows:
            if r.event == "join" and start is None:
                start = r.day
                first_join.setdefault(m, r)
            elif r.event != "join" and start is not None:
                out.append((start, r.day, r.event, r.time))
                start = None
        if start is None and out and m in last_post and last_post[m][0] > out[-1][3]:
            start, ignored = out.pop()[0], ignored + 1
        if start is not None:
            out.append((start, None, None, None))
        spells[m] = (out, implicit)
    if ignored:
        warnings.append(TEXT["posted_after_exit"].format(n=ignored))
    return spells, first_join


def _counts(days: pd.Series, n_days: int) -> np.ndarray:
    return np.bincount(days.to_numpy(dtype="int64"), minlength=n_days)[:n_days]


def _int(values, missing=None) -> pd.Series:
    """Nullable integers (null where ``missing``), with a fresh index."""
    s = pd.Series(pd.array(np.asarray(values, dtype=object), dtype="Int64"))
    return s if missing is None else s.mask(np.asarray(missing, dtype=bool))


def _identities(sender: np.ndarray, msg_time: np.ndarray, events: pd.DataFrame, n_codes: int) -> np.ndarray:
    """``member_id[code]`` in order of first appearance (-1: nobody, e.g. a name never used)."""
    first = np.full(n_codes, np.iinfo("int64").max, dtype="int64")
    posted = sender >= 0
    np.minimum.at(first, sender[posted], msg_time[posted])
    np.minimum.at(first, events["member"].to_numpy(dtype="int64"), events["time"].to_numpy())
    inv = events.dropna(subset=["inviter"])
    np.minimum.at(first, inv["inviter"].to_numpy(dtype="int64"), inv["time"].to_numpy())
    seen = np.flatnonzero(first < np.iinfo("int64").max)
    order = seen[np.argsort(first[seen], kind="stable")]
    member_id = np.full(n_codes, -1, dtype="int64")
    member_id[order] = np.arange(len(order))
    return member_id


def _resolved(export: Export, warnings: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Messages and events in member ids (names folded into accounts), and the id → code list."""
    remap, said = export.people.resolve()
    warnings += said
    msgs = export.messages.sort_values("time", kind="stable").reset_index(drop=True)
    code = msgs["sender"].to_numpy()
    code = np.where(code >= 0, remap[np.maximum(code, 0)], NOBODY)
    ev = export.events.copy()
    ev["member"] = remap[ev["member"].to_numpy()]
    ev["inviter"] = _int(remap[ev["inviter"].fillna(0).to_numpy(dtype="int64")], ev["inviter"].isna().to_numpy())
    ev = ev.drop_duplicates(["time", "member", "event"])
    member_id = _identities(code, msgs["time"].to_numpy(), ev, len(remap))
    msgs["sender"] = _int(np.where(code >= 0, member_id[np.maximum(code, 0)], 0), code < 0)
    ev["member_id"] = member_id[ev["member"].to_numpy()]
    ev["inviter"] = _int(member_id[ev["inviter"].fillna(0).to_numpy(dtype="int64")], ev["inviter"].isna().to_numpy())
    codes = np.argsort(np.where(member_id >= 0, member_id, np.iinfo("int64").max))[: int((member_id >= 0).sum())]
    return msgs, ev.drop(columns="member").reset_index(drop=True), codes


def _reply_rows(msgs: pd.DataFrame) -> pd.Series:
    """``reply_to`` as the row of the message replied to (null when unknown or not in the export)."""
    asked = msgs["reply_to"].dropna()
    targets = msgs.loc[msgs["msg_id"].isin(asked.unique()), "msg_id"]  # only the ids replied to
    row_of = pd.Series(targets.index, index=targets.to_numpy())
    row_of = row_of[~row_of.index.duplicated()]
    rows = pd.Series(pd.NA, index=msgs.index, dtype="Int64")
    rows[asked.index] = asked.map(row_of).astype("Int64")
    return rows.reset_index(drop=True)


def _members(ev: pd.DataFrame, msgs: pd.DataFrame, n: int, n_days: int, infer: bool, gap: int,
             warnings: list[str]) -> tuple[pd.DataFrame, list]:
    posts = msgs[msgs["kind"] != "system"].dropna(subset=["sender"])
    per = posts.groupby("sender")
    first_post = dict(zip(per["time"].min().index, zip(per["time"].min(), per["day"].min())))
    last_post = dict(zip(per["time"].max().index, zip(per["time"].max(), per["day"].max())))
    counts = per.size().reindex(range(n), fill_value=0)
    spells, first_join = _spells(ev, first_post, last_post, n, warnings)
    last_event_day = ev.groupby("member_id")["day"].max()
    rows = []
    for m in range(n):
        out, implicit = spells[m]
        join = first_join.get(m) if not implicit else None
        start, end, how, _ = out[-1]
        seen = max(last_post.get(m, (0, -1))[1], int(last_event_day.get(m, 0)), start)
        inferred = infer and end is None and (n_days - 1) - seen >= gap
        rows.append({
            "member_id": m, "joined_day": out[0][0], "joined_observed": not implicit,
            "invited_by": None if join is None or pd.isna(join.inviter) else int(join.inviter),
            "join_via": None if join is None else join.via,
            "exit_day": seen + 1 if inferred else end,
            "exit_reason": "left" if inferred else {"leave": "left", "removed": "removed"}.get(how),
            "exit_inferred": bool(inferred), "messages": int(counts[m]),
            "first_post_day": first_post.get(m, (0, None))[1], "last_seen_day": seen,
            "rejoins": len(out) - 1,
        })
    return pd.DataFrame(rows), [spells[m] for m in range(n)]


def _daily(members: pd.DataFrame, spells: list, msgs: pd.DataFrame, n_days: int, day0) -> pd.DataFrame:
    delta, joined, left = (np.zeros(n_days + 1, dtype="int64") for _ in range(3))
    for out, implicit in spells:
        for i, (start, end, _, _) in enumerate(out):
            delta[start] += 1
            joined[start] += not (implicit and i == 0)
            if end is not None:
                delta[end] -= 1
                left[end] += 1
    present = np.cumsum(delta)[:n_days]
    inferred = members.loc[members["exit_inferred"], "exit_day"].to_numpy(dtype="int64")
    left_inferred = np.bincount(inferred, minlength=n_days + 1)[:n_days]
    said = msgs["kind"] != "system"
    posts = msgs[said & msgs["sender"].notna()]
    pairs = posts[["sender", "day"]].drop_duplicates().to_numpy(dtype="int64")
    window = (pairs[:, None, :] + np.array([[0, d] for d in range(ACTIVE_WINDOW)])).reshape(-1, 2)
    exit_day = members["exit_day"].where(~members["exit_inferred"]).fillna(n_days).to_numpy(dtype="int64")
    window = np.unique(window[(window[:, 1] < n_days) & (window[:, 1] < exit_day[window[:, 0]])], axis=0)
    active = np.bincount(window[:, 1], minlength=n_days)[:n_days] if len(window) else np.zeros(n_days, "int64")
    null = pd.Series(pd.NA, index=range(n_days), dtype="Int64")
    messages = _counts(msgs.loc[said, "day"], n_days)
    frame = pd.DataFrame({
        "day": np.arange(n_days), "members": present, "active": active, "lurkers": null, "muted": null,
        "joined": joined[:n_days], "left": left[:n_days], "messages": messages,
        **{c: null for c in DAILY_COLUMNS if c.startswith("msg_") or c == "conversions"},
        **{c: null.astype("Float64") for c in ("revenue", "spend_money", "spend_hours")},
        "operator_messages": null, "conversation": messages,
        "date": pd.date_range(day0, periods=n_days, freq="D").date,
        "left_inferred": left_inferred, "members_inferred": present - np.cumsum(left_inferred),
        **{f"msg_{g}": _counts(msgs.loc[msgs["kind"].isin(kinds), "day"], n_days) for g, kinds in KIND_GROUPS.items()},
        "system_notices": _counts(msgs.loc[~said, "day"], n_days),
    })
    ints = [c for c in frame.columns if c not in ("date", "revenue", "spend_money", "spend_hours")]
    return frame.astype({c: "Int64" for c in ints})


def assemble(export: Export, tz: str, infer: str, gap: int, salt: str) -> Group:
    """The contract tables and the measure frames for one export."""
    from sim.ingest.measures import gini

    warnings = list(export.warnings)
    msgs, ev, codes = _resolved(export, warnings)
    all_days, day0 = local_days(np.concatenate([msgs["time"].to_numpy(), ev["time"].to_numpy()]), tz)
    msgs["day"], ev["day"] = all_days[: len(msgs)].to_numpy(), all_days[len(msgs):].to_numpy()
    n_days, n = int(all_days.max()) + 1, len(codes)
    inferring = infer == "on" or (infer == "auto" and not export.records_leaves and not (ev["event"] == "leave").any())
    members, spells = _members(ev, msgs, n, n_days, inferring, gap, warnings)
    daily = _daily(members, spells, msgs, n_days, day0)
    keys = pseudonym.keys([export.people.raw[c] for c in codes], salt)
    table = pd.DataFrame({
        "member_id": members["member_id"], "role": pd.Series(pd.NA, index=members.index, dtype="string"),
        **{f"need_{k}": pd.Series(pd.NA, index=members.index, dtype="Float64") for k in ("learning", "social", "purchase")},
        "joined_day": members["joined_day"].astype("int64"), "invited_by": _int(members["invited_by"]),
        "muted_day": pd.Series(pd.NA, index=members.index, dtype="Int64"),
        "exit_day": _int(members["exit_day"]), "exit_reason": members["exit_reason"].astype("string"),
        "messages": members["messages"], "purchases": pd.Series(pd.NA, index=members.index, dtype="Int64"),
        "member_key": keys, "joined_observed": members["joined_observed"],
        "join_via": members["join_via"].astype("string"), "exit_inferred": members["exit_inferred"],
        "first_post_day": _int(members["first_post_day"]), "last_seen_day": members["last_seen_day"],
        "rejoins": members["rejoins"],
    })
    assert list(table.columns) == MEMBER_COLUMNS + EXTRA_MEMBERS
    messages = pd.DataFrame({
        "time": pd.to_datetime(msgs["time"], utc=True), "day": msgs["day"], "sender": msgs["sender"],
        "kind": msgs["kind"].astype("string"), "reply_to": _reply_rows(msgs),
    })
    events = pd.DataFrame({
        "time": pd.to_datetime(ev["time"], utc=True), "day": ev["day"], "member_id": ev["member_id"],
        "event": ev["event"], "inviter": ev["inviter"], "via": ev["via"],
    }).sort_values("time", kind="stable").reset_index(drop=True)
    summary = summarize(daily, table, export, tz, inferring, gap, gini(table["messages"]))
    return Group(messages, events, table, daily, summary, warnings)


def summarize(daily: pd.DataFrame, members: pd.DataFrame, export: Export, tz: str, inferring: bool,
              gap: int, participation_gini: float) -> dict:
    """The simulator's summary keys where observable, plus where the figures come from."""
    days, died = lifetime(daily.astype({"conversation": "int64"}), QUIET_MESSAGES, QUIET_DAYS)
    observed = members[~members["exit_inferred"]]
    founders = observed[observed["joined_day"] == 0]
    n = len(daily)
    return {
        "lifetime_days": days, "died": died,
        "final_members": int(daily["members"].iloc[-1]), "peak_members": int(daily["members"].max()),
        "total_messages": int(daily["messages"].sum()),
        "total_conversions": None, "revenue": None, "spend_money": None, "spend_hours": None,
        **{f"retention_day{d}": float(((founders["exit_day"].isna()) | (founders["exit_day"] > d)).mean())
           for d in (7, 30, 90) if d < n and len(founders)},
        "participation_gini": participation_gini,
        "exits": {k: int(v) for k, v in observed["exit_reason"].value_counts().items()},
        "exits_inferred": int(members["exit_inferred"].sum()),
        "members_ever": len(members),
        "days": n,
        "source": {"format": export.fmt, "first_day": str(daily["date"].iloc[0]),
                   "last_day": str(daily["date"].iloc[-1]), "time_zone": tz,
                   "leaves": ("observed (the format notes them)" if export.records_leaves else
                              f"inferred after {gap} silent days" if inferring else
                              "observed only (from the events file); none inferred")},
        "definitions": {
            "day": f"local calendar day in {tz}; day 0 is the export's first day",
            "members": ("members present at the end of the day by observed joins and exits; people "
                        "who never posted and never joined or left in the export are invisible"),
            "members_inferred": "members minus the exits inferred from silence",
            "active": f"present members who posted in the last {ACTIVE_WINDOW} days",
            "left": "observed exits that day (voluntary leaves and removals)",
            "left_inferred": ("members with no exit in the export whose last sign of life was at "
                              f"least {gap} days before its end, counted as gone the day after"),
            "died": (f"members posted fewer than {QUIET_MESSAGES} messages a day for {QUIET_DAYS} "
                     "consecutive days (spam cannot be told apart in an export, so all posts count)"),
            "joined_observed": "false for members present before their first join in the export",
            "retention_dayN": "share of members present on day 0 with no observed exit by day N",
            "participation_gini": "Gini coefficient of messages over everyone seen",
            "not observable (null)": ("lurkers, muted, msg_valuable..msg_ad, conversions, revenue, "
                                      "spend_money, spend_hours, operator_messages, needs, role, purchases"),
        },
    }
