"""``groupsim-sensitivity``: which config parameters move an outcome, globally.

Morris elementary effects (cheap screening) or Sobol indices (variance
shares) from SALib, over ranges you name, averaged over a few seeds:

    groupsim-sensitivity --param population.noise_cost=0.2:1.0 \\
        --param group.invite_rate=0:0.01 --outcome lifetime_days -- group=brand days=90
"""

from __future__ import annotations

import argparse
from functools import reduce
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from joblib import Parallel, delayed  # noqa: E402
from SALib.analyze import morris as morris_analyze  # noqa: E402
from SALib.analyze import sobol as sobol_analyze  # noqa: E402
from SALib.sample import morris as morris_sample  # noqa: E402
from SALib.sample import sobol as sobol_sample  # noqa: E402

from sim.api import compose_config, run  # noqa: E402
from sim.checks import ConfigError  # noqa: E402
from sim.errors import UsageError, entry_point, writable_dir  # noqa: E402
from sim.experiments import whole  # noqa: E402
from sim.launcher import tie_to_parent, tied_backend, tied_workers  # noqa: E402
from sim.metrics import SUMMARY_KEYS  # noqa: E402
from sim.output import atomic_write  # noqa: E402

OUTCOMES = [k for k in SUMMARY_KEYS if k != "died"] + ["retention_day30", "participation_gini"]


def parse_param(text: str) -> tuple[str, float, float]:
    """``key=lo:hi`` -> (key, lo, hi)."""
    try:
        key, bounds = text.split("=", 1)
        lo, hi = (float(x) for x in bounds.split(":"))
    except ValueError:
        raise ConfigError(f"--param {text!r}: expected KEY=LOW:HIGH, e.g. group.invite_rate=0:0.01") from None
    if not lo < hi:
        raise ConfigError(f"--param {key}: LOW must be below HIGH, got {lo:g}:{hi:g}")
    return key, lo, hi


def checked_param(text: str, base: list[str]) -> tuple[str, float, float, bool]:
    """``KEY=LOW:HIGH`` as (key, low, high, is_integer); both ends must compose under the schema."""
    key, lo, hi = parse_param(text)
    for end in (lo, hi):
        cfg = compose_config([*base, f"{key}={end:g}"])
    current = reduce(getattr, key.split("."), cfg)
    if isinstance(current, bool) or not isinstance(current, int | float):
        raise ConfigError(f"--param {key}: not a number in the config (it is {current!r})")
    return key, lo, hi, isinstance(current, int)


def problem_for(params: list[str], base: list[str]) -> tuple[dict, dict[str, bool]]:
    """The SALib problem; each range end is validated against the config schema first."""
    names, bounds, integer = [], [], {}
    for text in params:
        key, lo, hi, integer[key] = checked_param(text, base)
        names.append(key)
        bounds.append([lo, hi])
    return {"num_vars": len(names), "names": names, "bounds": bounds}, integer


def evaluate(row: dict[str, float], base: list[str], outcome: str, seeds: int) -> float:
    """Mean outcome over ``seeds`` runs at one point of the parameter space."""
    tie_to_parent()  # in a worker: exit if the sensitivity process is killed
    overrides = [*base, *(f"{k}={v}" for k, v in row.items())]
    values = [run(compose_config([*overrides, f"seed={s}"]), keep_model=False).summary[outcome]
              for s in range(seeds)]
    return float(np.mean([np.nan if v is None else v for v in values]))


def sensitivity(params: list[str], outcome: str, base: list[str], method: str = "morris",
                samples: int = 10, seeds: int = 2, out: Path | None = None, n_jobs: int = -1) -> Path:
    """Sample, run, analyse and plot; returns the output folder."""
    if outcome not in OUTCOMES:
        raise ConfigError(f"--outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}")
    problem, integer = problem_for(params, base)
    if method == "morris":
        X = morris_sample.sample(problem, samples, num_levels=4, seed=0)
    else:
        X = sobol_sample.sample(problem, samples, calc_second_order=False, seed=0)
    points = pd.DataFrame(X, columns=problem["names"])
    for key, is_int in integer.items():
        if is_int:
            points[key] = points[key].round().astype(int)
    with tied_workers():
        Y = np.array(Parallel(n_jobs=n_jobs, backend=tied_backend())(
            delayed(evaluate)(row, base, outcome, seeds) for row in points.to_dict("records")))
    if np.isnan(Y).all():  # indices of nothing would be an empty table that looks like an answer
        raise UsageError(f"--outcome {outcome} is undefined in every run (e.g. retention_day30 "
                         f"needs days >= 30); nothing written")
    if method == "morris":
        indices = morris_analyze.analyze(problem, X, Y, num_levels=4, seed=0).to_df()
        shown, conf, label = "mu_star", "mu_star_conf", "μ* (mean |elementary effect|)"
    else:
        indices = sobol_analyze.analyze(problem, Y, calc_second_order=False, seed=0).to_df()[0]
        shown, conf, label = "ST", "ST_conf", "total-order Sobol index"
    out = Path(out or Path("results/sensitivity") / f"{method}-{outcome}")
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / "samples.parquet", lambda p: points.assign(**{outcome: Y}).to_parquet(p))
    atomic_write(out / "indices.csv", lambda p: indices.to_csv(p, index_label="parameter"))
    fig = plot(indices, shown, conf, label, outcome, method, len(Y))
    atomic_write(out / "indices.png", lambda p: fig.savefig(p, dpi=110, bbox_inches="tight", format="png"))
    plt.close(fig)
    return out


def plot(indices: pd.DataFrame, shown: str, conf: str, label: str, outcome: str, method: str,
         runs: int) -> plt.Figure:
    ordered = indices.sort_values(shown)
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(ordered) + 2))
    ax.barh(ordered.index, ordered[shown], xerr=ordered[conf], color=sns.color_palette()[0], capsize=3)
    ax.set(xlabel=label, title=f"Sensitivity of {outcome} ({method}, {runs} parameter points)")
    if "sigma" in ordered:
        for y, (mu, sigma) in enumerate(zip(ordered[shown], ordered["sigma"])):
            ax.annotate(f"σ={sigma:.3g}", (mu, y), xytext=(6, -4), textcoords="offset points", fontsize="small")
    fig.tight_layout()
    return fig


@entry_point("groupsim-sensitivity")
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="groupsim-sensitivity", description=__doc__.splitlines()[0])
    parser.add_argument("--param", action="append", required=True, help="KEY=LOW:HIGH (repeat)")
    parser.add_argument("--outcome", default="lifetime_days", help=f"one of: {', '.join(OUTCOMES)}")
    parser.add_argument("--method", choices=["morris", "sobol"], default="morris")
    parser.add_argument("--samples", type=whole(2, 10_000), default=10,
                        help="Morris trajectories, or Sobol base samples (a power of 2)")
    parser.add_argument("--seeds", type=whole(1, 1000), default=2, help="seeds averaged per point")
    parser.add_argument("--out", type=Path)
    parser.add_argument("overrides", nargs="*", help="config overrides for every run, e.g. group=brand")
    args = parser.parse_intermixed_args(argv)
    if args.out:
        writable_dir(args.out, "--out folder")
    out = sensitivity(args.param, args.outcome, args.overrides, args.method, args.samples,
                      args.seeds, args.out)
    print(f"groupsim-sensitivity: indices -> {out}/indices.csv, figure -> {out}/indices.png")


if __name__ == "__main__":
    main()
