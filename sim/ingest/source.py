"""Opening an export: its text encoding, its times, and one-line errors that name the place.

Chinese exports are often GBK (Excel on Windows); a sample is sniffed and,
if it is not UTF-8 but decodes as GB18030, the file is read as such with a
warning. Times are turned into UTC nanoseconds; naive local times are read
in the export's time zone, and a file mixing UTC offsets is read correctly
with a warning.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import numpy as np
import pandas as pd

from sim.ingest.frames import IngestError

SNIFF_BYTES = 1 << 22
OFFSET = re.compile(r"(Z|[+-]\d\d:?\d\d)$", re.IGNORECASE)

TEXT = {
    "missing": "no such file",
    "empty": "the file is empty",
    "gbk": "{file}: not UTF-8; read as GBK/GB18030 (names and texts are not kept either way)",
    "binary": "{file}: not text (neither UTF-8 nor GBK) near byte {at}",
    "bad_time": "{where}: {field}: not a time: {value!r}",
    "offsets": "{file}: times carry {n} different UTC offsets ({shown}); each was converted to UTC",
    "naive_and_aware": "{file}: some times have no UTC offset and others do; "
                       "the ones without were read in {tz}",
}


def where(path: Path, line: int | None = None) -> str:
    """``file: row N`` (data rows counted from 1, so quoted multi-line texts do not shift it)."""
    return f"{path.name}: row {line}" if line is not None else path.name


def encoding_of(path: Path, warnings: list[str]) -> str:
    """``utf-8-sig`` or ``gb18030`` (with a warning); anything else is refused."""
    if not path.is_file():
        raise IngestError(f"{path.name}: {TEXT['missing']}")
    with path.open("rb") as f:
        sample = f.read(SNIFF_BYTES)
    if not sample.strip():
        raise IngestError(f"{path.name}: {TEXT['empty']}")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=len(sample) < SNIFF_BYTES)
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        at = exc.start
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=len(sample) < SNIFF_BYTES)
    except UnicodeDecodeError:
        raise IngestError(TEXT["binary"].format(file=path.name, at=at)) from None
    warnings.append(TEXT["gbk"].format(file=path.name))
    return "gb18030"


def first_bad(mask: np.ndarray) -> int:
    return int(np.argmax(mask))


def unix_ns(values: pd.Series, field: str, path: Path, first_line: int) -> np.ndarray:
    """Unix seconds (as numbers or strings) → UTC nanoseconds."""
    seconds = pd.to_numeric(values, errors="coerce")
    bad = seconds.isna().to_numpy()
    if bad.any():
        i = first_bad(bad)
        raise IngestError(TEXT["bad_time"].format(where=where(path, first_line + i), field=field,
                                                  value=str(values.iloc[i])))
    return (seconds.to_numpy(dtype="float64") * 1e9).round().astype("int64")


def text_times_ns(values: pd.Series, tz: str, field: str, path: Path, first_line: int,
                  notes: set[str]) -> np.ndarray:
    """ISO-like times → UTC ns; naive ones are local times in ``tz``.

    ``notes`` collects the offsets and whether naive times occurred, so one
    warning can be given for the whole file (``time_zone_warnings``).
    """
    text = values.astype("string").str.strip()
    if text.str.fullmatch(r"\d{9,11}(\.\d+)?").fillna(False).all():
        return unix_ns(text, field, path, first_line)
    offsets = text.str.extract(OFFSET, expand=False)
    aware = offsets.notna().to_numpy()
    notes.update(f"offset:{o.upper().replace(':', '')}" for o in offsets.dropna().unique())
    out = np.zeros(len(text), dtype="int64")
    for mask, utc in ((aware, True), (~aware, False)):
        if not mask.any():
            continue
        if not utc:
            notes.add("naive")
        parsed = pd.to_datetime(text[mask], format="ISO8601", utc=utc, errors="coerce")
        if parsed.isna().any():
            parsed = parsed.fillna(pd.to_datetime(text[mask], format="mixed", utc=utc, errors="coerce"))
        bad = parsed.isna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(mask)[first_bad(bad)])
            raise IngestError(TEXT["bad_time"].format(where=where(path, first_line + i), field=field,
                                                      value=str(values.iloc[i])))
        if not utc:
            # the repeated hour at a DST change is read as the first (summer) one
            parsed = parsed.dt.tz_localize(tz, ambiguous=np.ones(len(parsed), dtype=bool),
                                           nonexistent="shift_forward")
        out[mask] = parsed.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[ns]").astype("int64")
    return out


def time_zone_warnings(path: Path, notes: set[str], tz: str) -> list[str]:
    """One warning per file for mixed UTC offsets, and for offsets mixed with naive times."""
    offsets = sorted(n.split(":", 1)[1] for n in notes if n.startswith("offset:"))
    said = []
    normal = {o.replace("Z", "+0000") for o in offsets}
    if len(normal) > 1:
        said.append(TEXT["offsets"].format(file=path.name, n=len(normal), shown=", ".join(sorted(normal)[:4])))
    if offsets and "naive" in notes:
        said.append(TEXT["naive_and_aware"].format(file=path.name, tz=tz))
    return said
