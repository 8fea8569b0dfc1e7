"""The normalised frames every export format is read into, and the people behind the ids.

Readers differ in how a format names people, times and kinds; after them
everything is one shape: a message frame (``time`` in UTC nanoseconds,
``sender`` code, ``kind``, ``msg_id``, ``reply_to``) and an event frame
(``time``, ``member``, ``event`` = join | leave | removed, ``inviter``,
``via``). Formats name people in system notices by display name, often
before that person's first message, so names are resolved only once the
whole file has been read (``People.resolve``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

KINDS = ("text", "image", "voice", "video", "sticker", "reply", "link", "announcement",
         "transfer", "red_packet", "system", "other")
KIND_GROUPS = {  # the daily table's msg_<group> columns and the kinds-over-time figure
    "text": ("text",),
    "media": ("image", "voice", "video", "sticker"),
    "reply": ("reply",),
    "red_packet": ("red_packet",),
    "other": ("link", "announcement", "transfer", "other"),
}
EVENTS = ("join", "leave", "removed")
MESSAGE_COLUMNS = ("time", "sender", "kind", "msg_id", "reply_to")
EVENT_COLUMNS = ("time", "member", "event", "inviter", "via")
NOBODY = -1
ID = pd.StringDtype("pyarrow")  # compact: a large export has millions of ids

TEXT = {
    "ambiguous": "{n} display name(s) are used by more than one account ({names}); "
                 "notices naming them are kept apart from those accounts",
}


class IngestError(ValueError):
    """The export cannot be read; the message is one line naming file, row and field."""


def message_chunk(time: np.ndarray, sender: np.ndarray, kind, msg_id=None,
                  reply_to=None) -> pd.DataFrame:
    """One chunk of the message frame (what each reader yields per block of rows)."""
    n = len(time)
    return pd.DataFrame({
        "time": np.asarray(time, dtype="int64"),
        "sender": np.asarray(sender, dtype="int32"),
        "kind": pd.Categorical(np.broadcast_to(np.asarray(kind, dtype=object), n), categories=KINDS),
        "msg_id": pd.array([None] * n if msg_id is None else msg_id, dtype=ID),
        "reply_to": pd.array([None] * n if reply_to is None else reply_to, dtype=ID),
    })


@dataclass
class People:
    """Raw account ids and display names → small integer codes.

    ``code(raw, name)`` registers an account; ``named(name)`` stands for
    someone known only by a display name (a system notice); ``resolve()``
    folds each such name into the one account that used it.
    """

    raw: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    names: dict[int, set[str]] = field(default_factory=dict)
    self_raw: str | None = None

    def code(self, raw: str, name: str | None = None) -> int:
        raw = str(raw)
        c = self.index.get(raw)
        if c is None:
            c = self.index[raw] = len(self.raw)
            self.raw.append(raw)
        if name:
            self.names.setdefault(c, set()).add(str(name).strip())
        return c

    def named(self, name: str) -> int:
        return self.code(f"name:{str(name).strip()}")

    def codes(self, raws: pd.Series, names: pd.Series | None = None) -> np.ndarray:
        """Vectorised ``code`` for one chunk: only the distinct pairs touch the dict."""
        frame = pd.DataFrame({"raw": raws.astype(str), "name": names if names is not None else None})
        pairs = frame.drop_duplicates()
        lookup = {}
        for raw, name in pairs.itertuples(index=False):
            lookup[raw] = self.code(raw, None if pd.isna(name) else name)
        return frame["raw"].map(lookup).to_numpy(dtype="int32")

    def me(self) -> int:
        """The person who made the export (WeChat's "你", Telegram's "You")."""
        return self.code(self.self_raw or "self")

    def resolve(self) -> tuple[np.ndarray, list[str]]:
        """``remap[code]`` → the final code, merging name-only people into their account."""
        by_name: dict[str, list[int]] = {}
        for c, names in self.names.items():
            if not self.raw[c].startswith("name:"):
                for name in names:
                    by_name.setdefault(name, []).append(c)
        remap = np.arange(len(self.raw), dtype="int32")
        ambiguous = sorted(n for n, cs in by_name.items() if len(cs) > 1)
        for c, raw in enumerate(self.raw):
            if raw.startswith("name:"):
                owners = by_name.get(raw[5:], [])
                if len(owners) == 1:
                    remap[c] = owners[0]
        warnings = [TEXT["ambiguous"].format(n=len(ambiguous), names=", ".join(ambiguous[:3]))] if ambiguous else []
        return remap, warnings


@dataclass
class Export:
    """One export read into the normalised frames."""

    fmt: str
    messages: pd.DataFrame
    events: pd.DataFrame
    people: People
    records_leaves: bool  # does the format note voluntary leaves at all?
    warnings: list[str] = field(default_factory=list)
    is_group: bool | None = None  # None: the format does not say


def event_frame(rows: list[tuple]) -> pd.DataFrame:
    """Events as ``(time_ns, member_code, event, inviter_code_or_None, via)`` tuples."""
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    return frame.astype({"time": "int64", "member": "int32", "inviter": "Int32",
                         "event": "string", "via": "string"})


def concat_messages(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    if not chunks:
        return message_chunk(np.zeros(0), np.zeros(0), "text")
    return pd.concat(chunks, ignore_index=True)
