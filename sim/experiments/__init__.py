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

from sim.checks import MAX_DAYS
from sim.errors import entry_point, writable_dir
from sim.experiments.report import write_report
from sim.experiments.runner import RESULTS_DIR, execute, outcomes, plan
from sim.experiments.spec import (MAX_SEEDS, Experiment, SpecError, available, check_seeds, load_experiment,
                                  with_fitted)
from sim.i18n import LANGS, set_lang

__all__ = ["Experiment", "SpecError", "available", "load_experiment", "main", "run_experiment"]


def run_experiment(name: str, seeds: int | None = None, days: int | None = None,
                   out: str | Path = RESULTS_DIR, jobs: int = 2, fresh: bool = False,
                   command: str | None = None, fitted: str | Path | None = None) -> Path:
    """Run (or resume) one experiment and write its report; returns the report's path.

    ``fitted``: a ``groupsim-calibrate`` ``fitted.yaml``; its group is every arm's base
    (``spec.with_fitted``).
    """
    experiment = load(name, fitted)
    try:
        seeds = check_seeds(experiment.seeds if seeds is None else seeds, "seeds")
    except ValueError as exc:
        raise SpecError(f"{name}: {exc}") from None
    folder = Path(out) / name
    tasks = plan(experiment, folder, seeds, days)
    execute(tasks, jobs=jobs, fresh=fresh)
    table = outcomes(tasks, experiment.metrics, folder)
    return write_report(folder, experiment, tasks, table, seeds, command or f"groupsim-experiment {name}")


def load(name: str, fitted: str | Path | None = None) -> Experiment:
    """The spec, on the fitted group if ``fitted`` names a ``fitted.yaml``."""
    experiment = load_experiment(name)
    if fitted is None:
        return experiment
    from sim.calibrate import fitted_overrides_of

    return with_fitted(experiment, fitted_overrides_of(fitted), str(fitted))


def _listing() -> str:
    rows = []
    for name in available():
        try:
            rows.append(f"{name:24} {load_experiment(name).question}")
        except SpecError as exc:
            rows.append(f"{name:24} (invalid: {exc})")
    return "\n".join(rows)


def whole(low: int, high: int, why: str = ""):
    """An argparse type: a whole number in [low, high]."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {low} to {high}{why}, got {value}")
        return value
    return parse


@entry_point("groupsim-experiment")
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="groupsim-experiment", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="experiment(s) to run; see --list")
    parser.add_argument("--list", action="store_true", help="list the experiments and their questions")
    parser.add_argument("--seeds", type=whole(2, MAX_SEEDS, " (effects are paired over seeds)"),
                        help="seeds per arm (default: the spec's)")
    parser.add_argument("--days", type=whole(1, MAX_DAYS), help="days per run (default: the spec's)")
    parser.add_argument("--out", default=str(RESULTS_DIR), help=f"results root (default: {RESULTS_DIR})")
    parser.add_argument("--jobs", type=whole(1, 256), default=2,
                        help="processes (default: 2); results do not depend on it")
    parser.add_argument("--fresh", action="store_true", help="rerun finished runs too (e.g. after a model change)")
    parser.add_argument("--from", dest="fitted", type=Path, metavar="FITTED.yaml",
                        help="run on a fitted group (groupsim-calibrate's fitted.yaml): the fit is every "
                             "arm's base, the arms' levers on top; the spec's days stay")
    parser.add_argument("--lang", choices=LANGS, help="report language (default: GROUPSIM_LANG, else the locale)")
    args = parser.parse_args(argv)
    set_lang(args.lang)
    if args.list or not args.names:
        print(_listing())
        return
    for name in args.names:  # check every spec and every override before running anything
        load(name, args.fitted).configs(args.days)
    writable_dir(args.out, "--out folder")
    for name in args.names:
        started = time.perf_counter()
        flags = [f"--{k} {shlex.quote(str(v))}" for k, v in
                 (("seeds", args.seeds), ("days", args.days), ("from", args.fitted)) if v is not None]
        command = shlex.join(["groupsim-experiment", name]) + "".join(f" {f}" for f in flags)
        report = run_experiment(name, args.seeds, args.days, args.out, args.jobs, args.fresh, command,
                                args.fitted)
        print(f"groupsim-experiment: {name}: report -> {report} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
