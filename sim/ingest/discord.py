"""DiscordChatExporter exports: JSON (``messages[]``) and CSV.

JSON messages carry ``type`` (``Default``, ``Reply``, ``GuildMemberJoin``,
group-DM ``RecipientAdd``/``RecipientRemove``), ``author.id``,
``author.isBot``, ``timestamp`` and ``reference.messageId``. Bots'
messages are kept as system messages, not members' posts. The CSV
(``AuthorID, Author, Date, Content, Attachments, Reactions``) has no joins,
replies or leaves; pass them with ``--events``. Discord notes no leaves.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.ingest import csvchunks, jsonstream
from sim.ingest.frames import NOBODY, Export, People, concat_messages, event_frame, message_chunk
from sim.ingest.source import text_times_ns, time_zone_warnings

FMT_JSON, FMT_CSV = "discord-json", "discord-csv"
CSV_REQUIRED = ("AuthorID", "Author", "Date", "Content")
CSV_OPTIONAL = ("Attachments",)
NOT_GROUPS = ("DirectTextChat",)
SYSTEM_TYPES = ("GuildMemberJoin", "RecipientAdd", "RecipientRemove", "ChannelPinnedMessage",
                "ChannelNameChange", "ChannelIconChange", "ThreadCreated", "Call")
EXTENSION_KIND = {**dict.fromkeys(("png", "jpg", "jpeg", "gif", "webp", "bmp"), "image"),
                  **dict.fromkeys(("mp4", "mov", "webm", "mkv"), "video"),
                  **dict.fromkeys(("mp3", "ogg", "wav", "m4a", "opus"), "voice")}


def attachment_kind(names: pd.Series) -> pd.Series:
    """The kind of each message by its first attachment's extension; none → text."""
    names = names.fillna("").str.strip()
    ext = names.str.split(",").str[0].str.strip().str.rsplit(".", n=1).str[-1].str.lower()
    return ext.map(EXTENSION_KIND).fillna("other").where(names != "", "text")


def kind_of(m: dict) -> str:
    kind = m.get("type", "Default")
    if kind in SYSTEM_TYPES or (m.get("author") or {}).get("isBot"):
        return "system"
    if kind == "Reply":
        return "reply"
    if m.get("stickers"):
        return "sticker"
    files = m.get("attachments") or []
    if files:
        name = str(files[0].get("fileName") or files[0].get("url") or "")
        return EXTENSION_KIND.get(name.rsplit(".", 1)[-1].lower(), "other")
    return "text" if kind == "Default" else "other"


def membership(m: dict, people: People, author: int, time: int) -> list[tuple]:
    kind = m.get("type")
    if kind == "GuildMemberJoin":
        return [(time, author, "join", None, "server")]
    mentioned = [people.code(u["id"], u.get("nickname") or u.get("name")) for u in m.get("mentions") or []]
    if kind == "RecipientAdd":
        return [(time, who, "join", author, "invite") for who in mentioned]
    if kind == "RecipientRemove":
        return [(time, who, "leave" if who == author else "removed", None, None) for who in mentioned]
    return []


def read_json(path: Path, tz: str, warnings: list[str]) -> Export:
    top = jsonstream.header(path, "messages", warnings, keep=("channel",))
    people, chunks, events, notes = People(), [], [], set()
    for batch, first in jsonstream.batches(path, "messages", FMT_JSON):
        time = text_times_ns(pd.Series([m.get("timestamp") for m in batch], dtype="string"), tz,
                             "timestamp", path, first + 1, notes)
        authors = [m.get("author") or {} for m in batch]
        codes = [people.code(a["id"], a.get("nickname") or a.get("name")) if a.get("id") else NOBODY
                 for a in authors]
        kind = [kind_of(m) for m in batch]
        sender = [NOBODY if k == "system" else c for k, c in zip(kind, codes)]
        ids = [str(m["id"]) if m.get("id") is not None else None for m in batch]
        refs = [str((m.get("reference") or {}).get("messageId")) if k == "reply" and (m.get("reference") or {}).get("messageId")
                else None for m, k in zip(batch, kind)]
        chunks.append(message_chunk(time, np.array(sender, dtype="int32"), np.array(kind, dtype=object), ids, refs))
        for i, m in enumerate(batch):
            if m.get("type") in SYSTEM_TYPES:
                events.extend(membership(m, people, codes[i], int(time[i])))
    warnings.extend(time_zone_warnings(path, notes, tz))
    channel = (top.get("channel") or {}).get("type")
    return Export(FMT_JSON, concat_messages(chunks), event_frame(events), people, records_leaves=False,
                  is_group=None if channel is None else channel not in NOT_GROUPS)


def read_csv(path: Path, tz: str, warnings: list[str]) -> Export:
    people, chunks, notes = People(), [], set()
    for chunk, first in csvchunks.chunks(path, CSV_REQUIRED, CSV_OPTIONAL, FMT_CSV, warnings):
        time = text_times_ns(chunk["Date"], tz, "Date", path, first, notes)
        sender = people.codes(chunk["AuthorID"].str.strip(), chunk["Author"])
        kind = attachment_kind(chunk["Attachments"]).to_numpy(dtype=object) if "Attachments" in chunk else "text"
        chunks.append(message_chunk(time, sender, kind))
    warnings.extend(time_zone_warnings(path, notes, tz))
    return Export(FMT_CSV, concat_messages(chunks), event_frame([]), people, records_leaves=False)
