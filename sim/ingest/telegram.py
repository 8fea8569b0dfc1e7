"""Telegram Desktop exports (``result.json``).

``messages[]`` holds ``type`` message or service, ``date_unixtime``,
``from_id`` and ``reply_to_message_id``. Service messages carry the
membership: ``create_group`` and ``invite_members`` (a list of names, the
actor inviting), ``remove_members`` (a member removing themselves is
leaving), ``join_group_by_link`` (with ``inviter``) and
``join_group_by_request``. Telegram notes leaves, so none are inferred.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.ingest import jsonstream
from sim.ingest.frames import NOBODY, Export, IngestError, People, concat_messages, event_frame, message_chunk
from sim.ingest.source import text_times_ns, time_zone_warnings

FMT = "telegram-json"
GROUP_TYPES = ("private_group", "private_supergroup", "public_supergroup")
MEDIA_KIND = {"sticker": "sticker", "voice_message": "voice", "audio_file": "voice",
              "video_file": "video", "video_message": "video", "animation": "video"}

TEXT = {
    "time": "{file}: messages[{i}]: no date_unixtime or date",
}


def kind_of(m: dict) -> str:
    if m.get("type") == "service":
        return "system"
    if m.get("reply_to_message_id") is not None:
        return "reply"
    if "photo" in m:
        return "image"
    if m.get("media_type"):
        return MEDIA_KIND.get(m["media_type"], "other")
    if "file" in m or "poll" in m or "location_information" in m:
        return "other"
    return "text"


def membership(m: dict, people: People, time: int) -> list[tuple]:
    """The join/leave/removed events a service message stands for."""
    action, actor = m.get("action"), m.get("actor_id")
    who = people.code(actor, m.get("actor")) if actor else None
    names = m.get("members") or []
    if action in ("create_group", "invite_members"):
        via = "created" if action == "create_group" else "invite"
        rows = [(time, people.named(n), "join", who, via) for n in names if n]
        return ([(time, who, "join", None, "created")] if action == "create_group" and who is not None else []) + rows
    if action == "remove_members":
        return [(time, who if n == m.get("actor") else people.named(n),
                 "leave" if n == m.get("actor") else "removed", None, None) for n in names if n]
    if action == "join_group_by_link" and who is not None:
        inviter = m.get("inviter")
        return [(time, who, "join", people.named(inviter) if inviter else None, "link")]
    if action == "join_group_by_request" and who is not None:
        return [(time, who, "join", None, "request")]
    return []


def read(path: Path, tz: str, warnings: list[str]) -> Export:
    top = jsonstream.header(path, "messages", warnings, keep=("type",))
    people, chunks, events, notes = People(), [], [], set()
    for batch, first in jsonstream.batches(path, "messages", FMT):
        stamps = [m.get("date_unixtime") or m.get("date") for m in batch]
        missing = [i for i, s in enumerate(stamps) if s is None]
        if missing:
            raise IngestError(TEXT["time"].format(file=path.name, i=first + missing[0]))
        time = text_times_ns(pd.Series(stamps, dtype="string"), tz, "date", path, first + 1, notes)
        sender = np.array([people.code(m["from_id"], m.get("from")) if m.get("from_id") and m.get("type") != "service"
                           else NOBODY for m in batch], dtype="int32")
        kind = [kind_of(m) for m in batch]
        ids = [str(m["id"]) if m.get("id") is not None else None for m in batch]
        replies = [str(m["reply_to_message_id"]) if m.get("reply_to_message_id") is not None else None for m in batch]
        chunks.append(message_chunk(time, sender, np.array(kind, dtype=object), ids, replies))
        for i, m in enumerate(batch):
            if m.get("type") == "service":
                events.extend(membership(m, people, int(time[i])))
    warnings.extend(time_zone_warnings(path, notes, tz))
    kind = top.get("type")
    return Export(FMT, concat_messages(chunks), event_frame(events), people, records_leaves=True,
                  is_group=None if kind is None else kind in GROUP_TYPES)
