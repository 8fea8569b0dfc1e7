"""``make bench``: how fast the model runs, in member-days per second.

A member-day is one member present in the group for one day: the sum over
days of the daily table's ``members`` column. Groups shrink as members leave,
so the nominal size (initial members x days) is printed beside it; a big group
that collapses early costs far less than its nominal size suggests.

Cases: 500 members on WeChat's own platform (its cap is 500) and 5,000
members on ``platform=stress`` (a synthetic platform without that cap), each
365 days, under ``strategy=playbook`` (every lever at once, keeps the group
populated) and ``strategy=none`` (the baseline). Configs are composed once;
only ``run(cfg, keep_model=False)`` is timed, best of ``--repeat``, after one
untimed short run that loads or compiles the numba kernels.

    python benchmarks/bench_model.py              # the table
    python benchmarks/bench_model.py --profile    # plus cProfile of the 500-member playbook run
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import time

from sim.api import compose_config, run

DAYS = 365
CASES = [  # (label, overrides)
    ("500, playbook", ["group.initial_members=500", "strategy=playbook"]),
    ("500, none", ["group.initial_members=500", "strategy=none"]),
    ("5,000, playbook", ["group.initial_members=5000", "platform=stress", "strategy=playbook"]),
    ("5,000, none", ["group.initial_members=5000", "platform=stress", "strategy=none"]),
]


def warm_up() -> float:
    """One short untimed run so numba's compilation (or cache load) is not timed."""
    cfg = compose_config(["strategy=playbook", "days=10"])
    start = time.perf_counter()
    run(cfg, keep_model=False)
    return time.perf_counter() - start


def bench(overrides: list[str], repeat: int) -> tuple[float, int, int, int]:
    """Best wall time of ``repeat`` runs, member-days, nominal member-days, final members."""
    cfg = compose_config([*overrides, f"days={DAYS}", "seed=0"])
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run(cfg, keep_model=False)
        best = min(best, time.perf_counter() - start)
    daily = result.daily
    return best, int(daily["members"].sum()), cfg.group.initial_members * DAYS, int(daily["members"].iloc[-1])


def profile(overrides: list[str], top: int = 15) -> None:
    cfg = compose_config([*overrides, f"days={DAYS}", "seed=0"])
    run(cfg, keep_model=False)  # warm: compiled kernels
    profiler = cProfile.Profile()
    profiler.runcall(run, cfg, keep_model=False)
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(top)
        text = out.getvalue()
        print(f"\n--- cProfile, {overrides} {DAYS} days: top {top} by {key} ---")
        print(text[text.index("ncalls"):].rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the best is kept")
    parser.add_argument("--profile", action="store_true", help="cProfile the 500-member playbook run")
    args = parser.parse_args()

    print(f"groupsim model speed: {DAYS} days, seed 0, best of {args.repeat}; "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"warm-up (a 10-day run, numba compile or cache load): {warm_up():.2f} s")
    header = (f"{'members, strategy':<18}{'seconds':>9}{'member-days':>13}{'per second':>12}"
              f"{'initial x days':>16}{'per second':>12}{'final members':>15}")
    print(header)
    print("-" * len(header))
    for label, overrides in CASES:
        seconds, member_days, nominal, final = bench(overrides, args.repeat)
        print(f"{label:<18}{seconds:>9.2f}{member_days:>13,}{member_days / seconds:>12,.0f}"
              f"{nominal:>16,}{nominal / seconds:>12,.0f}{final:>15,}")
    print("member-days: sum over days of members present (daily 'members'); "
          "initial x days: the nominal size")
    if args.profile:
        profile(CASES[0][1])


if __name__ == "__main__":
    main()
