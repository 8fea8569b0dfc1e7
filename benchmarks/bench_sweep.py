"""Time the analyst's daily job: a 5-strategy x 50-seed sweep plus its comparison report.

    python benchmarks/bench_sweep.py [--seeds 50] [--days 180] [--members 300] [--replications 10]

Runs ``groupsim -m strategy=none,red_packets,topics,rules,kol group=interest
seed='range(0,N,R)' replications=R`` (R seeds per job; R=1 is one job per
run) into a fresh folder through the default (joblib) launcher, then
``groupsim-compare`` on it, and prints the wall time of each step.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--replications", type=int, default=10, help="seeds per job")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        sweep = timed([str(BIN / "groupsim"), "-m", "strategy=none,red_packets,topics,rules,kol",
                       "group=interest", f"seed=range(0,{args.seeds},{args.replications})",
                       f"replications={args.replications}", f"days={args.days}",
                       f"group.initial_members={args.members}", f"hydra.sweep.dir={folder}"])
        report = timed([str(BIN / "groupsim-compare"), str(folder)])
        runs = 5 * args.seeds
        cores = Path("/proc/cpuinfo").read_text().count("processor")
        print(f"{runs} runs x {args.days} days x {args.members} members, {args.replications} seeds "
              f"per job, on {cores} cores")
        print(f"  sweep   {sweep:6.1f} s  ({runs / sweep:.1f} runs/s)")
        print(f"  report  {report:6.1f} s")
        print(f"  total   {sweep + report:6.1f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
