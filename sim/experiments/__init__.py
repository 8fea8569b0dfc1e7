"""``groupsim-experiment NAME``: curated what-if experiments that answer an operator's question.

Each ``experiments/NAME.yaml`` is a question a working operator asks (do red
packets keep a group alive?), set up as arms run on the same seeds. The
command runs them (resumably, in parallel), then writes
``results/experiments/NAME/report.md``: the answer in plain words with its
uncertainty, what to try next, the setup, figures and the numbers, all
generated from the runs.
"""

from __future__ import annotations

import argparse
import shlex
import time
from pathlib import Path

from sim.experiments.report import write_report
from sim.experiments.runner import RESULTS_DIR, execute, outcomes, plan
from sim.experiments.spec import Experiment, SpecError, available, load_experiment
from sim.i18n import LANGS, set_lang

__all__ = ["Experiment", "SpecError", "available", "load_experiment", "main", "run_experiment"]


def run_experiment(name: str, seeds: int | None = None, days: int | None = None,
                   out: str | Path = RESULTS_DIR, jobs: int = 2, fresh: bool = False,
                   command: str | None = None) -> Path:
    """Run (or resume) one experiment and write its report; returns the report's path."""
    experiment = load_experiment(name)
    seeds = seeds or experiment.seeds
    folder = Path(out) / name
    tasks = plan(experiment, folder, seeds, days)
    execute(tasks, jobs=jobs, fresh=fresh)
    table = outcomes(tasks, experiment.metrics, folder)
    return write_report(folder, experiment, tasks, table, seeds, command or f"groupsim-experiment {name}")


def _listing() -> str:
    rows = []
    for name in available():
        try:
            rows.append(f"{name:24} {load_experiment(name).question}")
        except SpecError as exc:
            rows.append(f"{name:24} (invalid: {exc})")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="groupsim-experiment", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="experiment(s) to run; see --list")
    parser.add_argument("--list", action="store_true", help="list the experiments and their questions")
    parser.add_argument("--seeds", type=int, help="seeds per arm (default: the spec's)")
    parser.add_argument("--days", type=int, help="days per run (default: the spec's)")
    parser.add_argument("--out", default=str(RESULTS_DIR), help=f"results root (default: {RESULTS_DIR})")
    parser.add_argument("--jobs", type=int, default=2, help="processes (default: 2); results do not depend on it")
    parser.add_argument("--fresh", action="store_true", help="rerun finished runs too (e.g. after a model change)")
    parser.add_argument("--lang", choices=LANGS, help="report language (default: GROUPSIM_LANG, else the locale)")
    args = parser.parse_args(argv)
    set_lang(args.lang)
    if args.list or not args.names:
        print(_listing())
        return
    if args.seeds is not None and args.seeds < 2:
        parser.exit(2, "groupsim-experiment: error: --seeds must be >= 2 (effects are paired over seeds)\n")
    try:  # check every spec and every override before running anything
        for name in args.names:
            load_experiment(name).configs(args.days)
    except SpecError as exc:
        parser.exit(2, f"groupsim-experiment: error: {exc}\n")
    for name in args.names:
        started = time.perf_counter()
        flags = [f"--{k} {v}" for k, v in (("seeds", args.seeds), ("days", args.days)) if v is not None]
        command = shlex.join(["groupsim-experiment", name]) + "".join(f" {f}" for f in flags)
        report = run_experiment(name, args.seeds, args.days, args.out, args.jobs, args.fresh, command)
        print(f"groupsim-experiment: {name}: report -> {report} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
