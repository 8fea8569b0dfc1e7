"""``groupsim-compare SWEEP_DIR``: a report folder of figures and tidy tables.

It answers the analyst's question: which strategy wins, by how much, and how
sure are we, at what cost. Effects are paired by seed against the baseline
(``--baseline``, default ``none``) and carry 95% bootstrap intervals. The
outcomes shown are ``--metric`` (repeatable) or, by default, those some
strategy clearly moves. Text is Chinese or English (``--lang``,
``GROUPSIM_LANG``, else the locale).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from sim.analysis import plots
from sim.analysis.effects import CANDIDATES, COSTS, choose_metrics, paired_effects
from sim.analysis.load import STRATEGY, Sweep, SweepError, load_sweep
from sim.analysis.outcomes import METRICS, sweep_outcomes
from sim.analysis.plots import save
from sim.analysis.summary import arm_paragraph, unit_of, winners
from sim.analysis.survival import group_survival, lifetime_summary, member_survival
from sim.analysis.words import fmt, metric_label, metric_short
from sim.i18n import LANGS, has, set_lang, t
from sim.output import atomic_write
from sim.errors import entry_point, writable_dir

__all__ = ["compare", "main", "save"]


def strategy_label(name: str) -> str:
    """'红包 red_packets' in Chinese, the config name in English (analysts type it)."""
    return t(f"strategy.{name}") if has(f"strategy.{name}") else name


def short_cell(frame: pd.DataFrame, cells: list[str]) -> pd.Series:
    """'every=3, noise_cost=0.2': the swept keys' last parts, not the full dotted path."""
    if not cells:
        return pd.Series("", index=frame.index)
    return frame[cells].astype(str).apply(
        lambda r: ", ".join(f"{k.rsplit('.', 1)[-1]}={v}" for k, v in r.items()), axis=1)


def resolve_metrics(requested: list[str] | None, index: pd.DataFrame) -> list[str]:
    """Each ``--metric``: an outcome name (see ``sim.analysis.outcomes``) or a ``summary.*`` column."""
    for name in requested or []:
        if name not in METRICS and name not in index.columns:
            known = ", ".join([*METRICS, *sorted(c for c in index.columns if c.startswith("summary."))][:40])
            raise SweepError(f"--metric {name!r}: unknown outcome; known: {known}")
    return list(requested or [])


def outcome_index(sweep: Sweep, names: list[str]) -> pd.DataFrame:
    """The index with one column per outcome named in ``names`` (computed from the run folders)."""
    index = sweep.index.rename(columns={STRATEGY: "strategy"})
    computed = [n for n in dict.fromkeys(names) if n in METRICS]
    try:
        values = sweep_outcomes(sweep.folder, index["run"], tuple(computed))
    except ValueError as exc:
        raise SweepError(str(exc)) from None
    return pd.concat([index.drop(columns=[c for c in computed if c in index]), values], axis=1)


def constant_note(metric: str, values: pd.Series) -> str:
    """Why an outcome is left out: no value in any run (e.g. day 90 of a 32-day run), or one value."""
    if values.isna().all():
        return t("cmp.no_value", metric=metric_short(metric))
    return t("cmp.constant", metric=metric_short(metric), value=fmt(values.dropna().iloc[0], unit_of(metric)))


def lifetime_frame(index: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"strategy": index["strategy"], "lifetime_days": index["summary.lifetime_days"],
                         "died": index["summary.died"].astype(bool)})


def compare(folder: str | Path, baseline: str = "none", out: str | Path | None = None,
            metrics: list[str] | None = None) -> Path:
    """Write the comparison report for a sweep folder; returns the report folder."""
    sweep = load_sweep(folder)
    if baseline not in sweep.strategies:
        raise SweepError(f"baseline strategy {baseline!r} is not in the sweep "
                         f"(strategies: {', '.join(sweep.strategies)})")
    requested = resolve_metrics(metrics, sweep.index)
    out = writable_dir(Path(out) if out else sweep.folder / "report", "report folder")
    index = outcome_index(sweep, [*CANDIDATES, *COSTS, *requested])
    index["strategy"] = index["strategy"].map(strategy_label)  # what the reader sees, from here on
    baseline = strategy_label(baseline)
    sweep.index = index.rename(columns={"strategy": STRATEGY})
    arms = [baseline, *[s for s in sweep.strategies if s != baseline]]
    colours = plots.palette(arms, baseline)
    days = int(index["days"].max())
    notes = []

    lifetimes = lifetime_frame(index)
    life = lifetime_summary(lifetimes, days).set_index("strategy").reindex(arms).reset_index()
    censored = not lifetimes["died"].all()
    candidates = [m for m in (requested or CANDIDATES) if not (m == "lifetime_days" and censored)]
    constant = [m for m in candidates if pd.to_numeric(index[m], errors="coerce").nunique(dropna=True) <= 1]
    notes += [constant_note(m, pd.to_numeric(index[m], errors="coerce")) for m in constant if m not in requested]
    shown = [m for m in candidates if m not in constant or m in requested]
    table = {m: (m, metric_label(m)) for m in [*shown, *COSTS]}
    effects = paired_effects(sweep, baseline, table) if len(arms) > 1 else pd.DataFrame()
    chosen = requested or (choose_metrics(effects[effects["metric"].isin(shown)], index) if len(effects) else [])
    if len(effects):
        effects["cell"] = short_cell(effects, sweep.cells)
        effects["row_label"] = effects["strategy"] + effects["cell"].map(lambda c: f" | {c}" if c else "")
        atomic_write(out / "effects.csv", lambda p: effects.to_csv(p, index=False))

    figures = figures_for(sweep, index, effects, chosen, colours, baseline, days, censored, out)
    means = index.groupby("strategy")[[*chosen, *COSTS]].mean().reindex(arms)
    atomic_write(out / "strategies.csv", lambda p: means.to_csv(p))
    text = markdown(sweep, index, effects, chosen, means, life, notes, figures, baseline, days, censored)
    atomic_write(out / "report.md", lambda p: p.write_text(text))
    return out


def figures_for(sweep: Sweep, index: pd.DataFrame, effects: pd.DataFrame, chosen: list[str],
                colours: dict, baseline: str, days: int, censored: bool, out: Path) -> list[tuple[str, str]]:
    """Draw the report's figures with one palette; returns (file, caption) pairs."""
    drawn = []
    daily = sweep.daily
    daily["cell"] = short_cell(daily, sweep.cells)
    for i, (cell, part) in enumerate(daily.groupby("cell")):
        fig = plots.daily_lines(part, colours)
        if cell:
            fig.suptitle(f"{t('fig.daily.suptitle')} — {cell}", y=1.02)
        drawn.append((save(fig, out / (f"daily_{i}.png" if cell else "daily.png")), t("cmp.fig.daily")))
    curves = member_survival(sweep.members, days)
    atomic_write(out / "survival.csv", lambda p: curves.to_csv(p, index=False))
    lifetimes = lifetime_frame(index)
    groups = group_survival(lifetimes, days) if lifetimes["died"].any() else None
    drawn.append((save(plots.survival_curves(curves, groups, colours), out / "survival.png"),
                  t("cmp.fig.survival" if groups is not None else "cmp.fig.survival.members")))
    if len(effects) and chosen:
        units = {m: unit_of(m) for m in chosen}
        drawn.append((save(plots.forest(effects[effects["metric"].isin(chosen)], chosen, units, colours,
                                        baseline), out / "forest.png"), t("cmp.fig.forest")))
    gain = next((m for m in ["conversions", *chosen] if m in index
                 and pd.to_numeric(index[m], errors="coerce").abs().sum() > 0 and unit_of(m) != "share"), None)
    if gain:
        fig = plots.cost_frontier(index, colours, gain=gain, gain_label=metric_label(gain))
        drawn.append((save(fig, out / "frontier.png"), t("cmp.fig.frontier", metric=metric_short(gain))))
    numeric = sweep.numeric_cells()
    if len(numeric) >= 2:
        x, y = numeric[:2]
        for metric in (chosen or ["active_late", "final_members"])[:2]:
            name = f"heatmap_{metric.split('.')[-1]}.png"
            drawn.append((save(plots.heatmap(index, x, y, metric, metric_label(metric)), out / name),
                          t("fig.heatmap.title", label=metric_label(metric))))
    return drawn


def lifetime_lines(life: pd.DataFrame, days: int, censored: bool) -> list[str]:
    """Group lifetimes by Kaplan–Meier, never as a mean of censored lifetimes."""
    if not life["died"].any():
        return [t("cmp.life.none_died", days=days), ""]
    rows = [{t("cmp.col.arm"): r.strategy, t("cmp.col.died"): f"{r.died}/{r.runs}",
             t("cmp.col.median"): fmt(r.median, "days") if pd.notna(r.median) else t("cmp.life.not_reached", days=days),
             t("cmp.col.rmst", days=days): fmt(r.rmst, "days")} for r in life.itertuples()]
    return [t("cmp.life.km", days=days), "", pd.DataFrame(rows).to_markdown(index=False), ""]


def markdown(sweep: Sweep, index: pd.DataFrame, effects: pd.DataFrame, chosen: list[str],
             means: pd.DataFrame, life: pd.DataFrame, notes: list[str], figures: list[tuple[str, str]],
             baseline: str, days: int, censored: bool) -> str:
    seeds = index["seed"].nunique()
    lines = [f"# {t('cmp.title', name=sweep.folder.name)}", "",
             t("cmp.intro", runs=len(index), failed=sweep.failed, arms=", ".join(means.index),
               baseline=baseline, seeds=seeds, days=days,
               varied=", ".join(sweep.cells) or t("cmp.intro.seed_only")), ""]
    labels = {s: s for s in means.index}
    if len(effects):
        lines += [f"## {t('cmp.h.short')}", ""]
        for cell, part in effects.groupby("cell", sort=False):
            if cell:
                lines += [f"### {cell}", ""]
            lines += [f"- {w}" for w in winners(part, chosen, labels, baseline)] + [""]
        lines += [f"## {t('cmp.h.arms')}", ""]
        for (strategy, cell), part in effects.groupby(["strategy", "cell"], sort=False):
            label = strategy + (f" | {cell}" if cell else "")
            lines += arm_paragraph(label, baseline, part[part["metric"].isin(chosen)].set_index("metric")
                                   .reindex(chosen).dropna(subset=["effect"]).reset_index(),
                                   part[part["metric"].isin(COSTS)], seeds)
    lines += [f"## {t('cmp.h.lifetime')}", "", *lifetime_lines(life, days, censored)]
    if notes:
        lines += [f"## {t('cmp.h.left_out')}", "", *[f"- {n}" for n in notes], ""]
    shown = pd.DataFrame({metric_label(m): [fmt(v, unit_of(m)) for v in means[m]] for m in means.columns},
                         index=means.index).T
    lines += [f"## {t('cmp.h.means')}", "", shown.to_markdown(), "",
              f"## {t('cmp.h.how')}", "", t("cmp.how", seeds=seeds), "", f"## {t('cmp.h.figures')}", ""]
    for name, caption in figures:
        lines += [f"![{caption}]({name})", "", f"*{caption}*", ""]
    return "\n".join(lines)


@entry_point("groupsim-compare")
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="groupsim-compare", description=__doc__.splitlines()[0])
    parser.add_argument("sweep", help="a sweep folder written by `groupsim -m ...`")
    parser.add_argument("--baseline", default="none", help="strategy to compare against (default: none)")
    parser.add_argument("--out", help="report folder (default: SWEEP/report)")
    parser.add_argument("--metric", action="append", metavar="NAME",
                        help=f"outcome to compare (repeat); one of {', '.join(METRICS)} or any summary.* "
                             "column; default: those some strategy clearly moves")
    parser.add_argument("--lang", choices=LANGS, help="report language (default: GROUPSIM_LANG, else the locale)")
    args = parser.parse_args(argv)
    set_lang(args.lang)
    try:
        out = compare(args.sweep, args.baseline, args.out, args.metric)
    except (SweepError, ValueError) as exc:
        print(f"groupsim-compare: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except OSError as exc:
        print(f"groupsim-compare: error: {exc.filename or args.out}: {exc.strerror or exc}", file=sys.stderr)
        sys.exit(2)
    print(f"groupsim-compare: report -> {out}/report.md")


if __name__ == "__main__":
    main()
