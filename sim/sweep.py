"""Sweeps: many runs from one command, with nothing lost.

A sweep is ``groupsim -m KEY=A,B seed='range(50)'``: Hydra expands the grid
and its launcher (joblib by default) runs one job per combination. Each job
writes its run folder atomically and ``summary.json`` last, so a folder with
it is finished and a rerun of the same command skips it; a job that raises
leaves ``error.json`` instead and the sweep goes on; so does one whose folder
cannot be written (its outcome is returned and reported). When all jobs are
done, ``IndexSweep`` writes ``runs.parquet``: one row per run, config keys
flattened, seed, status and summary values. A sweep killed before that
leaves a stale index; ``load_index`` rebuilds it whenever it disagrees with
the folders, so readers (and ``groupsim-compare``) never count from it.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import traceback
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from sim.output import DONE_MARKER, ERROR_MARKER, atomic_write, is_finished

UNFINISHED = "Unfinished: the run started but left neither summary.json nor error.json (interrupted)"
INDEX = "runs.parquet"
SWEEPS_DIR = Path("results/sweeps")


def run_in_folder(config_yaml: str, folder: Path, simulate, retry_failed: bool = True) -> dict[str, Any]:
    """Run unless finished; record a failure instead of raising. Returns the summary or error.

    ``retry_failed=False`` leaves a run already recorded as failed alone (used after a
    worker died, so a run that kills its worker is not started again in the same sweep).
    """
    where = {"run": str(folder)}
    try:
        if is_finished(folder):
            return {"status": "skipped", **where, **json.loads((folder / DONE_MARKER).read_text())}
        if not retry_failed and (folder / ERROR_MARKER).is_file():
            return {"status": "failed", **where, **json.loads((folder / ERROR_MARKER).read_text())}
        atomic_write(folder / "config.yaml", lambda p: p.write_text(config_yaml))
        (folder / ERROR_MARKER).unlink(missing_ok=True)
    except (OSError, ValueError) as exc:  # a file in the way, read-only, full disk, garbled marker
        return {"status": "failed", **where, "error": f"run folder cannot be written: {exc}"}
    try:
        result = simulate()
        result.save(folder)
        return {"status": "done", **where, **result.summary}
    except Exception as exc:  # one failed run must not stop the sweep
        error = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
        try:
            atomic_write(folder / ERROR_MARKER, lambda p: p.write_text(json.dumps(error, indent=2)))
        except OSError as io:
            error["error"] += f" (and error.json could not be written: {io})"
        return {"status": "failed", **where, **error}


def run_folders(sweep_dir: Path) -> list[Path]:
    """Run folders under a sweep: those holding a config (finished, failed or cut short)."""
    return sorted(c.parent for c in Path(sweep_dir).rglob("config.yaml"))


def index_row(folder: Path, sweep_dir: Path) -> dict[str, Any]:
    """One row of ``runs.parquet``: where, status, flattened config, summary values."""
    config = pd.json_normalize(yaml.safe_load((folder / "config.yaml").read_text()), sep=".")
    row: dict[str, Any] = {"run": str(folder.relative_to(sweep_dir))}
    if is_finished(folder):
        summary = json.loads((folder / DONE_MARKER).read_text())
        summary.pop("definitions", None)
        row |= {"status": "done", "error": None}
        flat = pd.json_normalize(summary, sep=".").iloc[0].to_dict()
        row |= {f"summary.{k}": v for k, v in flat.items()}
    elif (folder / ERROR_MARKER).is_file():
        row |= {"status": "failed",
                "error": json.loads((folder / ERROR_MARKER).read_text())["error"]}
    else:
        row |= {"status": "failed", "error": UNFINISHED}
    for key, value in config.iloc[0].items():
        row[key] = json.dumps(value) if isinstance(value, list | dict) else value
    return row


def write_index(sweep_dir: Path) -> pd.DataFrame:
    """Build ``runs.parquet`` from the run folders under ``sweep_dir`` (atomically)."""
    sweep_dir = Path(sweep_dir)
    rows = []
    for folder in run_folders(sweep_dir):
        try:
            rows.append(index_row(folder, sweep_dir))
        except (OSError, ValueError, KeyError, yaml.YAMLError) as exc:  # a garbled file: say so, go on
            rows.append({"run": str(folder.relative_to(sweep_dir)), "status": "failed",
                         "error": f"Unreadable: {type(exc).__name__}: {exc}"})
    index = pd.DataFrame(rows)
    if len(index):
        atomic_write(sweep_dir / INDEX, lambda p: index.to_parquet(p, index=False))
    else:
        (sweep_dir / INDEX).unlink(missing_ok=True)
    return index


def _state(folder: Path) -> tuple[str, int]:
    """A folder's status as the index would say it, and when its marker was last written."""
    for marker, status in ((DONE_MARKER, "done"), (ERROR_MARKER, "failed")):
        if (folder / marker).is_file():
            return status, (folder / marker).stat().st_mtime_ns
    return "failed", 0


def load_index(sweep_dir: str | Path) -> pd.DataFrame:
    """``runs.parquet``, rebuilt first if it disagrees with the run folders (a killed sweep).

    The index is stale when a folder was added, removed, changed status, or
    finished after the index was written.
    """
    sweep_dir = Path(sweep_dir)
    path = sweep_dir / INDEX
    if path.is_file():
        index = pd.read_parquet(path)
        written = path.stat().st_mtime_ns
        states = {str(f.relative_to(sweep_dir)): _state(f) for f in run_folders(sweep_dir)}
        listed = dict(zip(index["run"], index["status"])) if len(index) else {}
        if listed == {run: s for run, (s, _) in states.items()} and \
                all(stamp <= written for _, stamp in states.values()):
            return index
    return write_index(sweep_dir)


class IndexSweep(Callback):
    """Hydra callback: write the sweep's ``runs.parquet`` once every job has returned."""

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        try:
            write_index(Path(config.hydra.sweep.dir))
        except OSError:  # e.g. a full disk: the groupsim command indexes again and says why
            pass


def count_jobs(overrides: list[str]) -> int | None:
    """How many runs a multirun's overrides expand to (None if Hydra can't say)."""
    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
        sizes = [len(list(o.sweep_string_iterator())) for o in parsed
                 if o.is_sweep_override() and not o.is_hydra_override()]
        return math.prod(sizes)
    except Exception:
        return None


def default_sweep_dir(overrides: list[str]) -> Path:
    """A sweep folder named after the command, so rerunning it resumes the same sweep."""
    task = sorted(o for o in overrides if not o.startswith(("hydra.", "hydra/", "+hydra")))
    keys = [o.split("=", 1)[0].lstrip("+~") for o in task]
    digest = hashlib.sha1("\n".join(task).encode()).hexdigest()[:8]
    swept = [k for k, o in zip(keys, task) if "," in o or "range(" in o or "glob(" in o]
    return SWEEPS_DIR / f"{'-'.join(swept) or 'sweep'}-{digest}"


class Progress:
    """A progress bar for a running sweep, fed by run folders appearing on disk.

    Watching the disk works whatever the launcher (local processes, Ray)."""

    def __init__(self, sweep_dir: Path, total: int | None) -> None:
        from tqdm import tqdm

        self.sweep_dir, self.stop = sweep_dir, threading.Event()
        self.bar = tqdm(total=total, unit="run", desc=f"sweep {sweep_dir.name}", dynamic_ncols=True)
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _count(self) -> int:
        if not self.sweep_dir.exists():
            return 0
        return len(list(self.sweep_dir.rglob(DONE_MARKER))) + len(list(self.sweep_dir.rglob(ERROR_MARKER)))

    def _watch(self) -> None:
        while not self.stop.wait(0.5):
            self.bar.n = self._count()
            self.bar.refresh()

    def __enter__(self) -> Progress:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.bar.n = self._count()
        self.bar.close()
