"""Loading a sweep folder: its index, and its runs' daily and member tables.

A comparison is only meaningful between runs that differ in what was swept,
so ``load_sweep`` refuses, in one line naming the path, any folder that is
not exactly one sweep: a single run folder, a folder of several sweeps, runs
that do not form one grid (a 120-day demo beside 180-day experiments), a run
the index lists but that is gone, an unreadable ``summary.json``. It looks
at most ``MAX_DEPTH`` folders down (a sweep's runs are ``KEY=V,...`` or
``KEY=V,.../seed<k>``), never above or beyond the folder it is given.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import yaml

from sim.output import DONE_MARKER
from sim.sweep import ERROR_MARKER, INDEX, index_row, load_index

STRATEGY = "strategy.name"
FIXED = {"run", "status", "error", "seed", STRATEGY}
MAX_DEPTH = 2
SWEEP_MARKERS = (INDEX, "multirun.yaml")


class SweepError(ValueError):
    """A folder that is not a usable sweep: one line saying why."""


@dataclass
class Sweep:
    """A finished sweep: the index of done runs and what varied between them."""

    folder: Path
    index: pd.DataFrame
    failed: int = 0
    cells: list[str] = field(default_factory=list)

    @property
    def strategies(self) -> list[str]:
        return sorted(self.index[STRATEGY].unique())

    @cached_property
    def daily(self) -> pd.DataFrame:
        """Every run's daily table, stacked, with the run's strategy, seed and cell keys."""
        return self._stack("daily.parquet")

    @cached_property
    def members(self) -> pd.DataFrame:
        """Every run's member table, stacked, with the run's strategy, seed and cell keys."""
        return self._stack("members.parquet")

    def numeric_cells(self) -> list[str]:
        return [c for c in self.cells if pd.api.types.is_numeric_dtype(self.index[c])]

    def _stack(self, name: str) -> pd.DataFrame:
        keys = ["run", STRATEGY, "seed", *self.cells]
        frames = [_read(self.folder / values[0] / name).assign(**dict(zip(keys, values)))
                  for values in self.index[keys].itertuples(index=False)]
        return pd.concat(frames, ignore_index=True).rename(columns={STRATEGY: "strategy"})


def _read(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise SweepError(f"{path}: cannot read ({type(exc).__name__})") from None


def varying(index: pd.DataFrame) -> list[str]:
    """Config keys whose value differs between runs of one strategy (besides the seed)."""
    config = config_keys(index)
    within = index.astype({c: str for c in config}).groupby(STRATEGY)[config].nunique()
    return [c for c in config if (within[c] > 1).any()]


def config_keys(index: pd.DataFrame) -> list[str]:
    return [c for c in index.columns if c not in FIXED and not c.startswith("summary.")]


def find_runs(folder: Path, depth: int = MAX_DEPTH) -> tuple[list[Path], list[Path]]:
    """Run folders (config.yaml with a done or error marker) and nested sweeps, ``depth`` levels down."""
    runs, nested, level = [], [], [folder]
    for _ in range(depth):
        below = []
        for parent in level:
            try:
                children = [Path(e.path) for e in os.scandir(parent) if e.is_dir(follow_symlinks=False)]
            except OSError:
                continue
            for child in children:
                if (child / "config.yaml").is_file() and any((child / m).is_file()
                                                             for m in (DONE_MARKER, ERROR_MARKER)):
                    runs.append(child)
                elif any((child / m).is_file() for m in SWEEP_MARKERS):
                    nested.append(child)
                else:
                    below.append(child)
        level = below
    return sorted(runs), sorted(nested)


def build_index(folder: Path, runs: list[Path]) -> pd.DataFrame:
    """The index of ``runs`` in memory (compare writes nothing into the sweep), naming a bad file."""
    rows = []
    for run in runs:
        try:
            rows.append(index_row(run, folder))
        except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
            bad = run / (DONE_MARKER if (run / DONE_MARKER).is_file() else "config.yaml")
            raise SweepError(f"{bad}: unreadable ({type(exc).__name__}: {str(exc)[:80]})") from None
    return pd.DataFrame(rows)


def check_grid(folder: Path, index: pd.DataFrame) -> None:
    """Refuse runs that are not one grid of the keys that vary: they came from different commands."""
    keys = [STRATEGY, "seed", *varying(index)]
    text = index[keys].astype(str)
    full = math.prod(text[k].nunique() for k in keys)
    if len(text.drop_duplicates()) == len(text) == full:
        return
    differ = [k for k in keys[2:]] or [STRATEGY]
    shown = "; ".join(f"{k}: {', '.join(sorted(text[k].unique())[:4])}" for k in differ[:3])
    raise SweepError(f"{folder}: its {len(index)} runs are not one sweep (they differ in {shown}"
                     f"{' ...' if len(differ) > 3 else ''} without forming a grid); "
                     "compare one sweep folder at a time")


def check_listed(folder: Path, index: pd.DataFrame) -> None:
    for run in index.loc[index["status"] == "done", "run"]:
        if not (folder / run / DONE_MARKER).is_file():
            raise SweepError(f"{folder / run}: listed in {INDEX} but missing; rerun the sweep "
                             f"or delete {folder / INDEX}")


def load_sweep(folder: str | Path) -> Sweep:
    """Open one sweep folder; anything else is a ``SweepError`` naming the path."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SweepError(f"{folder}: no such folder")
    if (folder / DONE_MARKER).is_file() or (folder / "config.yaml").is_file():
        raise SweepError(f"{folder}: this is one run folder, not a sweep; give the sweep folder "
                         "that holds several runs")
    index_file = folder / INDEX
    if index_file.is_file():
        check_listed(folder, _read(index_file))  # a finished run deleted since: say which
        try:  # reconciled with the run folders: a killed sweep's index is rebuilt, not trusted
            index = load_index(folder)
        except (OSError, ValueError) as exc:
            raise SweepError(f"{index_file}: cannot read ({type(exc).__name__})") from None
    else:
        runs, nested = find_runs(folder)
        if nested:
            names = ", ".join(str(n.relative_to(folder)) for n in nested[:3])
            raise SweepError(f"{folder}: holds {len(nested)} separate sweeps ({names}"
                             f"{', ...' if len(nested) > 3 else ''}); compare one of them")
        index = build_index(folder, runs)
    if index.empty or STRATEGY not in index.columns:
        raise SweepError(f"{folder}: not a groupsim sweep (no run folders with config.yaml "
                         f"and summary.json within {MAX_DEPTH} levels, and no {INDEX})")
    check_grid(folder, index)
    check_listed(folder, index)
    done = index[index["status"] == "done"].reset_index(drop=True)
    if done.empty:
        raise SweepError(f"{folder}: all {len(index)} runs failed; see error.json in the run folders")
    return Sweep(folder, done, failed=int((index["status"] != "done").sum()), cells=varying(done))

