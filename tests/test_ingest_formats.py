"""Each export format read from a small hand-written export: joins with inviters, leaves,
removals, replies, system messages, red packets; no names or texts written."""

from __future__ import annotations

import pandas as pd

from ingest_helpers import (by_key, discord_export, read, t, telegram_export, wechat_export, write_csv)
from sim.ingest.cli import ingest

EVENTS = ["time", "member", "event", "inviter"]


def _iso(seconds: int) -> str:
    return pd.Timestamp(seconds, unit="s", tz="UTC").isoformat()


def test_wechat(tmp_path):
    events = write_csv(tmp_path / "events.csv", EVENTS, [[_iso(t(5, 10)), "Dan", "leave", ""]])
    g = read(wechat_export(tmp_path), events=events)
    ann, bo, cai, dan, eve = (by_key(g, r) for r in ("wxid_ann", "wxid_bo", "name:Cai", "wxid_dan", "name:Eve"))
    assert bo["invited_by"] == ann["member_id"] and cai["invited_by"] == ann["member_id"]
    assert dan["invited_by"] == bo["member_id"] and dan["join_via"] == "qr" and dan["joined_day"] == 1
    assert eve["invited_by"] == ann["member_id"] and eve["joined_day"] == 2 and eve["messages"] == 0
    assert (cai["exit_reason"], cai["exit_day"], bool(cai["exit_inferred"])) == ("removed", 3, False)
    assert (dan["exit_reason"], dan["exit_day"]) == ("left", 5)
    assert not ann["joined_observed"] and ann["joined_day"] == 0 and ann["messages"] == 4
    me = by_key(g, "self")
    assert me["messages"] == 1
    d = g.daily.set_index("day")
    assert list(d["members"]) == [4, 5, 6, 5, 5, 4]  # me+Ann+Bo+Cai; +Dan; +Eve; -Cai; ; -Dan
    assert d["msg_red_packet"].sum() == 2 and d["msg_reply"].sum() == 1 and d["msg_media"].sum() == 2
    assert d["system_notices"].sum() == 5 and d["messages"].sum() == 9
    assert d["msg_valuable"].isna().all() and d["revenue"].isna().all()
    assert g.summary["exits"] == {"removed": 1, "left": 1} and g.summary["exits_inferred"] == 0


def test_wechat_infers_leaves_only_when_asked_or_untraced(tmp_path):
    g = read(wechat_export(tmp_path), silence_days=3)
    assert g.summary["source"]["leaves"].startswith("inferred")
    eve = by_key(g, "name:Eve")  # joined day 2, silent to the end (day 5)
    assert (eve["exit_reason"], eve["exit_day"], bool(eve["exit_inferred"])) == ("left", 3, True)
    d = g.daily.set_index("day")
    assert d["left"].sum() == 1 and d["left_inferred"].sum() == g.members["exit_inferred"].sum() >= 1
    assert (d["members_inferred"] <= d["members"]).all()
    off = read(wechat_export(tmp_path), silence_days=3, infer="off")
    assert not off.members["exit_inferred"].any()


def test_telegram(tmp_path):
    g = read(telegram_export(tmp_path))
    ann, bo, cai, dan, eve = (by_key(g, f"user{i}") if i in (1, 2, 4, 5) else by_key(g, "name:Cai")
                              for i in (1, 2, 3, 4, 5))
    assert bo["invited_by"] == ann["member_id"] and bo["joined_observed"]
    assert cai["invited_by"] == ann["member_id"] and cai["exit_reason"] == "removed" and cai["exit_day"] == 3
    assert dan["invited_by"] == bo["member_id"] and dan["join_via"] == "link"
    assert (dan["exit_reason"], dan["exit_day"], bool(dan["exit_inferred"])) == ("left", 4, False)
    assert pd.isna(eve["invited_by"]) and eve["join_via"] == "request"
    replies = g.messages[g.messages["kind"] == "reply"]
    assert len(replies) == 1 and g.messages.loc[int(replies["reply_to"].iloc[0]), "sender"] == ann["member_id"]
    assert set(g.messages["kind"]) == {"system", "text", "reply", "image", "sticker"}
    assert g.summary["source"]["leaves"].startswith("observed")


def test_discord_json(tmp_path):
    events = write_csv(tmp_path / "events.csv", EVENTS, [[_iso(t(3, 5)), "c", "leave", ""]])
    g = read(discord_export(tmp_path), events=events)
    a, b, c = (by_key(g, x) for x in "abc")
    assert (b["joined_day"], bool(b["joined_observed"]), c["joined_day"]) == (0, True, 1)
    assert (c["exit_reason"], c["exit_day"]) == ("left", 3)
    assert g.members["member_key"].nunique() == 3  # the bot is not a member
    kinds = g.messages["kind"].value_counts()
    assert kinds["reply"] == 1 and kinds["image"] == 1 and kinds["system"] == 4
    reply = g.messages[g.messages["kind"] == "reply"].iloc[0]
    assert g.messages.loc[int(reply["reply_to"]), "sender"] == a["member_id"]


def test_discord_csv(tmp_path):
    rows = [["a", "A", _iso(t(0)), "x", "", ""], ["b", "B", _iso(t(1)), "y", "cat.png", ""],
            ["a", "A", _iso(t(2)), "z", "", ""]]
    export = write_csv(tmp_path / "d.csv", ["AuthorID", "Author", "Date", "Content", "Attachments", "Reactions"], rows)
    events = write_csv(tmp_path / "events.csv", EVENTS, [[_iso(t(1)), "b", "join", "a"], [_iso(t(2, 1)), "b", "removed", ""],
                                                          [_iso(t(0)), "c", "join", "a"]])
    g = read(export, events=events)
    a, b = by_key(g, "a"), by_key(g, "b")
    assert b["invited_by"] == a["member_id"] and b["exit_reason"] == "removed" and b["joined_day"] == 1
    assert g.daily["msg_media"].sum() == 1 and list(g.daily["members"]) == [2, 3, 2]


def test_messages_csv_with_reply_rows_and_events(tmp_path):
    rows = [[_iso(t(0)), "ann", "text", ""], [_iso(t(0, 9)), "bo", "", "1"],
            [_iso(t(1)), "ann", "red_packet", ""], [_iso(t(1, 1)), "bo", "image", ""]]
    export = write_csv(tmp_path / "messages.csv", ["time", "sender", "kind", "reply_to"], rows)
    events = write_csv(tmp_path / "events.csv", EVENTS, [[_iso(t(0, -1)), "bo", "join", "ann"],
                                                          [_iso(t(2)), "bo", "leave", ""], [_iso(t(2)), "cy", "join", "bo"]])
    g = read(export, events=events)
    reply = g.messages[g.messages["kind"] == "reply"].iloc[0]
    assert int(reply["reply_to"]) == 0 and (reply["time"] - g.messages.loc[0, "time"]) == pd.Timedelta(minutes=9)
    cy = by_key(g, "name:cy")
    assert cy["invited_by"] == by_key(g, "bo")["member_id"]
    assert g.daily["msg_red_packet"].sum() == 1 and list(g.daily["left"]) == [0, 0, 1]


def test_folder_holds_no_names_or_texts(tmp_path):
    ingest(wechat_export(tmp_path), tmp_path / "out", salt="s")
    files = list((tmp_path / "out").iterdir())
    assert {"daily.parquet", "members.parquet", "summary.json", "messages.parquet", "events.parquet",
            "report.md", "measures.json", "activity.png"} <= {f.name for f in files}
    # tables and text (figures are compressed pixels: three-letter names turn up by chance)
    blob = b"".join(f.read_bytes() for f in files if f.suffix != ".png")
    for secret in ("Ann", "wxid_ann", "Dan", "Cai", "quote", "red packet", "邀请"):
        assert secret.encode() not in blob, secret


def test_a_quiet_wechat_group_of_two_posters_is_still_a_group(tmp_path):
    from ingest_helpers import wechat_rows
    from sim.ingest.writers import WECHAT_COLUMNS

    rows = [r for r in wechat_rows() if r[2] != 10000 and r[11] in ("wxid_ann", "wxid_bo")]
    g = read(write_csv(tmp_path / "w.csv", WECHAT_COLUMNS, rows))
    assert len(g.members) == 2


def test_auto_detects_every_format(tmp_path):
    from sim.ingest.detect import detect
    from sim.ingest.synthetic import truth_of, simulate
    from sim.ingest.writers import WRITERS

    run, counts = simulate(["days=5", "group.initial_members=6", "seed=1"])
    truth = truth_of(run, counts)
    for fmt, write in WRITERS.items():
        folder = tmp_path / fmt
        folder.mkdir()
        export, _ = write(truth, folder)
        assert detect(export) == fmt


def test_salt_file_makes_keys_stable_and_reruns_replace_the_folder(tmp_path):
    export = wechat_export(tmp_path)
    first = ingest(export, tmp_path / "runs" / "g")
    salt_file = tmp_path / "runs" / ".groupsim-salt"
    assert salt_file.stat().st_mode & 0o777 == 0o600
    second = ingest(export, tmp_path / "runs" / "g")
    assert list(first.members["member_key"]) == list(second.members["member_key"])
    other = ingest(export, tmp_path / "elsewhere" / "g")  # another salt, other keys
    assert set(other.members["member_key"]).isdisjoint(first.members["member_key"])
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == [".groupsim-salt", "g"]
