"""Which reader an export needs, from its name and first bytes (``--format auto``)."""

from __future__ import annotations

from pathlib import Path

from sim.ingest import discord, plain, telegram, wechat
from sim.ingest.frames import IngestError

READERS = {
    wechat.FMT: wechat.read,
    telegram.FMT: telegram.read,
    discord.FMT_JSON: discord.read_json,
    discord.FMT_CSV: discord.read_csv,
    plain.FMT: plain.read,
}
FORMATS = ("auto", *READERS)
HEAD_BYTES = 1 << 16

TEXT = {
    "unknown": "{file}: cannot tell the format from its start; pass --format ({formats})",
}


def detect(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES).decode("utf-8", errors="replace").lstrip("\ufeff \r\n\t")
    if head.startswith("{"):
        if '"guild"' in head or '"channel"' in head:
            return discord.FMT_JSON
        return telegram.FMT
    first = head.splitlines()[0] if head else ""
    columns = {c.strip().strip('"') for c in first.split(",")}
    if {"TalkerId", "StrContent"} <= columns:
        return wechat.FMT
    if {"AuthorID", "Author"} <= columns:
        return discord.FMT_CSV
    if {"time", "sender"} <= columns:
        return plain.FMT
    raise IngestError(TEXT["unknown"].format(file=path.name, formats=", ".join(READERS)))
