"""Pattern-oriented fitting: several patterns of a real group at once, not only its daily series.

A group read from an export (``groupsim-ingest``) shows more than members and
messages per day. Each pattern is computed by the same function on the data
and on a simulated run, from the member table alone (``messages``,
``joined_day``, ``exit_day``, ``exit_reason``), so both sides mean the same:

* ``participation_gini``: Gini of messages per poster (members with a message);
* ``top10_share``: the share of all messages posted by the top 10% of posters.
  Posters only, because an export cannot see members who never posted and
  never joined or left during it, while a simulated run lists them all;
* ``newcomer_return``: of the members who joined during the record and
  posted, the share who posted again (two or more messages). The simulator
  keeps counts, not days, so "again" means a second message, on both sides;
* ``quit_<lo>_<hi>``: the probability of leaving within a tenure window
  given one reached it, ``1 - exp(-hazard x width)``, from
  ``sim.analysis.tenure`` (voluntary leaves per member-day at risk). Only
  where leaves are observed: inferred exits (``exit_inferred``) are not
  leaves, so with inferred leaves the quit terms are dropped.

Each term of the loss is a squared difference on a scale of shares (0 to 1):
the data's value against the mean over the seeds of the simulated value (the
quit terms: the mean over tenure windows). The series terms (log members,
log 7-day messages, cumulative joins and exits as shares of the founders) are
those of ``objective.loss_terms``; a 10% error in a series and a 0.1 error
in a share both cost about 0.01. ``--weight NAME=W`` scales a term.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.analysis.tenure import hazard_by_tenure
from sim.ingest.measures import gini

TOP = 0.10
TENURE_BINS = (0, 7, 30, 60, 120)
BOOTSTRAP = 200
MIN_NEWCOMERS = 5  # fewer posting newcomers than this say nothing about returning
SHARE_PATTERNS = ("participation_gini", "top10_share", "newcomer_return")
DESCRIPTIONS = {
    "members": "members present on the last day",
    "messages": "messages per day (mean)",
    "joined": "joins over the record",
    "left": "exits over the record",
    "participation_gini": "Gini of messages per poster",
    "top10_share": "share of messages by the top 10% of posters",
    "newcomer_return": "share of posting newcomers who posted again",
}


def top_share(messages: np.ndarray) -> float:
    x = np.sort(np.asarray(messages, dtype=float))[::-1]
    total = x.sum()
    return float(x[:max(1, int(np.ceil(TOP * len(x))))].sum() / total) if total else 0.0


def newcomer_return(members: pd.DataFrame) -> float:
    """Share of newcomers who posted that posted at least twice (NaN if too few posted)."""
    new = members[members["joined_day"].to_numpy(dtype=float) > 0]
    if "joined_observed" in new:
        new = new[new["joined_observed"].astype(bool)]
    posted = new["messages"].to_numpy(dtype=float)
    posted = posted[posted > 0]
    return float((posted >= 2).mean()) if len(posted) >= MIN_NEWCOMERS else float("nan")


def quit_windows(members: pd.DataFrame, days: int) -> dict[str, float]:
    """``quit_lo_hi``: probability of leaving in each tenure window reached, windows inside the record."""
    bins = [b for b in TENURE_BINS if b < days] + [min(days, TENURE_BINS[-1])]
    bins = sorted(set(bins))
    if len(bins) < 2:
        return {}
    table = hazard_by_tenure(members, days, bins)
    return {f"quit_{r.from_day}_{r.to_day}": float(1 - np.exp(-r.hazard * (r.to_day - r.from_day)))
            if np.isfinite(r.hazard) else float("nan") for r in table.itertuples()}


def observed_leaves_only(members: pd.DataFrame) -> pd.DataFrame:
    """Inferred exits are not leaves: treat those members as present to the end (censored)."""
    if "exit_inferred" not in members:
        return members
    inferred = members["exit_inferred"].astype(bool)
    out = members.copy()
    out["exit_day"] = out["exit_day"].astype("Float64").mask(inferred)
    out["exit_reason"] = out["exit_reason"].astype("string").mask(inferred)
    return out


def member_patterns(members: pd.DataFrame, days: int, quits: bool) -> dict[str, float]:
    """The member-table patterns of one group (data or one simulated run)."""
    messages = members["messages"].to_numpy(dtype=float)
    messages = messages[messages > 0]
    values = {"participation_gini": gini(messages), "top10_share": top_share(messages),
              "newcomer_return": newcomer_return(members)}
    if quits:
        values |= quit_windows(members, days)
    return values


def series_patterns(series: pd.DataFrame) -> dict[str, float]:
    """Scalar summaries of the daily series shown beside the patterns (not loss terms themselves)."""
    values = {"members": float(series["members"].iloc[-1]), "messages": float(series["messages"].mean())}
    for flow in ("joined", "left"):
        if flow in series:
            values[flow] = float(series[flow].sum())
    return values


@dataclass
class Patterns:
    """The data's patterns, which are fitted and which were dropped (and why)."""

    members: pd.DataFrame
    days: int
    quits: bool
    observed: dict[str, float] = field(init=False)
    dropped: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.members = observed_leaves_only(self.members)
        values = member_patterns(self.members, self.days, self.quits)
        self.observed = {}
        for name, value in values.items():
            if np.isfinite(value):
                self.observed[name] = value
            elif name == "newcomer_return":
                self.dropped[name] = f"fewer than {MIN_NEWCOMERS} newcomers joined during the record and posted"
            else:
                self.dropped[name] = "no member reached this tenure"

    @property
    def quit_names(self) -> list[str]:
        return [n for n in self.observed if n.startswith("quit_")]

    def simulated(self, members: pd.DataFrame) -> dict[str, float]:
        return member_patterns(members, self.days, self.quits)

    def terms(self, runs_members: Sequence[pd.DataFrame]) -> dict[str, float]:
        """Squared error per pattern between the data and the mean over seeds (quit windows averaged)."""
        sims = pd.DataFrame([self.simulated(m) for m in runs_members])
        mean = sims.mean()  # NaN only where every seed has none
        worst = 1.0  # a pattern the simulation cannot produce at all costs the largest share error
        err = {n: (float(mean[n]) - v) ** 2 if np.isfinite(mean.get(n, np.nan)) else worst
               for n, v in self.observed.items()}
        terms = {n: err[n] for n in SHARE_PATTERNS if n in err}
        if self.quit_names:
            terms["quit_hazard"] = float(np.mean([err[n] for n in self.quit_names]))
        return terms

    def bootstrap(self, seed: int = 0) -> dict[str, tuple[float, float]]:
        """The data's 5–95% range per pattern, resampling members with replacement."""
        rng = np.random.default_rng(seed)
        n = len(self.members)
        draws = [member_patterns(self.members.iloc[rng.integers(0, n, n)], self.days, self.quits)
                 for _ in range(BOOTSTRAP)]
        frame = pd.DataFrame(draws)
        return {name: (float(frame[name].quantile(0.05)), float(frame[name].quantile(0.95)))
                for name in self.observed if name in frame and frame[name].notna().any()}


def messages_range(series: pd.DataFrame, seed: int = 0) -> tuple[float, float]:
    """5–95% range of mean messages per day, resampling days."""
    rng = np.random.default_rng(seed)
    x = series["messages"].to_numpy(dtype=float)
    means = [x[rng.integers(0, len(x), len(x))].mean() for _ in range(BOOTSTRAP)]
    return float(np.quantile(means, 0.05)), float(np.quantile(means, 0.95))


def describe(name: str) -> str:
    if name.startswith("quit_"):
        lo, hi = name.split("_")[1:]
        return f"chance of leaving at tenure {lo}–{hi} days"
    return DESCRIPTIONS.get(name, name)


def fit_table(observed: dict[str, float], data_range: dict[str, tuple[float, float]],
              simulated: pd.DataFrame) -> pd.DataFrame:
    """One row per pattern: observed, data range, fitted median and 5–95% over seeds, verdicts.

    ``within_band``: the observed value lies in the simulated 5–95% band.
    ``fitted``: false when the simulated band and the data's range do not
    overlap at all (the data's range is the point itself where there is none).
    """
    rows = []
    for name, value in observed.items():
        sim = simulated[name].dropna() if name in simulated else pd.Series(dtype=float)
        lo, hi = data_range.get(name, (value, value))
        if len(sim):
            q05, q50, q95 = (float(sim.quantile(q)) for q in (0.05, 0.5, 0.95))
        else:
            q05 = q50 = q95 = float("nan")
        within = bool(q05 <= value <= q95) if len(sim) else False
        fitted = bool(len(sim) and q05 <= hi and lo <= q95)
        rows.append({"pattern": name, "what": describe(name), "observed": value,
                     "data_low": data_range[name][0] if name in data_range else None,
                     "data_high": data_range[name][1] if name in data_range else None,
                     "fitted_median": q50, "fitted_low": q05, "fitted_high": q95,
                     "within_band": within, "fitted": fitted})
    return pd.DataFrame(rows)


def fmt(value: float | None) -> str:
    if value is None or not np.isfinite(value):
        return "–"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def markdown_table(table: pd.DataFrame, dropped: dict[str, str]) -> list[str]:
    lines = ["| pattern | observed (data 5–95%) | fitted median (5–95% over seeds) | within band? |",
             "|---|---|---|---|"]
    for r in table.itertuples():
        data = f"{fmt(r.observed)}" + (f" ({fmt(r.data_low)}–{fmt(r.data_high)})" if r.data_low is not None
                                       and np.isfinite(r.data_low) else "")
        verdict = "yes" if r.within_band else ("no" if r.fitted else "**no: not fitted**")
        lines.append(f"| {r.what} (`{r.pattern}`) | {data} | {fmt(r.fitted_median)} "
                     f"({fmt(r.fitted_low)}–{fmt(r.fitted_high)}) | {verdict} |")
    lines += [f"| `{name}` | dropped: {why} | – | – |" for name, why in dropped.items()]
    return lines



def pattern_figure(table: pd.DataFrame, per_seed: pd.DataFrame, title: str):
    """One small panel per pattern: the simulated seeds and band against the data and its range."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(table)
    ncols = min(n, 4)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 2.6 * nrows), squeeze=False)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    for ax, r in zip(axes.ravel(), table.itertuples()):
        sims = per_seed[r.pattern].dropna() if r.pattern in per_seed else pd.Series(dtype=float)
        ax.plot(np.zeros(len(sims)) + 1, sims, "o", ms=3, alpha=0.5, color="C0")
        if len(sims):
            ax.errorbar([1], [r.fitted_median], yerr=[[r.fitted_median - r.fitted_low],
                                                        [r.fitted_high - r.fitted_median]],
                        fmt="s", color="C0", capsize=4, label="fitted (5–95%)")
        low = r.data_low if r.data_low is not None and np.isfinite(r.data_low) else r.observed
        high = r.data_high if r.data_high is not None and np.isfinite(r.data_high) else r.observed
        ax.errorbar([0], [r.observed], yerr=[[r.observed - low], [high - r.observed]], fmt="D",
                    color="0.1", capsize=4, label="data (5–95%)")
        ax.set(xlim=(-0.7, 1.7), xticks=[0, 1], xticklabels=["data", "fitted"],
               title=("" if r.within_band else "✗ ") + r.pattern)
        ax.title.set_fontsize("small")
    axes[0, 0].legend(fontsize="x-small", loc="best")
    fig.suptitle(title, fontsize="medium")
    fig.tight_layout()
    return fig
