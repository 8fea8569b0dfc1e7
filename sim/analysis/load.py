"""Loading a sweep folder: its index, and its runs' daily and member tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from sim.sweep import INDEX, write_index

STRATEGY = "strategy.name"
FIXED = {"run", "status", "error", "seed", STRATEGY}


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
        frames = [pd.read_parquet(self.folder / values[0] / name).assign(**dict(zip(keys, values)))
                  for values in self.index[keys].itertuples(index=False)]
        return pd.concat(frames, ignore_index=True).rename(columns={STRATEGY: "strategy"})


def varying(index: pd.DataFrame) -> list[str]:
    """Config keys whose value differs between runs of one strategy (besides the seed)."""
    config = [c for c in index.columns if c not in FIXED and not c.startswith("summary.")]
    within = index.astype({c: str for c in config}).groupby(STRATEGY)[config].nunique()
    return [c for c in config if (within[c] > 1).any()]


def load_sweep(folder: str | Path) -> Sweep:
    """Open a sweep folder (rebuilding ``runs.parquet`` if it is missing)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SweepError(f"{folder}: no such folder")
    index_file = folder / INDEX
    index = pd.read_parquet(index_file) if index_file.is_file() else write_index(folder)
    if index.empty or STRATEGY not in index.columns:
        raise SweepError(f"{folder}: not a groupsim sweep (no run folders with config.yaml "
                         f"and summary.json, and no {INDEX})")
    done = index[index["status"] == "done"].reset_index(drop=True)
    if done.empty:
        raise SweepError(f"{folder}: all {len(index)} runs failed; see error.json in the run folders")
    return Sweep(folder, done, failed=int((index["status"] != "done").sum()), cells=varying(done))
