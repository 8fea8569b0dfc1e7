"""Writing a known group history out as each export format (tests and worked examples).

A ``Truth`` is the history in plain terms: ``people`` (``id``, ``name``),
``messages`` (``time`` UTC, ``sender`` id, ``kind``, ``msg_id``,
``reply_to``) and ``events`` (``time``, ``member`` id, ``event``,
``inviter`` id). Each writer puts into the export what the format can
show and returns the rest as an ``events.csv`` for ``--events`` (WeChat
and Discord show no voluntary leaves; Discord no inviters; its CSV no
joins at all).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.ingest.wechat import RED_PACKET_TYPE

WECHAT_TYPE = {"text": (1, 0), "image": (3, 0), "voice": (34, 0), "video": (43, 0), "sticker": (47, 0),
               "reply": (49, 57), "announcement": (49, 87), "transfer": (49, 2000),
               "red_packet": (RED_PACKET_TYPE, 0), "link": (49, 5), "other": (42, 0), "system": (10000, 0)}
WECHAT_COLUMNS = ["localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status",
                  "StrContent", "StrTime", "Remark", "NickName", "Sender"]
TELEGRAM_MEDIA = {"image": {"photo": "photos/p.jpg"}, "sticker": {"media_type": "sticker", "file": "s.webp"},
                  "voice": {"media_type": "voice_message", "file": "v.ogg"},
                  "video": {"media_type": "video_file", "file": "v.mp4"}, "other": {"file": "f.pdf"}}
DISCORD_FILE = {"image": "a.png", "video": "a.mp4", "voice": "a.ogg", "other": "a.pdf"}
TALKER = "20000000001@chatroom"


@dataclass
class Truth:
    people: pd.DataFrame
    messages: pd.DataFrame
    events: pd.DataFrame
    tz: str = "Asia/Shanghai"

    @property
    def names(self) -> dict:
        return dict(zip(self.people["id"], self.people["name"]))


def _events_csv(path: Path, events: pd.DataFrame, names: dict | None = None) -> Path | None:
    """``events.csv`` for ``--events``; members by display name where the export names them so."""
    if events.empty:
        return None
    frame = events.assign(time=events["time"].map(lambda t: t.isoformat()))
    if names:
        frame = frame.assign(member=frame["member"].map(names), inviter=frame["inviter"].map(names))
    frame[["time", "member", "event", "inviter"]].to_csv(path, index=False)
    return path


def _timeline(truth: Truth) -> list[tuple]:
    """Messages and events merged in time order: (time, 'message'|'event', row)."""
    rows = [(r.time, 1, "message", r) for r in truth.messages.itertuples(index=False)]
    rows += [(r.time, 0 if r.event == "join" else 2, "event", r) for r in truth.events.itertuples(index=False)]
    return [(t, what, r) for t, _, what, r in sorted(rows, key=lambda x: (x[0], x[1]))]


def wechat(truth: Truth, folder: Path, english: bool = False) -> tuple[Path, Path | None]:
    """A WeChat PC export CSV; joins and removals as system notices, leaves to events.csv."""
    names, rows, rest = truth.names, [], []
    for i, (t, what, r) in enumerate(_timeline(truth)):
        local = t.tz_convert(truth.tz).strftime("%Y-%m-%d %H:%M:%S")
        if what == "message":
            kind, sub = WECHAT_TYPE[r.kind]
            rows.append([i + 1, TALKER, kind, sub, 0, int(t.timestamp()), 2, f"text {i}", local, "",
                         names[r.sender], r.sender])
            continue
        who, by = names[r.member], names.get(r.inviter) if pd.notna(r.inviter) else None
        if r.event == "join" and by:
            text = (f'"{by}" invited "{who}" to the group chat' if english else f'"{by}"邀请"{who}"加入了群聊') \
                if i % 2 else (f'"{who}" joined the group chat via the QR Code shared by "{by}"' if english
                               else f'"{who}"通过扫描"{by}"分享的二维码加入群聊')
        elif r.event == "removed":
            text = f'You removed "{who}" from the group chat' if english else f'你将"{who}"移出了群聊'
        else:
            rest.append(r)
            continue
        rows.append([i + 1, TALKER, 10000, 0, 0, int(t.timestamp()), 4, text, local, "", "", ""])
    path = folder / "wechat.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(WECHAT_COLUMNS)
        w.writerows(rows)
    return path, _events_csv(folder / "events.csv", pd.DataFrame(rest, columns=truth.events.columns), names)


def telegram(truth: Truth, folder: Path) -> tuple[Path, None]:
    """A Telegram Desktop result.json; every join, leave and removal as a service message."""
    names, out = truth.names, []
    owner = truth.people["id"].iloc[0]
    for i, (t, what, r) in enumerate(_timeline(truth)):
        base = {"id": i + 1, "date": t.tz_convert(truth.tz).strftime("%Y-%m-%dT%H:%M:%S"),
                "date_unixtime": str(int(t.timestamp()))}
        if what == "message":
            m = {**base, "type": "message", "from": names[r.sender], "from_id": r.sender,
                 "text": f"text {i}", **TELEGRAM_MEDIA.get(r.kind, {})}
            if pd.notna(r.reply_to):
                m["reply_to_message_id"] = int(r.reply_to)
            m["id"] = int(r.msg_id)
        elif r.event == "join":
            actor = r.inviter if pd.notna(r.inviter) else r.member
            m = {**base, "type": "service", "actor": names[actor], "actor_id": actor}
            m |= ({"action": "invite_members", "members": [names[r.member]]} if pd.notna(r.inviter)
                  else {"action": "join_group_by_request"})
        else:
            actor = r.member if r.event == "leave" else owner
            m = {**base, "type": "service", "actor": names[actor], "actor_id": actor,
                 "action": "remove_members", "members": [names[r.member]]}
        if what == "event":
            m["id"] = 10**9 + i
        out.append(m)
    path = folder / "result.json"
    path.write_text(json.dumps({"name": "test group", "type": "private_supergroup", "id": 1, "messages": out},
                               ensure_ascii=False, indent=1))
    return path, None


def discord_json(truth: Truth, folder: Path) -> tuple[Path, Path | None]:
    """A DiscordChatExporter JSON; joins as GuildMemberJoin, leaves and removals to events.csv."""
    names, out, rest = truth.names, [], []
    for i, (t, what, r) in enumerate(_timeline(truth)):
        if what == "event" and r.event != "join":
            rest.append(r)
            continue
        who = r.sender if what == "message" else r.member
        m = {"id": str(r.msg_id) if what == "message" else str(10**12 + i), "timestamp": t.isoformat(),
             "type": "Default", "content": f"text {i}", "attachments": [], "stickers": [],
             "author": {"id": who, "name": names[who], "nickname": names[who], "isBot": False}}
        if what == "event":
            m["type"] = "GuildMemberJoin"
        elif r.kind == "reply":
            m |= {"type": "Reply", "reference": {"messageId": str(r.reply_to)}}
        elif r.kind == "sticker":
            m["stickers"] = [{"id": "1", "name": "s"}]
        elif r.kind in DISCORD_FILE:
            m["attachments"] = [{"id": "1", "fileName": DISCORD_FILE[r.kind]}]
        out.append(m)
    path = folder / "discord.json"
    path.write_text(json.dumps({"guild": {"id": "1", "name": "g"}, "channel": {"id": "2", "type": "GuildTextChat"},
                                "messages": out}, ensure_ascii=False))
    return path, _events_csv(folder / "events.csv", pd.DataFrame(rest, columns=truth.events.columns))


def discord_csv(truth: Truth, folder: Path) -> tuple[Path, Path | None]:
    """A DiscordChatExporter CSV (messages only); all joins and exits to events.csv."""
    m, names = truth.messages, truth.names
    frame = pd.DataFrame({"AuthorID": m["sender"], "Author": m["sender"].map(names),
                          "Date": m["time"].map(lambda t: t.isoformat()), "Content": "text",
                          "Attachments": m["kind"].map(DISCORD_FILE).fillna(""), "Reactions": ""})
    path = folder / "discord.csv"
    frame.to_csv(path, index=False)
    return path, _events_csv(folder / "events.csv", truth.events)


def messages_csv(truth: Truth, folder: Path) -> tuple[Path, Path | None]:
    """The plain ``messages.csv`` (with ids and replies) plus ``events.csv``."""
    m = truth.messages
    frame = pd.DataFrame({"time": m["time"].map(lambda t: t.isoformat()), "sender": m["sender"],
                          "kind": m["kind"], "id": m["msg_id"], "reply_to": m["reply_to"]})
    path = folder / "messages.csv"
    frame.to_csv(path, index=False)
    return path, _events_csv(folder / "events.csv", truth.events)


WRITERS = {"wechat-csv": wechat, "telegram-json": telegram, "discord-json": discord_json,
           "discord-csv": discord_csv, "messages-csv": messages_csv}
