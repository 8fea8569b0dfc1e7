"""``groupsim-compare SWEEP_DIR``: a report folder of figures and tidy tables.

It answers the analyst's question: which strategy wins, by how much, and how
sure are we. Effects are paired by seed against the baseline (``--baseline``,
default ``none``) and carry 95% bootstrap intervals.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from sim.analysis import plots
from sim.analysis.effects import paired_effects
from sim.analysis.load import STRATEGY, Sweep, SweepError, load_sweep
from sim.analysis.survival import member_survival
from sim.output import atomic_write

OUTCOMES = {"summary.lifetime_days": "lifetime (days)", "summary.died": "died (share)",
            "summary.final_members": "members at the end", "summary.retention_day30": "retention day 30",
            "summary.total_conversions": "conversions", "summary.spend_money": "money (yuan)",
            "summary.spend_hours": "hours"}


def cell_labels(frame: pd.DataFrame, cells: list[str]) -> pd.Series:
    if not cells:
        return pd.Series("", index=frame.index)
    return frame[cells].astype(str).apply(lambda r: ", ".join(f"{k}={v}" for k, v in r.items()), axis=1)


def save(fig: plt.Figure, path: Path) -> str:
    atomic_write(path, lambda p: fig.savefig(p, dpi=110, bbox_inches="tight", format="png"))
    plt.close(fig)
    return path.name


def compare(folder: str | Path, baseline: str = "none", out: str | Path | None = None) -> Path:
    """Write the comparison report for a sweep folder; returns the report folder."""
    sweep = load_sweep(folder)
    out = Path(out) if out else sweep.folder / "report"
    out.mkdir(parents=True, exist_ok=True)
    index = sweep.index.rename(columns={STRATEGY: "strategy"})
    figures = []

    daily = sweep.daily
    daily["cell"] = cell_labels(daily, sweep.cells)
    for i, (cell, part) in enumerate(daily.groupby("cell")):
        fig = plots.daily_lines(part)
        if cell:
            fig.suptitle(f"Daily course by strategy — {cell} (mean over seeds, 95% band)", y=1.02)
        figures.append(save(fig, out / f"daily_{i}.png" if cell else out / "daily.png"))

    days = int(index["days"].max())
    curves = member_survival(sweep.members, days)
    lifetimes = index.rename(columns={"summary.lifetime_days": "lifetime_days", "summary.died": "died"})
    figures.append(save(plots.survival_curves(curves, lifetimes), out / "survival.png"))
    atomic_write(out / "survival.csv", lambda p: curves.to_csv(p, index=False))

    effects = pd.DataFrame()
    if index["strategy"].nunique() > 1:
        effects = paired_effects(sweep, baseline)
        effects["cell_label"] = effects["strategy"] + cell_labels(effects, sweep.cells).map(
            lambda c: f" | {c}" if c else "")
        atomic_write(out / "effects.csv", lambda p: effects.to_csv(p, index=False))
        figures.append(save(plots.forest(effects, baseline), out / "forest.png"))
    figures.append(save(plots.cost_frontier(index), out / "frontier.png"))

    numeric = sweep.numeric_cells()
    if len(numeric) >= 2:
        x, y = numeric[:2]
        for column, label in (("summary.lifetime_days", "group lifetime (days)"),
                              ("summary.total_conversions", "conversions")):
            name = f"heatmap_{column.split('.')[-1]}.png"
            figures.append(save(plots.heatmap(index, x, y, column, label), out / name))

    table = index.groupby("strategy")[[c for c in OUTCOMES if c in index]].mean().rename(columns=OUTCOMES)
    atomic_write(out / "strategies.csv", lambda p: table.to_csv(p))
    atomic_write(out / "report.md", lambda p: p.write_text(markdown(sweep, table, effects, figures, baseline)))
    return out


def markdown(sweep: Sweep, table: pd.DataFrame, effects: pd.DataFrame, figures: list[str],
             baseline: str) -> str:
    lines = [f"# Sweep report: {sweep.folder.name}", "",
             f"{len(sweep.index)} finished runs ({sweep.failed} failed), strategies: "
             f"{', '.join(sweep.strategies)}; varied: {', '.join(sweep.cells) or 'seed only'}.", "",
             "## Mean outcomes per strategy", "", table.round(3).to_markdown(), ""]
    if not effects.empty:
        shown = effects[["cell_label", "metric", "pairs", "effect", "ci_low", "ci_high"]].round(3)
        lines += [f"## Paired effects vs `{baseline}` (same seeds, 95% bootstrap CI)", "",
                  shown.to_markdown(index=False), ""]
    lines += ["## Figures", ""] + [f"![{f}]({f})" for f in figures]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="groupsim-compare", description=__doc__.splitlines()[0])
    parser.add_argument("sweep", help="a sweep folder written by `groupsim -m ...`")
    parser.add_argument("--baseline", default="none", help="strategy to compare against (default: none)")
    parser.add_argument("--out", help="report folder (default: SWEEP/report)")
    args = parser.parse_args(argv)
    try:
        out = compare(args.sweep, args.baseline, args.out)
    except (SweepError, ValueError) as exc:
        print(f"groupsim-compare: error: {exc}", file=sys.stderr)
        sys.exit(2)
    print(f"groupsim-compare: report -> {out}/report.md")


if __name__ == "__main__":
    main()
