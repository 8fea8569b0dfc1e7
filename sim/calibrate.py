"""``groupsim-calibrate DATA``: fit a group's free parameters to an operator's daily series or chat export.

    groupsim-calibrate data.csv --group interest --trials 200 --seeds 3 [-- strategy=content]
    groupsim-calibrate chat.csv|result.json|results/ingest/mygroup/ [--tz ...] [--events ...]

DATA is a daily CSV (below), a chat export (ingested first, with the ingest
API, into ``OUT/ingested/``) or a folder ``groupsim-ingest`` wrote. From an
export or folder, several patterns are fitted at once (``sim/calibration/
patterns.py``): the daily series, participation inequality, newcomers'
return and, where leaves are observed, the quit hazard by tenure; the
default free parameters then add ``population.talk_spread``. ``fit.json``
and ``fit.md`` list each pattern's fit beside the data, ``patterns.png``
draws it.

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
from sim.calibration import group as real
from sim.calibration.objective import DEFAULT_PARAMS, FreeParam, free_params, series_of, simulate_runs
from sim.calibration.patterns import (Patterns, fit_table, markdown_table, messages_range, pattern_figure,
                                      series_patterns)
from sim.calibration.plot import fit_figure
from sim.calibration.search import SAMPLER_SEED, Fit, calibrate, startup
from sim.calibration.series import SeriesError, initial_members, read_series
from sim.checks import ConfigError
from sim.config import RunConfig
from sim.errors import UsageError, entry_point, writable_dir
from sim.group_traits import ONE_GROUP
from sim.output import atomic_write

PROG = "groupsim-calibrate"
PATTERN_PARAMS = (*DEFAULT_PARAMS, FreeParam("population.talk_spread", 0.1, 2.0))  # talk_spread: inequality


def base_overrides(series: pd.DataFrame, group: str, overrides: list[str]) -> list[str]:
    """The operator's setting: archetype, their overrides, then what the data fixes.

    The data is one group, so no group traits are drawn on top of it (``ONE_GROUP``).
    """
    days = int(series["day"].iloc[-1] - series["day"].iloc[0] + 1)
    return [f"group={group}", *ONE_GROUP, *overrides, f"days={days}",
            f"group.initial_members={initial_members(series)}"]


def fitted_overrides(base: list[str], values: dict[str, float]) -> list[str]:
    return [*base, *(f"{key}={value:g}" for key, value in values.items())]


def fitted_overrides_of(path: str | Path) -> list[str]:
    """The ``overrides`` list of a ``fitted.yaml``; anything else is refused in one line."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such fitted file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        raise UsageError(f"{path}: not a fitted.yaml (not readable YAML)") from None
    overrides = data.get("overrides") if isinstance(data, dict) else None
    if not (isinstance(overrides, list) and overrides and all(isinstance(o, str) and "=" in o for o in overrides)
            and all(isinstance(data.get(k), dict) for k in ("params", "config")) and "command" in data):
        raise UsageError(f"{path}: not a fitted.yaml from {PROG} (it needs command, overrides, params "
                         f"and config)")
    return overrides


def load_fitted(path: str | Path) -> RunConfig:
    """The fitted config from a ``fitted.yaml``, composed afresh from its overrides."""
    return compose_config(fitted_overrides_of(path))


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
        "sampler": f"optuna TPESampler(seed={SAMPLER_SEED}, n_startup_trials={startup(len(fit.trials))})",
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


def weight(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    try:
        w = float(value)
    except ValueError:
        w = float("nan")
    if not sep or not name or not w >= 0 or w == float("inf"):
        raise argparse.ArgumentTypeError(f"must be NAME=W with a finite W >= 0, got {text!r}")
    return name, w


def pattern_report(out: Path, name: str, observed: pd.DataFrame, patterns: Patterns,
                   simulated: pd.DataFrame, members: list[pd.DataFrame], fit: Fit,
                   weights: dict[str, float], dropped: dict[str, str]) -> list[str]:
    """fit.md, patterns.png and the ``patterns`` part of fit.json; returns the patterns not fitted."""
    per_seed = pd.DataFrame([series_patterns(block) | patterns.simulated(m)
                             for (_, block), m in zip(simulated.groupby("seed", sort=False), members)])
    values = series_patterns(observed) | patterns.observed
    ranges = patterns.bootstrap() | {"messages": messages_range(observed)}
    table = fit_table(values, ranges, per_seed)
    dropped = dropped | patterns.dropped
    not_fitted = table.loc[~table["fitted"], "pattern"].tolist()
    outside = table.loc[~table["within_band"], "pattern"].tolist()
    seeds = len(members)
    lines = [f"# Fit of the model to {name}", "",
             f"Fitted: {', '.join(f'`{k}` = {v:g}' for k, v in fit.values.items())} "
             f"(loss {fit.loss:.4g} on {len(fit.check_seeds)} fresh seeds).", "",
             f"Each pattern of the data beside the fitted model over {seeds} seeds. *Data 5–95%* resamples "
             "members (messages per day: days) 200 times; *within band?* asks whether the observed value "
             "lies in the simulated 5–95% band; **not fitted** means the simulated band and the data's "
             "range do not even overlap.", "", *markdown_table(table, dropped), ""]
    if not_fitted:
        lines.append(f"**Could not fit:** {', '.join(not_fitted)}: the fitted model's 5–95% band misses "
                     "the data's range. Read what-if answers that depend on these with care, or fit "
                     "other parameters (`--param`).")
    elif outside:
        lines.append(f"Outside the simulated band but overlapping the data's range: {', '.join(outside)}.")
    else:
        lines.append("Every pattern's observed value lies in the fitted model's 5–95% band.")
    lines += ["", "Loss terms (squared errors; series on log or founder-share scales, patterns on "
              "share scales; weight in brackets):", "",
              *(f"- `{k}`: {v:.4g} (x{weights.get(k, 1.0):g})" for k, v in fit.terms.items()), "",
              "![patterns](patterns.png)", "", "![series](fit.png)", ""]
    atomic_write(out / "fit.md", lambda p: p.write_text("\n".join(lines)))
    fig = pattern_figure(table, per_seed, f"{name}: each pattern, data vs fitted model ({seeds} seeds)")
    save(fig, out / "patterns.png")
    report = json.loads((out / "fit.json").read_text())
    report |= {
        "patterns": json.loads(table.to_json(orient="records")),
        "dropped": dropped,
        "not_fitted": not_fitted,
        "weights": {k: weights.get(k, 1.0) for k in fit.terms},
        "loss_definition": report["loss_definition"] + (
            "; plus, per pattern, the squared difference between the data's value and the seed-mean "
            "simulated value on a 0-1 share scale: participation_gini, top10_share, newcomer_return, "
            "quit_hazard (the mean over tenure windows of the chance of leaving in the window); "
            "each term times its weight"),
    }
    atomic_write(out / "fit.json", lambda p: p.write_text(json.dumps(report, indent=2) + "\n"))
    return not_fitted


@entry_point(PROG)
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0].split(": ", 1)[1])
    parser.add_argument("data", type=Path, help="daily CSV (day, members, messages [, joined, left]), "
                                                "a chat export, or a groupsim-ingest folder")
    parser.add_argument("--group", default="interest", help="the archetype (configs/group/)")
    parser.add_argument("--param", action="append", default=[],
                        help="KEY=LOW:HIGH to fit (repeat); replaces the default set")
    parser.add_argument("--weight", action="append", default=[], type=weight,
                        help="NAME=W: weight of a loss term (default 1), e.g. top10_share=2")
    parser.add_argument("--trials", type=positive, default=150, help="optuna trials")
    parser.add_argument("--seeds", type=positive, default=8, help="seeds averaged per trial")
    parser.add_argument("--recheck", type=positive, default=5,
                        help="best trials re-scored on 3x the seeds; the lowest wins")
    parser.add_argument("--plot-seeds", type=positive, default=20, help="seeds behind the plot's band")
    parser.add_argument("--out", type=Path, help="default results/calibration/<data stem>/")
    parser.add_argument("--tz", help="an export's time zone (as groupsim-ingest --tz)")
    parser.add_argument("--events", type=Path, help="an export's events.csv (as groupsim-ingest --events)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("overrides", nargs="*", help="config overrides kept fixed, e.g. strategy=content")
    args = parser.parse_intermixed_args(argv)  # overrides may follow the options, after --
    out = args.out or Path("results/calibration") / args.data.stem
    patterns, dropped = None, {}
    if args.data.is_dir() or real.is_export(args.data):
        out = writable_dir(out)
        folder = args.data if args.data.is_dir() else real.from_export(args.data, out, args.tz, args.events)
        group = real.read_group(folder, out)
        observed, dropped = group.series, group.dropped
        span = int(observed["day"].iloc[-1] - observed["day"].iloc[0] + 1)
        patterns = Patterns(group.members, span, quits=group.leaves_observed)
        if not group.leaves_observed:
            patterns.dropped["quit_hazard"] = "leaves were inferred from silence, not observed"
    else:
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
    params = free_params(args.param, base) if args.param or patterns is None else list(PATTERN_PARAMS)
    weights = dict(args.weight)
    terms = [*("members", "messages"), *(c for c in ("joined", "left") if c in observed),
             *(n for n in ("participation_gini", "top10_share", "newcomer_return", "quit_hazard")
               if patterns is not None and n not in patterns.dropped
               and (n != "quit_hazard" or patterns.quit_names))]
    unknown = sorted(set(weights) - set(terms))
    if unknown:
        raise UsageError(f"--weight {unknown[0]}: not a loss term here; terms: {', '.join(terms)}")
    out = writable_dir(out)  # before the fit
    what = "the daily series" + (" and " + ", ".join(
        n for n in ("participation_gini", "top10_share", "newcomer_return", "quit_hazard")
        if n not in patterns.dropped) if patterns else "")
    print(f"{PROG}: fitting {', '.join(p.key for p in params)} to {what} over {len(observed)} days of "
          f"{args.data.name} ({args.trials} trials x {args.seeds} seeds)", file=sys.stderr)
    for name, why in {**dropped, **(patterns.dropped if patterns else {})}.items():
        print(f"{PROG}: not fitted: {name}: {why}", file=sys.stderr)
    fit = calibrate(observed, cfg, params, args.trials, args.seeds, args.recheck, progress=not args.quiet,
                    patterns=patterns, weights=weights)
    simulated, members = series_of(simulate_runs(cfg, fit.values, range(args.plot_seeds)), observed["day"])
    write_outputs(out, args.data, params, fit, fitted_overrides(base, fit.values), observed, simulated)
    shown = ", ".join(f"{k}={v:g}" for k, v in fit.values.items())
    if patterns is None:
        print(f"{PROG}: {shown} (loss {fit.loss:.4g}) -> {out}/fitted.yaml, {out}/fit.png")
        return
    missed = pattern_report(out, args.data.name, observed, patterns, simulated, members, fit, weights, dropped)
    print(f"{PROG}: {shown} (loss {fit.loss:.4g}) -> {out}/fitted.yaml, {out}/fit.md")
    if missed:
        print(f"{PROG}: could not fit: {', '.join(missed)} (see {out}/fit.md)", file=sys.stderr)


if __name__ == "__main__":
    main()
