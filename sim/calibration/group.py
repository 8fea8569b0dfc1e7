"""A real group as calibration input: an ingested folder, or an export ingested on the way.

``groupsim-ingest`` numbers days from 0, the export's first (usually partial)
day; the members present at its end are the founding group and days 1.. are
fitted (the simulator's day 1 is the ingested day 1). Leaves count as observed
unless the ingest inferred them from silence; then ``left`` and the quit
hazard are dropped, since the data would only hold removals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.calibration.series import REQUIRED, _header_line, read_series
from sim.errors import UsageError
from sim.output import atomic_write

NEEDED = ("daily.parquet", "members.parquet")


@dataclass
class Group:
    series: pd.DataFrame     # validated day, members, messages, joined[, left]
    members: pd.DataFrame    # the ingested member table
    leaves_observed: bool
    folder: Path             # the ingested folder
    dropped: dict[str, str]  # series left out, and why


def is_daily_csv(path: Path) -> bool:
    """A file whose header (in its first 20 lines) holds ``day, members, messages``."""
    return path.is_file() and _header_line(path) is not None


def is_export(path: Path) -> bool:
    """A file that is not a daily CSV and whose start ``groupsim-ingest`` recognises.

    Anything else goes to the daily-CSV reader, whose refusals name the row.
    """
    from sim.ingest.detect import detect
    from sim.ingest.frames import IngestError

    if not path.is_file() or is_daily_csv(path):
        return False
    try:
        detect(path)
    except (IngestError, OSError, IndexError):
        return False
    return True


def from_export(path: Path, out: Path, tz: str | None, events: Path | None) -> Path:
    """Ingest ``path`` into ``out/ingested`` with the ingest API; returns that folder."""
    from sim.ingest.cli import ingest
    from sim.ingest.frames import IngestError

    try:
        ingest(path, out / "ingested", tz=tz, events=events)
    except IngestError as exc:
        raise UsageError(str(exc)) from None
    return out / "ingested"


def read_group(folder: Path, out: Path) -> Group:
    """The ingested folder as a calibration series (written to ``out/series.csv``) and member table."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such file or folder")
    missing = [name for name in NEEDED if not (folder / name).is_file()]
    if missing:
        raise UsageError(f"{folder}: not an ingested folder (no {', '.join(missing)}); give the export "
                         f"itself or run groupsim-ingest first")
    try:
        daily = pd.read_parquet(folder / "daily.parquet")
        members = pd.read_parquet(folder / "members.parquet")
    except Exception as exc:  # a damaged parquet file: say which
        raise UsageError(f"{folder}: cannot read its parquet files: {str(exc).splitlines()[0]}") from None
    absent = [c for c in (*REQUIRED, "joined", "left") if c not in daily]
    if absent or not {"messages", "joined_day", "exit_day"} <= set(members):
        raise UsageError(f"{folder}: daily.parquet or members.parquet lacks {', '.join(absent) or 'member columns'}")
    summary = {}
    if (folder / "summary.json").is_file():
        summary = json.loads((folder / "summary.json").read_text())
    inferred = bool(members.get("exit_inferred", pd.Series(False)).astype(bool).any()) \
        or str(summary.get("source", {}).get("leaves", "")).startswith("inferred")
    columns = ["day", "members", "messages", "joined", *([] if inferred else ["left"])]
    series = daily[daily["day"] >= 1][columns].astype("int64")
    atomic_write(out / "series.csv", lambda p: series.to_csv(p, index=False))
    dropped = {"left": "leaves were inferred from silence, not observed"} if inferred else {}
    return Group(read_series(out / "series.csv"), members, not inferred, folder, dropped)
