"""``groupsim-calibrate DATA.csv``: fit a group's free parameters to an operator's daily series.

    groupsim-calibrate data.csv --group interest --trials 200 --seeds 3 [-- strategy=content]

The CSV holds ``day, members, messages`` (optional ``joined, left``), one row
per day (``sim/calibration/series.py``). The archetype and any overrides are
kept; the group's size on the first day and the number of days come from the
data; the free parameters (``--param KEY=LOW:HIGH``, default: talkativeness,
invitation rate, leave threshold) are fitted. ``--out`` (default
``results/calibration/<csv stem>/``) receives:

* ``fitted.yaml``: ``command`` (a ``groupsim`` line that runs the fitted
  group), ``overrides`` (the same as a list: ``sim.api.simulate(overrides)``
  or ``load_fitted(path)``), ``params`` and the fully resolved ``config``;
* ``fit.json``: fitted values, search ranges, loss and its terms, seeds, trials;
* ``trials.csv``: every trial's values and loss;
* ``fit.png``: the data over the fitted model's median and 5–95% band over seeds.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

import pandas as pd
import yaml

from sim.analysis.report import save
from sim.api import compose_config, config_yaml
from sim.calibration.objective import FreeParam, free_params, simulate_series
from sim.calibration.plot import fit_figure
from sim.calibration.search import SAMPLER_SEED, Fit, calibrate
from sim.calibration.series import SeriesError, initial_members, read_series
from sim.checks import ConfigError
from sim.config import RunConfig
from sim.errors import entry_point, writable_dir
from sim.group_traits import ONE_GROUP
from sim.output import atomic_write

PROG = "groupsim-calibrate"


def base_overrides(series: pd.DataFrame, group: str, overrides: list[str]) -> list[str]:
    """The operator's setting: archetype, their overrides, then what the data fixes.

    The data is one group, so no group traits are drawn on top of it (``ONE_GROUP``).
    """
    days = int(series["day"].iloc[-1] - series["day"].iloc[0] + 1)
    return [f"group={group}", *ONE_GROUP, *overrides, f"days={days}",
            f"group.initial_members={initial_members(series)}"]


def fitted_overrides(base: list[str], values: dict[str, float]) -> list[str]:
    return [*base, *(f"{key}={value:g}" for key, value in values.items())]


def load_fitted(path: str | Path) -> RunConfig:
    """The fitted config from a ``fitted.yaml``, composed afresh from its overrides."""
    return compose_config(yaml.safe_load(Path(path).read_text())["overrides"])


def write_outputs(out: Path, data: Path, params: list[FreeParam], fit: Fit, overrides: list[str],
                  observed: pd.DataFrame, simulated: pd.DataFrame) -> None:
    cfg = compose_config(overrides)
    fitted = {
        "command": shlex.join(["groupsim", *overrides]),
        "overrides": overrides,
        "params": fit.values,
        "config": yaml.safe_load(config_yaml(cfg)),
    }
    header = f"# Fitted by {PROG} to {data.name}. Run it with the `command` line below.\n"
    text = header + yaml.safe_dump(fitted, sort_keys=False, allow_unicode=True, width=float("inf"))
    atomic_write(out / "fitted.yaml", lambda p: p.write_text(text))
    report = {
        "data": data.name,
        "days": len(observed),
        "params": fit.values,
        "search_space": {p.key: {"low": p.low, "high": p.high, "log": p.log} for p in params},
        "loss": fit.loss,
        "loss_terms": fit.terms,
        "loss_definition": ("sum over series of the mean squared error between the data and the "
                            "mean over check_seeds of: log1p(members), log1p(7-day mean messages), "
                            "cumulative joined/left as shares of the founding members"),
        "trials": len(fit.trials),
        "fit_seeds": fit.fit_seeds,
        "check_seeds": fit.check_seeds,
        "sampler": f"optuna TPESampler(seed={SAMPLER_SEED})",
        "overrides": overrides,
    }
    atomic_write(out / "fit.json", lambda p: p.write_text(json.dumps(report, indent=2) + "\n"))
    atomic_write(out / "trials.csv", lambda p: fit.trials.to_csv(p, index=False))
    shown = ", ".join(f"{k.split('.')[-1]}={v:g}" for k, v in fit.values.items())
    seeds = simulated["seed"].nunique()
    fig = fit_figure(observed, simulated, f"{data.name}: data vs fitted model ({shown})\n"
                                          f"simulated median and 5–95% band over {seeds} seeds")
    save(fig, out / "fit.png")


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


@entry_point(PROG)
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0].split(": ", 1)[1])
    parser.add_argument("data", type=Path, help="CSV: day, members, messages [, joined, left]")
    parser.add_argument("--group", default="interest", help="the archetype (configs/group/)")
    parser.add_argument("--param", action="append", default=[],
                        help="KEY=LOW:HIGH to fit (repeat); replaces the default set")
    parser.add_argument("--trials", type=positive, default=150, help="optuna trials")
    parser.add_argument("--seeds", type=positive, default=8, help="seeds averaged per trial")
    parser.add_argument("--recheck", type=positive, default=5,
                        help="best trials re-scored on 3x the seeds; the lowest wins")
    parser.add_argument("--plot-seeds", type=positive, default=20, help="seeds behind the plot's band")
    parser.add_argument("--out", type=Path, help="default results/calibration/<csv stem>/")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("overrides", nargs="*", help="config overrides kept fixed, e.g. strategy=content")
    args = parser.parse_intermixed_args(argv)  # overrides may follow the options, after --
    try:
        observed = read_series(args.data)
    except SeriesError as exc:
        raise SeriesError(f"{args.data}: {exc}") from None
    base = base_overrides(observed, args.group, args.overrides)
    try:
        cfg = compose_config(base)
    except ConfigError as exc:
        if "initial_members" not in str(exc):
            raise
        raise ConfigError(f"{args.data}: line 2 gives the founding members: {exc}") from None
    params = free_params(args.param, base)
    out = writable_dir(args.out or Path("results/calibration") / args.data.stem)  # before the fit
    print(f"{PROG}: fitting {', '.join(p.key for p in params)} to {len(observed)} days of "
          f"{args.data.name} ({args.trials} trials x {args.seeds} seeds)", file=sys.stderr)
    fit = calibrate(observed, cfg, params, args.trials, args.seeds, args.recheck, progress=not args.quiet)
    simulated = simulate_series(cfg, fit.values, range(args.plot_seeds), observed["day"])
    write_outputs(out, args.data, params, fit, fitted_overrides(base, fit.values), observed, simulated)
    shown = ", ".join(f"{k}={v:g}" for k, v in fit.values.items())
    print(f"{PROG}: {shown} (loss {fit.loss:.4g}) -> {out}/fitted.yaml, {out}/fit.png")


if __name__ == "__main__":
    main()
