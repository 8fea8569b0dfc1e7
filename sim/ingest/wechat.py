"""WeChat PC exports (the widely used open-source exporter's CSV).

Columns ``localId, TalkerId, Type, SubType, IsSender, CreateTime, Status,
StrContent, StrTime, Remark, NickName, Sender``. In a group chat ``Sender``
is the member's account id and ``NickName`` the name shown. Joins and
removals exist only as system notices (Type 10000) that name people by
display name, so they are parsed here and resolved to accounts later.
WeChat notes no voluntary leaves: those are inferred from last-seen.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from sim.ingest import csvchunks
from sim.ingest.frames import NOBODY, Export, IngestError, People, concat_messages, event_frame, message_chunk
from sim.ingest.source import text_times_ns, time_zone_warnings, unix_ns, where

FMT = "wechat-csv"
COLUMNS = ("localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status",
           "StrContent", "StrTime", "Remark", "NickName", "Sender")
REQUIRED = ("TalkerId", "Type", "SubType", "IsSender", "CreateTime", "StrContent", "Sender")
OPTIONAL = ("StrTime", "NickName")
SYSTEM_TYPES = (10000, 10002)
RED_PACKET_TYPE = 436207665
KIND_OF_TYPE = {1: "text", 3: "image", 34: "voice", 43: "video", 47: "sticker", 42: "other",
                48: "other", 50: "other", 10000: "system", 10002: "system", RED_PACKET_TYPE: "red_packet"}
KIND_OF_SUBTYPE_49 = {57: "reply", 87: "announcement", 2000: "transfer", 2001: "red_packet"}

Q = r"[\"“”]"
NAME = rf"{Q}(?P<{{}}>.+?){Q}"
ME = ("你", "You", "you")
NOTICES = [  # (event, via, pattern): named groups who / by; "你"/"You" for the exporter
    ("join", "invite", re.compile(rf"^(?:{NAME.format('by')}|(?P<by_me>你))邀请(?:{NAME.format('who')}|(?P<who_me>你))加入了群聊")),
    ("join", "qr", re.compile(rf"^{NAME.format('who')}通过扫描(?:{NAME.format('by')}|(?P<by_me>你))分享的二维码加入群聊")),
    ("join", "invite", re.compile(rf"^(?:{Q}?(?P<by>.+?){Q}?|(?P<by_me>You)) invited (?:{Q}?(?P<who>.+?){Q}?|(?P<who_me>you)) to the group chat")),
    ("join", "qr", re.compile(rf"^{Q}?(?P<who>.+?){Q}? joined the group chat via the QR [Cc]ode shared by (?:(?P<by_me>you)|{Q}?(?P<by>.+?){Q}?)\.?$")),
    ("removed", None, re.compile(rf"^(?:{NAME.format('by')}|(?P<by_me>你))将{NAME.format('who')}移出了群聊")),
    ("removed", None, re.compile(rf"^(?:{Q}?(?P<by>.+?){Q}?|(?P<by_me>You)) removed {Q}?(?P<who>.+?){Q}? from the group chat")),
    ("leave", None, re.compile(rf"^{NAME.format('who')}退出了群聊")),
    ("leave", None, re.compile(rf"^{Q}?(?P<who>.+?){Q}? left the group chat")),
]
LIST_SEPARATORS = re.compile(r"[、，]|, ")

TEXT = {
    "type": "{where}: Type: not a number: {value!r}",
    "chats": "{file}: holds {n} chats (TalkerId {shown}); export one group at a time",
}


def parse_notice(text: str) -> tuple[str, str | None, list[str], str | None] | None:
    """``(event, via, [who...], by)`` for a join/removal/leave notice; names, or ``ME``."""
    for event, via, pattern in NOTICES:
        match = pattern.search(text.strip())
        if match:
            parts = match.groupdict()
            who = [ME[0]] if parts.get("who_me") else [w.strip(" \"“”") for w in LIST_SEPARATORS.split(parts["who"])]
            by = ME[0] if parts.get("by_me") else (parts.get("by") or None)
            return event, via, [w for w in who if w], by and by.strip(" \"“”")
    return None


def kinds(types: pd.Series, subtypes: pd.Series) -> np.ndarray:
    kind = types.map(KIND_OF_TYPE).fillna("other").astype(object)
    app = types == 49
    kind[app] = subtypes[app].map(KIND_OF_SUBTYPE_49).fillna("link")
    return kind.to_numpy()


def _person(people: People, name: str) -> int:
    return people.me() if name in ME else people.named(name)


def read(path: Path, tz: str, warnings: list[str]) -> Export:
    people, chunks, events, talkers, notes = People(), [], [], set(), set()
    for chunk, first in csvchunks.chunks(path, REQUIRED, OPTIONAL, FMT, warnings):
        types = pd.to_numeric(chunk["Type"], errors="coerce")
        if types.isna().any():
            i = int(types.isna().to_numpy().argmax())
            raise IngestError(TEXT["type"].format(where=where(path, first + i), value=chunk["Type"].iloc[i]))
        subtypes = pd.to_numeric(chunk["SubType"], errors="coerce").fillna(0)
        talkers.update(chunk["TalkerId"].unique())
        when = chunk["CreateTime"].str.strip()
        if (when == "").any() and "StrTime" in chunk:
            time = text_times_ns(chunk["StrTime"].where(when == "", when), tz, "StrTime", path, first, notes)
        else:
            time = unix_ns(when, "CreateTime", path, first)
        mine = chunk["IsSender"].str.strip() == "1"
        if mine.any() and people.self_raw is None:
            given = chunk.loc[mine, "Sender"].str.strip()
            people.self_raw = next((s for s in given if s), None)
        raw = chunk["Sender"].str.strip()
        raw = raw.mask(raw == "", np.where(mine, people.self_raw or "self", chunk["TalkerId"]))
        names = chunk["NickName"] if "NickName" in chunk else None
        system = types.isin(SYSTEM_TYPES).to_numpy()
        sender = np.full(len(chunk), NOBODY, dtype="int32")
        if (~system).any():
            sender[~system] = people.codes(raw[~system], None if names is None else names[~system])
        chunks.append(message_chunk(time, sender, kinds(types, subtypes)))  # no reply links: ids unused
        for i in np.flatnonzero(system):
            notice = parse_notice(str(chunk["StrContent"].iloc[i]))
            if notice:
                event, via, who, by = notice
                for name in who:
                    inviter = _person(people, by) if by and event == "join" else None
                    events.append((time[i], _person(people, name), event, inviter, via))
    warnings.extend(time_zone_warnings(path, notes, tz))
    if len(talkers) > 1:
        raise IngestError(TEXT["chats"].format(file=path.name, n=len(talkers), shown=", ".join(sorted(talkers)[:3])))
    is_group = None if not talkers else next(iter(talkers)).endswith("@chatroom")
    return Export(FMT, concat_messages(chunks), event_frame(events), people, records_leaves=False,
                  is_group=is_group)
