"""The plain format anyone can produce from a spreadsheet, and the events file for any format.

``messages.csv``: ``time, sender`` and optionally ``kind`` (one of the
normalised kinds), ``id`` and ``reply_to`` (an ``id``, or the 1-based row of
the message replied to when there is no ``id`` column). ``events.csv``:
``time, member, event`` (join | leave | removed) and optionally
``inviter``; ``--events`` adds it to any export (e.g. the leaves a WeChat
or Discord export does not show). Members may be named by account id or
display name. Times are ISO 8601 (an offset, or local in ``--tz``) or Unix
seconds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.ingest import csvchunks
from sim.ingest.frames import EVENTS, KINDS, Export, IngestError, People, concat_messages, event_frame, message_chunk
from sim.ingest.source import text_times_ns, time_zone_warnings, where

FMT = "messages-csv"
REQUIRED, OPTIONAL = ("time", "sender"), ("kind", "id", "reply_to")
EVENT_REQUIRED, EVENT_OPTIONAL = ("time", "member", "event"), ("inviter",)

TEXT = {
    "kind": "{where}: kind: {value!r} is not one of {allowed}",
    "event": "{where}: event: {value!r} is not one of {allowed}",
    "member": "{where}: {field}: empty",
}


def _refuse_unknown(values: pd.Series, allowed: tuple[str, ...], path: Path, first: int, what: str) -> None:
    bad = (~values.isin(allowed)).to_numpy()
    if bad.any():
        i = int(bad.argmax())
        raise IngestError(TEXT[what].format(where=where(path, first + i), value=values.iloc[i],
                                            allowed=", ".join(allowed)))


def read(path: Path, tz: str, warnings: list[str]) -> Export:
    people, chunks, notes = People(), [], set()
    for chunk, first in csvchunks.chunks(path, REQUIRED, OPTIONAL, FMT, warnings):
        time = text_times_ns(chunk["time"], tz, "time", path, first, notes)
        raw = chunk["sender"].str.strip()
        empty = (raw == "").to_numpy()
        if empty.any():
            raise IngestError(TEXT["member"].format(where=where(path, first + int(empty.argmax())), field="sender"))
        kind = chunk["kind"].str.strip().str.lower().replace("", "text") if "kind" in chunk else pd.Series("text", index=chunk.index)
        _refuse_unknown(kind, KINDS, path, first, "kind")
        ids = chunk["id"].str.strip() if "id" in chunk else pd.Series(np.arange(first, first + len(chunk)).astype(str))
        reply = chunk["reply_to"].str.strip().replace("", None) if "reply_to" in chunk else None
        if reply is not None:
            kind = kind.where(reply.isna() | (kind != "text"), "reply")
        chunks.append(message_chunk(time, people.codes(raw, raw), kind.to_numpy(dtype=object),
                                    ids.to_numpy(dtype=object), None if reply is None else reply.to_numpy(dtype=object)))
    warnings.extend(time_zone_warnings(path, notes, tz))
    return Export(FMT, concat_messages(chunks), read_events(None, people, tz, warnings), people,
                  records_leaves=False)


def _member(people: People, value: str) -> int:
    return people.index[value] if value in people.index else people.named(value)


def read_events(path: Path | None, people: People, tz: str, warnings: list[str]) -> pd.DataFrame:
    """``events.csv`` as event rows in ``people``'s codes (empty frame when ``path`` is None)."""
    rows: list[tuple] = []
    if path is None:
        return event_frame(rows)
    notes: set[str] = set()
    for chunk, first in csvchunks.chunks(path, EVENT_REQUIRED, EVENT_OPTIONAL, "events", warnings):
        time = text_times_ns(chunk["time"], tz, "time", path, first, notes)
        event = chunk["event"].str.strip().str.lower()
        _refuse_unknown(event, EVENTS, path, first, "event")
        member = chunk["member"].str.strip()
        empty = (member == "").to_numpy()
        if empty.any():
            raise IngestError(TEXT["member"].format(where=where(path, first + int(empty.argmax())), field="member"))
        inviter = chunk["inviter"].str.strip() if "inviter" in chunk else pd.Series("", index=chunk.index)
        for t, who, what, by in zip(time, member, event, inviter):
            rows.append((int(t), _member(people, who), what, _member(people, by) if by else None,
                         "invite" if by else None))
    warnings.extend(time_zone_warnings(path, notes, tz))
    return event_frame(rows)
