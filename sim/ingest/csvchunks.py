"""Reading a CSV export in bounded chunks, with the header checked first.

A chat export can be gigabytes; ``pandas.read_csv(chunksize=...)`` keeps
one block of rows in memory at a time, and only the columns a reader asks
for. Parser failures (ragged rows, an unclosed quote at a truncated end)
become one line naming the file and the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from sim.ingest.frames import IngestError
from sim.ingest.source import encoding_of

CHUNK_ROWS = 10_000

TEXT = {
    "columns": "{file}: missing column{s} {missing}; a {fmt} export has {expected}; found {found}",
    "parse": "{file}: {line}not a readable CSV ({why})",
}


def header(path: Path, encoding: str) -> list[str]:
    return [str(c).strip() for c in pd.read_csv(path, nrows=0, encoding=encoding).columns]


def check_columns(path: Path, found: list[str], required: tuple[str, ...], fmt: str) -> None:
    missing = [c for c in required if c not in found]
    if missing:
        raise IngestError(TEXT["columns"].format(
            file=path.name, s="s" * (len(missing) > 1), missing=", ".join(missing), fmt=fmt,
            expected=", ".join(required), found=", ".join(found[:12]) or "none"))


def chunks(path: Path, required: tuple[str, ...], optional: tuple[str, ...], fmt: str,
           warnings: list[str], rows: int = CHUNK_ROWS) -> Iterator[tuple[pd.DataFrame, int]]:
    """Yield ``(chunk, first_row)``: string columns; data rows are counted from 1."""
    encoding = encoding_of(path, warnings)
    found = header(path, encoding)
    check_columns(path, found, required, fmt)
    wanted = [c for c in (*required, *optional) if c in found]
    line = 1
    try:
        reader = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, chunksize=rows,
                             skipinitialspace=True)  # no usecols: it would hide rows with extra fields
        for chunk in reader:
            chunk.columns = [str(c).strip() for c in chunk.columns]
            yield chunk[wanted], line
            line += len(chunk)
    except pd.errors.ParserError as exc:
        why = str(exc).strip().splitlines()[-1]
        at = re.search(r"line (\d+)|row (\d+)", why)
        shown = f"line {next(g for g in at.groups() if g)}: " if at else ""
        why = re.sub(r"^Error tokenizing data\. C error: ", "", why)
        raise IngestError(TEXT["parse"].format(file=path.name, line=shown, why=why)) from None
    except UnicodeDecodeError as exc:
        raise IngestError(TEXT["parse"].format(file=path.name, line="", why=f"bad bytes for {encoding} "
                                               f"near byte {exc.start}")) from None
