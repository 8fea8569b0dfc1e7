"""An operator's daily series: the CSV contract ``groupsim-calibrate`` reads.

One row per day: ``day, members, messages`` and, if the operator has them,
``joined, left``. The columns mean what the simulator's daily table means
(``sim/metrics.py``): members present at the end of the day, all messages
posted that day (the operator's included), people who joined and who left.
Days must increase; gaps are allowed and compared day by day. Bad input is
refused with one line naming the row, before any simulation starts.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pandas as pd

from sim.checks import MAX_DAYS, MAX_MEMBERS

REQUIRED = ("day", "members", "messages")
OPTIONAL = ("joined", "left")
MIN_DAYS = 7
LARGEST = 10**9  # no group has a billion members, messages or days; beyond it int64 casts lie


class SeriesError(ValueError):
    """The CSV breaks the contract; the message is one line for the operator."""


def _line(frame: pd.DataFrame, row: int) -> str:
    """The file's line number of a row (blank lines are skipped but still counted)."""
    return f"line {frame.index[row]}"


def _header_line(path: Path) -> int | None:
    """The first line (1-based) of the first 20 that holds every required column, if any."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as text:
            for number, row in enumerate(csv.reader(text), start=1):
                if set(REQUIRED) <= {c.strip().lower() for c in row}:
                    return number
                if number == 20:
                    break
    except (OSError, UnicodeDecodeError, csv.Error):
        pass
    return None


def _not_the_header(path: Path) -> SeriesError | None:
    found = _header_line(path)
    if found and found > 1:
        return SeriesError(f"line 1 is not the header: it is on line {found}; delete the "
                           f"line{'s' * (found > 2)} above it (titles, notes)")
    return None


def _whole_numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() | (values % 1 != 0)
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raw = frame[column].iloc[row]
        shown = "an empty value" if pd.isna(raw) or str(raw).strip() == "" else repr(str(raw).strip())
        raise SeriesError(f"{_line(frame, row)}: {column} must be a whole number, got {shown}")
    negative = values < 0
    if negative.any():
        row = int(negative.to_numpy().argmax())
        raise SeriesError(f"{_line(frame, row)}: {column} must not be negative, got {values.iloc[row]:g}")
    huge = values > LARGEST
    if huge.any():
        row = int(huge.to_numpy().argmax())
        raise SeriesError(f"{_line(frame, row)}: {column} must be at most {LARGEST:,}, got {values.iloc[row]:g}")
    return values.astype("int64")


def read_series(path: str | Path) -> pd.DataFrame:
    """The validated series: integer columns ``day, members, messages`` (+ ``joined, left``)."""
    path = Path(path)
    if not path.is_file():
        raise SeriesError("no such file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            raw = pd.read_csv(path, dtype=str, skipinitialspace=True, keep_default_na=False,
                              index_col=False, encoding="utf-8-sig", skip_blank_lines=False)
    except pd.errors.ParserWarning:
        raise _not_the_header(path) or SeriesError(
            "some rows have more fields than the header (a trailing comma?)") from None
    except pd.errors.EmptyDataError:
        raise SeriesError(f"the file is empty; expected a header {','.join(REQUIRED)} and one row per day") from None
    except pd.errors.ParserError as exc:
        raise SeriesError(f"not a readable CSV: {str(exc).strip().splitlines()[-1]}") from None
    except UnicodeDecodeError:
        raise SeriesError("not UTF-8 text; save the sheet as 'CSV UTF-8'") from None
    raw.index = range(2, len(raw) + 2)  # file line numbers: the header is line 1
    raw = raw[(raw != "").any(axis=1)]  # blank lines: skipped, still counted
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    twice = sorted({c for c in raw.columns if list(raw.columns).count(c) > 1})
    if twice:
        raise SeriesError(f"column {', '.join(twice)} appears more than once")
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing and _not_the_header(path):
        raise _not_the_header(path)
    if missing:
        raise SeriesError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; expected "
            f"{', '.join(REQUIRED)} (optional: {', '.join(OPTIONAL)}), found {', '.join(raw.columns) or 'none'}"
        )
    if len(raw) < MIN_DAYS:
        raise SeriesError(f"has {len(raw)} day{'s' * (len(raw) != 1)} of data; calibration needs at least {MIN_DAYS}")
    columns = [c for c in (*REQUIRED, *OPTIONAL) if c in raw.columns]
    series = pd.DataFrame({c: _whole_numbers(raw, c) for c in columns})
    step = series["day"].diff()
    backwards = step <= 0
    if backwards.any():
        row = int(backwards.to_numpy().argmax())
        what = "repeats" if step.iloc[row] == 0 else "comes after"
        raise SeriesError(f"{_line(series, row)}: days must increase strictly; day {series['day'].iloc[row]} "
                          f"{what} day {series['day'].iloc[row - 1]}")
    span = int(series["day"].iloc[-1] - series["day"].iloc[0] + 1)
    if span > MAX_DAYS:
        raise SeriesError(f"{_line(series, len(series) - 1)}: the series spans {span:,} days "
                          f"(from day {series['day'].iloc[0]}); the simulator runs at most {MAX_DAYS:,}")
    founders = initial_members(series)
    if not 2 <= founders <= MAX_MEMBERS:
        raise SeriesError(f"{_line(series, 0)}: the group starts with {founders:,} members (members"
                          f"{' - joined + left' if 'joined' in series else ''}); it must be 2 to {MAX_MEMBERS:,}")
    return series.reset_index(drop=True)


def initial_members(series: pd.DataFrame) -> int:
    """Founding members: the first day's count before that day's joins and exits (if given)."""
    first = series.iloc[0].to_dict()
    return int(first["members"] - first.get("joined", 0) + first.get("left", 0))
