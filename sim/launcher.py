"""The sweep launcher: Hydra's joblib launcher, made to lose nothing when processes die.

* A worker killed mid-run (the out-of-memory killer, ``kill -9``) breaks the
  whole loky pool with ``TerminatedWorkerError``. The runs that were in
  progress are recorded as failed (``error.json``, ``lost: true``) and the
  sweep goes on with the rest in a fresh pool, without retrying those: a run
  that kills its worker would kill the next one too. Rerun the command to
  retry them.
* Workers die with the sweep: each starts a watchdog thread that exits the
  process when its parent (the ``groupsim`` process) is gone, so ``kill -9``
  or TERM of the sweep leaves no orphans computing into the void.
* A job Hydra cannot even start (its folder cannot be made: a file in the
  way, a read-only parent, a full disk) is returned as a failed run instead
  of stopping the sweep with a traceback.
* What each job returned is kept in ``OUTCOMES`` so the command can report
  runs that could not even write their folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hydra.core.singleton import Singleton
from hydra.core.utils import JobReturn, JobStatus, setup_globals
from hydra_plugins.hydra_joblib_launcher._core import execute_job, process_joblib_cfg
from joblib import Parallel, delayed
from joblib._parallel_backends import LokyBackend
from joblib.externals.loky.process_executor import TerminatedWorkerError

from sim.errors import SetupError
from sim.output import DONE_MARKER, ERROR_MARKER, atomic_write

PARENT_ENV = "GROUPSIM_SWEEP_PID"      # set by the launcher; a worker whose parent has it ties itself
RETRY_ENV = "GROUPSIM_RETRY_FAILED"    # "0": skip runs already recorded as failed (after a lost worker)
LOST = ("the worker process running it died (killed by a signal, e.g. the out-of-memory killer); "
        "rerun the command to retry")
INTERRUPTED_BY_PARENT = 130
OUTCOMES: list[dict[str, Any]] = []
_tied = threading.Event()


def tie_to_parent(poll: float = 0.2) -> None:
    """In a sweep worker: exit as soon as the sweep process is gone (idempotent).

    A worker is a process whose ``PARENT_ENV`` names another process; if that
    one is already gone (killed while this worker was starting) it exits now.
    """
    parent = os.environ.get(PARENT_ENV)
    if _tied.is_set() or parent is None or parent == str(os.getpid()):
        return
    if str(os.getppid()) != parent:
        os._exit(INTERRUPTED_BY_PARENT)
    _tied.set()

    def watch() -> None:
        while os.getppid() == int(parent):
            threading.Event().wait(poll)
        os._exit(INTERRUPTED_BY_PARENT)

    threading.Thread(target=watch, name="groupsim-parent-watchdog", daemon=True).start()


@contextlib.contextmanager
def _env(key: str, value: str | None = None):
    """Set (or just protect) an environment variable for the block; restore it after."""
    saved = os.environ.get(key)
    if value is not None:
        os.environ[key] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = saved


def tied_workers():
    """Around a joblib ``Parallel`` call: workers that call ``tie_to_parent`` die with this process."""
    return _env(PARENT_ENV, str(os.getpid()))


def tied_backend() -> LokyBackend:
    """joblib's loky backend whose workers tie themselves at start-up, before any task,
    so a worker killed-parent-while-idle does not wait forever on its queue."""
    return LokyBackend(initializer=tie_to_parent)


def in_progress(sweep_dir: Path) -> list[Path]:
    """Run folders a job started (``config.yaml`` written) but never finished or failed."""
    return sorted(c.parent for c in sweep_dir.rglob("config.yaml")
                  if not (c.parent / DONE_MARKER).is_file() and not (c.parent / ERROR_MARKER).is_file())


def record_lost(sweep_dir: Path) -> list[Path]:
    lost = in_progress(sweep_dir)
    for folder in lost:
        text = json.dumps({"error": f"LostWorker: {LOST}", "lost": True}, indent=2)
        atomic_write(folder / ERROR_MARKER, lambda p: p.write_text(text))
    return lost


def execute_job_recorded(idx: int, overrides: Sequence[str], *args: Any) -> JobReturn:
    """Hydra's job, but one that cannot start (e.g. its folder) returns a failed run instead."""
    try:
        return execute_job(idx, overrides, *args)
    except Exception as exc:
        job = JobReturn(overrides=list(overrides), status=JobStatus.COMPLETED)
        job.return_value = [{"status": "failed", "run": " ".join(overrides),
                             "error": f"run folder cannot be written: {type(exc).__name__}: {exc}"}]
        return job


def launch_jobs(launcher, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> list[JobReturn]:
    """``hydra_joblib_launcher._core.launch`` without its logging, through ``execute_job_recorded``."""
    setup_globals()
    Path(str(launcher.config.hydra.sweep.dir)).mkdir(parents=True, exist_ok=True)
    joblib_cfg = dict(launcher.joblib)
    joblib_cfg["backend"] = tied_backend()
    process_joblib_cfg(joblib_cfg)
    state = Singleton.get_state()
    return Parallel(**joblib_cfg)(
        delayed(execute_job_recorded)(initial_job_idx + i, overrides, launcher.hydra_context,
                                      launcher.config, launcher.task_function, state)
        for i, overrides in enumerate(job_overrides))


def launch_safely(launcher, job_overrides: Sequence[Sequence[str]], initial_job_idx: int,
                  launch: Callable[..., Sequence[JobReturn]] | None = None) -> Sequence[JobReturn]:
    """Run the jobs (``launch_jobs``), again without the lost runs each time a worker dies.

    Used by ``hydra_plugins.groupsim_launcher.SafeJoblibLauncher`` (``hydra/launcher=local``).
    """
    launch = launch or (lambda jobs, idx: launch_jobs(launcher, jobs, idx))
    sweep_dir = Path(str(launcher.config.hydra.sweep.dir))
    with tied_workers(), _env(RETRY_ENV):
        for _ in range(len(job_overrides) + 1):
            try:
                runs = launch(job_overrides, initial_job_idx)
                break
            except TerminatedWorkerError:
                lost = record_lost(sweep_dir)
                names = ", ".join(str(p.relative_to(sweep_dir)) for p in lost) or "none in progress"
                print(f"groupsim: a worker process died; recorded as failed: {names}; "
                      f"going on with the rest", file=sys.stderr)
                if not lost and os.environ.get(RETRY_ENV) == "0":
                    raise SetupError("worker processes keep dying before any run starts "
                                     "(out of memory?); try hydra.launcher.n_jobs=1") from None
                os.environ[RETRY_ENV] = "0"
        else:
            raise SetupError("worker processes keep dying; try hydra.launcher.n_jobs=1")
    for job in runs:
        if job.status == JobStatus.COMPLETED and isinstance(job.return_value, list):
            OUTCOMES.extend(job.return_value)
    return runs
