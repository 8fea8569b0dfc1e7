"""Reading a JSON export's ``messages`` array one message at a time (``ijson``).

Telegram and DiscordChatExporter write one JSON document with a few header
fields and then every message; a gigabyte file must not be loaded whole.
The header fields before the array are read first, then the array is
streamed in batches. A truncated or malformed file becomes one line saying
how many messages were read before it broke.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import ijson

from sim.ingest.frames import IngestError
from sim.ingest.source import encoding_of

BATCH = 5_000
OPEN, CLOSE = ("start_map", "start_array"), ("end_map", "end_array")

TEXT = {
    "broken": "{file}: not valid JSON (truncated?) after message {n}: {why}",
    "no_array": "{file}: no \"{array}\" list; is this a {fmt} export?",
}


def _why(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__


def header(path: Path, array: str, warnings: list[str], keep: tuple[str, ...]) -> dict:
    """The top-level fields ``keep`` before the array (e.g. Telegram's ``type``, Discord's ``channel``).

    Other top-level values are skipped without being built, so a file that
    is not the expected export cannot fill memory here.
    """
    encoding_of(path, warnings)  # refuses what is neither UTF-8 nor GBK
    top: dict = {}
    key, builder, depth = None, None, 0
    with path.open("rb") as f:
        try:
            for prefix, event, value in ijson.parse(f, use_float=True):
                if depth:
                    depth += (event in OPEN) - (event in CLOSE)
                    if builder is not None:
                        builder.event(event, value)
                        if depth == 0:
                            top[key], builder = builder.value, None
                elif prefix == "" and event == "map_key":
                    if value == array:
                        break
                    key = value
                elif prefix == key and event in OPEN:
                    depth = 1
                    if key in keep:
                        builder = ijson.ObjectBuilder()
                        builder.event(event, value)
                elif prefix == key and key in keep:
                    top[key] = value
        except (ijson.JSONError, ijson.IncompleteJSONError) as exc:
            raise IngestError(TEXT["broken"].format(file=path.name, n=0, why=_why(exc))) from None
    return top


def batches(path: Path, array: str, fmt: str, batch: int = BATCH) -> Iterator[tuple[list[dict], int]]:
    """Yield ``(messages, index_of_first)`` in batches of plain dicts."""
    read = 0
    with path.open("rb") as f:
        items = ijson.items(f, f"{array}.item", use_float=True)
        try:
            while True:
                block = list(islice(items, batch))
                if not block:
                    break
                yield block, read
                read += len(block)
        except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError) as exc:
            raise IngestError(TEXT["broken"].format(file=path.name, n=read, why=_why(exc))) from None
    if read == 0 and not _has_array(path, array):
        raise IngestError(TEXT["no_array"].format(file=path.name, array=array, fmt=fmt))


def _has_array(path: Path, array: str) -> bool:
    with path.open("rb") as f:
        for prefix, event, _ in ijson.parse(f):
            if prefix == array and event == "start_array":
                return True
            if prefix == array:
                return False
    return False
