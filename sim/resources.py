"""Will a run fit in memory? Asked before it starts, so it is refused rather than killed.

The estimate is deliberately generous: per member slot the model keeps a few
dozen float64/int64 arrays, ties and a row of the member table (measured at
roughly 1-2 KB; we assume ``BYTES_PER_MEMBER``), and the arrays double when
they grow, so the largest group a run can reach counts twice.
"""

from __future__ import annotations

import os
from pathlib import Path

from sim.errors import SetupError

BYTES_PER_MEMBER = 8_192
BASE_BYTES = 400 * 2**20  # Python, numba, pandas and the compiled kernels


def estimate_bytes(cfg) -> int:
    """Peak memory of one run of ``cfg`` (a ``RunConfig``)."""
    largest = max(cfg.group.initial_members, cfg.platform.member_cap)
    return BASE_BYTES + 2 * largest * BYTES_PER_MEMBER + cfg.days * 4_096


def available_bytes() -> int:
    """Memory this process may still use: MemAvailable, capped by a cgroup (container) limit."""
    free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                free = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        used = int(Path("/sys/fs/cgroup/memory.current").read_text())
        if limit != "max":
            free = min(free, int(limit) - used)
    except (OSError, ValueError):
        pass
    return free


def check_memory(cfg, jobs: int = 1) -> None:
    """Refuse, in one line, a run (or ``jobs`` runs side by side) that would not fit."""
    need, have = estimate_bytes(cfg) * jobs, available_bytes()
    if need > have:
        side = f" ({jobs} in parallel)" if jobs > 1 else ""
        raise SetupError(
            f"a run with up to {max(cfg.group.initial_members, cfg.platform.member_cap):,} members"
            f"{side} needs about {need / 2**30:.1f} GB; {have / 2**30:.1f} GB is free. "
            f"Lower platform.member_cap / group.initial_members or run fewer jobs")
