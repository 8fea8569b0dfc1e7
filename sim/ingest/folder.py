"""Writing the group's folder all at once: built in a hidden sibling, renamed into place.

A crash or a refused input leaves either the previous folder or nothing,
never a half-written one. An existing folder is replaced only if it is a
previous ingest (it has ``summary.json``) or empty.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from sim.ingest.frames import IngestError
from sim.output import DONE_MARKER

TEXT = {"occupied": "{out}: exists and is not a groupsim-ingest folder; choose another --out"}


def write_folder(out: Path, fill: Callable[[Path], None]) -> Path:
    """Call ``fill(tmp)`` to write every file, then swap ``tmp`` in as ``out``."""
    out = Path(out)
    if out.exists() and not (out / DONE_MARKER).is_file() and any(out.iterdir()):
        raise IngestError(TEXT["occupied"].format(out=out))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        fill(tmp)
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            os.replace(out, old / "x")
        os.replace(tmp, out)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n")
