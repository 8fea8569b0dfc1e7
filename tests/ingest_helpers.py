"""Small hand-written exports for the ingest tests (made-up people, no real data)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd

from sim.ingest.cli import read_group
from sim.ingest.writers import WECHAT_COLUMNS

DAY = pd.Timestamp("2024-05-06 10:00", tz="Asia/Shanghai")  # a Monday
SALT = "s"


def t(day: int, minutes: int = 0) -> int:
    """Unix seconds, ``day`` days and ``minutes`` after 10:00 Beijing time on day 0."""
    return int((DAY + pd.Timedelta(days=day, minutes=minutes)).timestamp())


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def wechat_rows(talker: str = "123@chatroom") -> list[list]:
    def row(i, kind, sub, sender, name, when, text="hi", mine=0):
        return [i, talker, kind, sub, mine, when, 2, text, "", "", name, sender]
    return [
        row(1, 10000, 0, "", "", t(0), '"Ann"邀请"Bo、Cai"加入了群聊'),
        row(2, 1, 0, "wxid_ann", "Ann", t(0, 1)),
        row(3, 1, 0, "wxid_bo", "Bo", t(0, 2)),
        row(4, 10000, 0, "", "", t(1), '"Dan"通过扫描"Bo"分享的二维码加入群聊'),
        row(5, 3, 0, "wxid_dan", "Dan", t(1, 5)),
        row(6, 49, 57, "wxid_ann", "Ann", t(1, 6), "quote"),
        row(7, 436207665, 0, "wxid_ann", "Ann", t(2), "red packet"),
        row(8, 49, 2001, "wxid_bo", "Bo", t(2, 1), "red packet"),
        row(9, 10000, 0, "", "", t(2, 3), '"Ann" invited "Eve" to the group chat'),
        row(10, 10000, 0, "", "", t(3), '你将"Cai"移出了群聊'),
        row(11, 10000, 0, "", "", t(3, 1), '"Bo"撤回了一条消息'),
        row(12, 1, 0, "", "Me", t(3, 2), mine=1),
        row(13, 47, 0, "wxid_dan", "Dan", t(4)),
        row(14, 49, 87, "wxid_ann", "Ann", t(5), "announcement"),
    ]


def wechat_export(folder: Path, encoding: str = "utf-8", talker: str = "123@chatroom") -> Path:
    return write_csv(folder / "wechat.csv", WECHAT_COLUMNS, wechat_rows(talker), encoding)


def telegram_messages() -> list[dict]:
    def msg(i, day, minutes, **kw):
        return {"id": i, "date": "2024-05-06T10:00:00", "date_unixtime": str(t(day, minutes)), **kw}
    return [
        msg(1, 0, 0, type="service", actor="Ann", actor_id="user1", action="create_group", title="g", members=["Bo"]),
        msg(2, 0, 1, type="message", **{"from": "Ann", "from_id": "user1"}, text="hello"),
        msg(3, 0, 30, type="message", **{"from": "Bo", "from_id": "user2"}, text="hi", reply_to_message_id=2),
        msg(4, 1, 0, type="service", actor="Ann", actor_id="user1", action="invite_members", members=["Cai"]),
        msg(5, 1, 5, type="service", actor="Dan", actor_id="user4", action="join_group_by_link", inviter="Bo"),
        msg(6, 1, 6, type="message", **{"from": "Dan", "from_id": "user4"}, photo="photos/1.jpg"),
        msg(7, 2, 0, type="service", actor="Eve", actor_id="user5", action="join_group_by_request"),
        msg(8, 3, 0, type="service", actor="Ann", actor_id="user1", action="remove_members", members=["Cai"]),
        msg(9, 4, 0, type="service", actor="Dan", actor_id="user4", action="remove_members", members=["Dan"]),
        msg(10, 4, 1, type="message", **{"from": "Bo", "from_id": "user2"}, media_type="sticker", file="s.webp"),
    ]


def telegram_export(folder: Path, kind: str = "private_supergroup", messages=None) -> Path:
    path = folder / "result.json"
    doc = {"name": "g", "type": kind, "id": 7, "messages": telegram_messages() if messages is None else messages}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1))
    return path


def discord_messages() -> list[dict]:
    def msg(i, day, minutes, author, kind="Default", bot=False, **kw):
        iso = (DAY + pd.Timedelta(days=day, minutes=minutes)).tz_convert("UTC").isoformat()
        return {"id": str(i), "type": kind, "timestamp": iso, "content": "x", "attachments": [], "stickers": [],
                "author": {"id": author, "name": author.upper(), "nickname": author.upper(), "isBot": bot}, **kw}
    return [
        msg(100, 0, 0, "a"),
        msg(101, 0, 1, "b", "GuildMemberJoin"),
        msg(102, 0, 2, "b", "Reply", reference={"messageId": "100"}),
        msg(103, 1, 0, "c", "GuildMemberJoin"),
        msg(104, 1, 1, "c", attachments=[{"id": "1", "fileName": "cat.png"}]),
        msg(105, 1, 2, "bot", bot=True),
        msg(106, 2, 0, "a", "ChannelPinnedMessage"),
        msg(107, 3, 0, "a"),
    ]


def discord_export(folder: Path, channel: str = "GuildTextChat") -> Path:
    path = folder / "discord.json"
    path.write_text(json.dumps({"guild": {"id": "1", "name": "g"}, "channel": {"id": "2", "type": channel},
                                "messages": discord_messages()}))
    return path


def read(path: Path, fmt: str = "auto", events: Path | None = None, **kw):
    return read_group(path, fmt, events, tz=kw.pop("tz", "Asia/Shanghai"), salt=SALT, **kw)


def by_key(group, raw: str) -> pd.Series:
    """The member row of account (or ``name:X``) ``raw``."""
    from sim.ingest.pseudonym import keys

    rows = group.members[group.members["member_key"] == keys([raw], SALT)[0]]
    assert len(rows) == 1, raw
    return rows.iloc[0]
