"""Writing a run folder (the data contract) so that nothing half-written is mistaken for done.

Each file is written to a temporary name in the same folder and renamed into
place; ``summary.json`` goes last, so its presence marks a finished run.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

DONE_MARKER = "summary.json"
ERROR_MARKER = "error.json"  # a run that raised (or whose worker died): why, instead of results


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


UMASK = _umask()  # read once: os.umask is process-wide and racy under threads


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)``, flush it to disk, then rename ``tmp`` over ``path``.

    Atomic on one filesystem, and durable: after a crash the name holds either
    the old file or the whole new one. ``mkstemp`` makes 0600 files; the
    result gets the permissions any other file would (0666 less the umask).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~UMASK)
        with open(tmp, "rb+") as done:
            os.fsync(done.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_run(folder: Path, config_yaml: str, daily: pd.DataFrame, members: pd.DataFrame,
              summary: dict) -> Path:
    """Write ``config.yaml``, ``daily.parquet``, ``members.parquet``, then ``summary.json``."""
    folder = Path(folder)
    (folder / DONE_MARKER).unlink(missing_ok=True)
    atomic_write(folder / "config.yaml", lambda p: p.write_text(config_yaml))
    atomic_write(folder / "daily.parquet", lambda p: daily.to_parquet(p, index=False))
    atomic_write(folder / "members.parquet", lambda p: members.to_parquet(p, index=False))
    text = json.dumps(summary, indent=2, sort_keys=False, allow_nan=False)
    atomic_write(folder / DONE_MARKER, lambda p: p.write_text(text + "\n"))
    return folder


def is_finished(folder: Path) -> bool:
    return (Path(folder) / DONE_MARKER).is_file()
