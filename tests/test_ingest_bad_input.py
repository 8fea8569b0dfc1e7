"""Bad exports: one clear line naming file/row/field and exit 2, or a warning and a correct result;
never a half-written folder."""

from __future__ import annotations

import json

import pytest

from ingest_helpers import (discord_export, read, t, telegram_export, telegram_messages, wechat_export,
                            wechat_rows, write_csv)
from sim.ingest.cli import main as cli_main
from sim.ingest.writers import WECHAT_COLUMNS


def exit_code(argv: list[str]) -> int:
    """The command's exit status, as the shell sees it (the shared error handler exits)."""
    try:
        cli_main(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0


def truncated_json(d):
    path = telegram_export(d)
    text = path.read_text()
    path.write_text(text[: len(text) * 2 // 3])
    return [str(path)]


def truncated_header(d):
    path = telegram_export(d)
    path.write_text(path.read_text()[:15])
    return [str(path)]


def wrong_columns(d):
    return [str(write_csv(d / "x.csv", ["when", "who", "what"], [["1", "a", "b"]])), "--format", "wechat-csv"]


def unknown_columns(d):
    return [str(write_csv(d / "x.csv", ["when", "who", "what"], [["1", "a", "b"]]))]


def one_to_one_wechat(d):
    return [str(wechat_export(d, talker="wxid_friend"))]


def one_to_one_telegram(d):
    return [str(telegram_export(d, kind="personal_chat"))]


def one_to_one_discord(d):
    return [str(discord_export(d, channel="DirectTextChat"))]


def two_people_plain(d):
    rows = [["2024-05-06T10:00:00Z", "a"], ["2024-05-06T10:01:00Z", "b"]]
    return [str(write_csv(d / "messages.csv", ["time", "sender"], rows))]


def empty_group(d):
    return [str(write_csv(d / "wechat.csv", WECHAT_COLUMNS, []))]


def empty_telegram(d):
    return [str(telegram_export(d, messages=[]))]


def zero_bytes(d):
    (d / "wechat.csv").write_bytes(b"")
    return [str(d / "wechat.csv"), "--format", "wechat-csv"]


def bad_time(d):
    rows = wechat_rows()
    rows[2][5] = "yesterday"
    return [str(write_csv(d / "wechat.csv", WECHAT_COLUMNS, rows))]


def bad_type(d):
    rows = wechat_rows()
    rows[4][2] = "image"
    return [str(write_csv(d / "wechat.csv", WECHAT_COLUMNS, rows))]


def bad_event(d):
    events = write_csv(d / "events.csv", ["time", "member", "event"], [["2024-05-06T10:00:00Z", "Bo", "quit"]])
    return [str(wechat_export(d)), "--events", str(events)]


def bad_kind(d):
    rows = [["2024-05-06T10:00:00Z", "a", "text"], ["2024-05-06T10:01:00Z", "b", "gif"]]
    return [str(write_csv(d / "messages.csv", ["time", "sender", "kind"], rows))]


def ragged(d):
    path = wechat_export(d)
    path.write_text(path.read_text() + "99,123@chatroom,1,0,0,1,2,x,,,,wxid_x,extra,fields\n")
    return [str(path)]


def binary(d):
    (d / "blob.csv").write_bytes(b"time,sender\n" + b"\xff\x80\x00\xfe" * 5000)
    return [str(d / "blob.csv"), "--format", "messages-csv"]


def bad_tz(d):
    return [str(wechat_export(d)), "--tz", "Mars/Olympus"]


def bad_silence(d):
    return [str(wechat_export(d)), "--silence-days", "0"]


def missing_file(d):
    return [str(d / "nope.csv")]


def occupied_out(d):
    (d / "out").mkdir()
    (d / "out" / "mine.txt").write_text("keep me")
    return [str(wechat_export(d))]


REFUSED = [  # (case, what the one line must say)
    (truncated_json, "result.json: not valid JSON (truncated?) after message"),
    (truncated_header, "result.json: not valid JSON (truncated?)"),
    (wrong_columns, "x.csv: missing columns TalkerId, Type, SubType"),
    (unknown_columns, "x.csv: cannot tell the format"),
    (one_to_one_wechat, "wechat.csv: a one-to-one chat"),
    (one_to_one_telegram, "result.json: a one-to-one chat"),
    (one_to_one_discord, "discord.json: a one-to-one chat"),
    (two_people_plain, "messages.csv: a one-to-one chat (2 participants)"),
    (empty_group, "wechat.csv: no messages and no joins or leaves"),
    (empty_telegram, "result.json: no messages and no joins or leaves"),
    (zero_bytes, "wechat.csv: the file is empty"),
    (bad_time, "wechat.csv: row 3: CreateTime: not a time: 'yesterday'"),
    (bad_type, "wechat.csv: row 5: Type: not a number: 'image'"),
    (bad_event, "events.csv: row 1: event: 'quit' is not one of join, leave, removed"),
    (bad_kind, "messages.csv: row 2: kind: 'gif' is not one of"),
    (ragged, "wechat.csv: line 16: not a readable CSV (Expected 12 fields in line 16, saw 14)"),
    (binary, "blob.csv: not text (neither UTF-8 nor GBK)"),
    (bad_tz, "--tz: unknown time zone 'Mars/Olympus'"),
    (bad_silence, "--silence-days: must be at least 1, got 0"),
    (missing_file, "nope.csv: no such file"),
    (occupied_out, "out: exists and is not a groupsim-ingest folder"),
]


@pytest.mark.parametrize("case, said", REFUSED, ids=[c.__name__ for c, _ in REFUSED])
def test_refused_with_one_line(case, said, tmp_path, capsys):
    out = tmp_path / "out"
    argv = case(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert exit_code([*argv, "--out", str(out), "--salt", "s"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("groupsim-ingest: "), err
    assert said in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing half-written, no temp folders left
    if case is occupied_out:
        assert (out / "mine.txt").read_text() == "keep me"


def test_gbk_export_is_read_with_a_warning(tmp_path, capsys):
    path = write_csv(tmp_path / "wechat.csv", WECHAT_COLUMNS, [
        [1, "1@chatroom", 10000, 0, 0, t(0), 4, '"老王"邀请"小李"加入了群聊', "", "", "", ""],
        [2, "1@chatroom", 1, 0, 0, t(0, 1), 2, "你好", "", "", "老王", "wxid_w"],
        [3, "1@chatroom", 1, 0, 0, t(1), 2, "在", "", "", "小李", "wxid_l"],
        [4, "1@chatroom", 1, 0, 0, t(1), 2, "在", "", "", "小张", "wxid_z"]], encoding="gbk")
    assert exit_code([str(path), "--out", str(tmp_path / "out"), "--salt", "s"]) == 0
    assert "warning: wechat.csv: not UTF-8; read as GBK" in capsys.readouterr().err
    g = read(path)
    members = g.members.set_index("member_key")
    from ingest_helpers import by_key
    assert by_key(g, "wxid_l")["invited_by"] == by_key(g, "wxid_w")["member_id"]
    assert len(members) == 3


def test_mixed_time_zones_are_converted_with_a_warning(tmp_path, capsys):
    rows = [["2024-05-06T23:30:00+08:00", "a"], ["2024-05-06T15:40:00Z", "b"],  # both 23:xx in Beijing
            ["2024-05-07 00:10:00", "c"], ["2024-05-06T16:20:00+00:00", "a"]]   # both day 1 in Beijing
    path = write_csv(tmp_path / "messages.csv", ["time", "sender"], rows)
    assert exit_code([str(path), "--out", str(tmp_path / "out"), "--tz", "Asia/Shanghai", "--salt", "s"]) == 0
    err = capsys.readouterr().err
    assert "2 different UTC offsets (+0000, +0800)" in err and "some times have no UTC offset" in err
    g = read(path)
    assert list(g.messages["day"]) == [0, 0, 1, 1] and list(g.daily["messages"]) == [2, 2]


def test_json_cut_before_messages_names_no_message(tmp_path):
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "g", "type": "private_group", "id": 1, "messages": telegram_messages()})[:-40])
    with pytest.raises(Exception, match=r"after message \d+"):
        read(path)
