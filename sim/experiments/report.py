"""An experiment's report: ``report.md`` with its figures and tables, all from the runs.

The reader is a trainer of new operators, not a statistician: the answer
comes first in plain words, then how sure it is, what to try next, the
setup, the figures and the numbers behind every sentence.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.analysis import plots
from sim.analysis.plots import save
from sim.analysis.survival import group_survival, member_survival
from sim.analysis.load import STRATEGY, Sweep
from sim.experiments.answer import (Answer, answer, arm_levels, ci_text, effects, fmt, fmt_diff, short,
                                    upper_first)
from sim.experiments.outcomes import METRICS, RunTables
from sim.experiments.runner import Task
from sim.experiments.spec import Experiment
from sim.output import atomic_write


def stacked(out: Path, table: pd.DataFrame, labels: dict[str, str], name: str) -> pd.DataFrame:
    """One table (``daily`` or ``members``) of every finished run, with the arm's label as ``strategy``."""
    done = table[table["status"] == "done"].rename(columns={"arm": STRATEGY})
    frame = getattr(Sweep(out, done), name)
    return frame.assign(strategy=frame["strategy"].map(labels))


def levels_figure(levels: pd.DataFrame, vs_baseline: pd.DataFrame, experiment: Experiment,
                  labels: dict[str, str]) -> plt.Figure:
    """The primary metric: each arm's mean (left) and its paired difference from the baseline (right)."""
    metric = METRICS[experiment.primary]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 0.55 * len(levels) + 2.4), sharey=True)
    y = np.arange(len(levels))[::-1]
    for yi, row in zip(y, levels.itertuples()):
        left.errorbar(row.mean, yi, xerr=[[row.mean - row.ci_low], [row.ci_high - row.mean]], fmt="o",
                      capsize=4, color="0.35" if row.arm == experiment.baseline else "tab:blue")
    left.set_yticks(y, [labels[a] for a in levels["arm"]])
    left.set(xlabel=metric.label, title="Each arm: mean over seeds, 95% CI")
    diffs = vs_baseline.set_index("arm").reindex(levels["arm"])
    right.errorbar(diffs["effect"], y, xerr=[diffs["effect"] - diffs["ci_low"], diffs["ci_high"] - diffs["effect"]],
                   fmt="o", color="tab:blue", capsize=4)
    right.axvline(0, color="0.4", lw=1, ls="--")
    right.set(xlabel=f"difference from '{labels[experiment.baseline]}'",
              title="Each arm minus the baseline, same seeds (95% CI)")
    fig.suptitle(short(metric).capitalize(), y=1.0)
    fig.tight_layout()
    return fig


def effects_figure(vs_baseline: pd.DataFrame, experiment: Experiment, labels: dict[str, str]) -> plt.Figure:
    """Every other metric: each arm minus the baseline on the same seeds, 95% CI."""
    metrics = [m for m in experiment.also if m in set(vs_baseline["metric"])]
    arms = [a.key for a in experiment.arms if a.key != experiment.baseline]
    cols = min(3, len(metrics))
    rows_n = -(-len(metrics) // cols)
    fig, axes = plt.subplots(rows_n, cols, figsize=(5.2 * cols, (0.45 * len(arms) + 1.6) * rows_n),
                             squeeze=False, sharey=True)
    y = np.arange(len(arms))[::-1]
    for ax, metric in zip(axes.flat, metrics):
        rows = vs_baseline[vs_baseline["metric"] == metric].set_index("arm").reindex(arms)
        ax.errorbar(rows["effect"], y, xerr=[rows["effect"] - rows["ci_low"], rows["ci_high"] - rows["effect"]],
                    fmt="o", color="tab:blue", capsize=3)
        ax.axvline(0, color="0.4", lw=1, ls="--")
        ax.set_yticks(y, [labels[a] for a in arms])
        ax.set_title(METRICS[metric].label, fontsize="small")
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    fig.suptitle(f"Other outcomes: difference from '{labels[experiment.baseline]}' on the same seeds "
                 "(mean, 95% CI)", y=1.0)
    fig.tight_layout()
    return fig


def figures(out: Path, table: pd.DataFrame, experiment: Experiment, vs_baseline: pd.DataFrame,
            days: int) -> list[tuple[str, str]]:
    """Draw and save the figures; returns (file name, caption) pairs."""
    labels = {arm.key: arm.label for arm in experiment.arms}
    primary = vs_baseline[vs_baseline["metric"] == experiment.primary]
    levels = arm_levels(table, experiment.primary)
    drawn = [(save(levels_figure(levels, primary, experiment, labels), out / "primary.png"),
              f"The answer's measure, {short(METRICS[experiment.primary])}, per arm.")]
    colours = plots.palette([labels[a.key] for a in experiment.arms], labels[experiment.baseline])
    daily = plots.daily_lines(stacked(out, table, labels, "daily"), colours)
    daily.suptitle("Day by day, by arm (mean over seeds, 95% band)", y=1.02)
    drawn.append((save(daily, out / "daily.png"),
                  "Day by day: members present, active members and messages (mean over seeds, 95% band)."))
    if experiment.also:
        drawn.append((save(effects_figure(vs_baseline, experiment, labels), out / "effects.png"),
                      "Side effects: the other outcomes, each arm minus the baseline."))
    if experiment.survival:
        members = stacked(out, table, labels, "members")
        summaries = [(r.arm, RunTables(out / r.run).summary) for r in table.itertuples() if r.status == "done"]
        lifetimes = pd.DataFrame([{"strategy": labels[arm], "lifetime_days": s["lifetime_days"],
                                   "died": bool(s["died"])} for arm, s in summaries])
        groups = group_survival(lifetimes, days) if lifetimes["died"].any() else None
        drawn.append((save(plots.survival_curves(member_survival(members, days), groups, colours),
                           out / "survival.png"),
                      "How long members stay (left) and how long groups live (right)."))
    return drawn


def setup_section(experiment: Experiment, tasks: list[Task], table: pd.DataFrame, seeds: int,
                  command: str) -> list[str]:
    config = tasks[0].config
    finished = table[table["status"] == "done"].groupby("arm").size()
    lines = ["## Setup", "",
             f"Group archetype `{config.group.name}` ({config.group.description}), "
             f"{config.group.initial_members} founding members, {config.days} days, seeds 0-{seeds - 1} "
             f"(every arm on the same seeds). Shared overrides: "
             f"`{' '.join(experiment.base) or '(none)'}`.", "",
             "| arm | what the operator does (overrides) | finished runs |", "|---|---|---:|"]
    for arm in experiment.arms:
        mark = " (baseline)" if arm.key == experiment.baseline else ""
        lines.append(f"| {arm.label}{mark} | `{' '.join(arm.overrides)}` | "
                     f"{int(finished.get(arm.key, 0))} of {seeds} |")
    lines += ["", f"Reproduce: `{command}`. Run folders: `runs/<arm>/seed<k>/`; per-run outcomes in "
              "`outcomes.csv`, paired effects in `effects.csv`.", ""]
    return lines


def uncertainty_section(experiment: Experiment, table: pd.DataFrame, seeds: int, days: int) -> list[str]:
    failed = table[table["status"] != "done"]
    metric = METRICS[experiment.primary]
    text = [f"Every arm ran on the same {seeds} seeds: the same founding members and the same chance "
            "events, so each difference is measured seed by seed and what remains is the strategy. "
            "A 95% CI is the range the average difference would most likely fall in if we ran many "
            "more seeds (bootstrap over seeds). A range that includes 0 means these seeds cannot tell "
            "the arm from the baseline; rerun with more seeds (`--seeds 50`) to narrow it."]
    if experiment.min_effect:
        text.append(f"A difference in {short(metric)} smaller than "
                    f"{fmt_diff(experiment.min_effect, metric.unit).lstrip('+')} is treated as too "
                    "small to matter to an operator.")
    if "lifetime_days" in experiment.metrics:
        alive = int((table["lifetime_days"] >= days).sum())
        if alive:
            text.append(f"{alive} of {len(table)} groups were still talking on day {days}: their "
                        "lifetime is counted as the run's length, so arms that tie there may differ "
                        "in a longer run (`--days`).")
    if len(failed):
        text.append(f"{len(failed)} of {len(table)} runs failed and are left out (see `error.json` in "
                    f"their folders): {', '.join(f'{r.arm}/seed{r.seed}' for r in failed.itertuples())}.")
    text.append("These are results of the model, which encodes practitioner articles (seeds 000-004), "
                "not field data: they say what follows from those mechanisms, not what a real group "
                "will do.")
    return ["## How sure are we?", "", " ".join(text), ""]


def numbers_section(table: pd.DataFrame, experiment: Experiment, vs_baseline: pd.DataFrame) -> list[str]:
    labels = {arm.key: arm.label for arm in experiment.arms}
    done = table[table["status"] == "done"]
    means = done.groupby("arm", sort=False)[list(experiment.metrics)].mean()
    shown = pd.DataFrame({METRICS[m].label: [fmt(v, METRICS[m].unit) for v in means[m]]
                          for m in experiment.metrics}, index=[labels[a] for a in means.index]).T
    effect_rows = [{"arm": labels[r.arm], "outcome": METRICS[r.metric].label, "pairs": r.pairs,
                    "difference": fmt_diff(r.effect, METRICS[r.metric].unit),
                    "95% CI": ci_text(r.ci_low, r.ci_high, METRICS[r.metric].unit, r.pairs).removeprefix("95% CI "),
                    "verdict": r.verdict.replace("_", " ")} for r in vs_baseline.itertuples()]
    return ["## The numbers", "", "Mean per arm over its finished runs:", "", shown.to_markdown(), "",
            f"Each arm minus '{labels[experiment.baseline]}' on the same seeds:", "",
            pd.DataFrame(effect_rows).to_markdown(index=False), ""]


def markdown(experiment: Experiment, tasks: list[Task], table: pd.DataFrame, vs_baseline: pd.DataFrame,
             result: Answer, drawn: list[tuple[str, str]], seeds: int, command: str) -> str:
    labels = {arm.key: arm.label for arm in experiment.arms}
    advice = experiment.next.get(result.outcome) or experiment.next["unclear"]
    verdict = experiment.verdict.get(result.outcome) or experiment.verdict["unclear"]
    fill = {"best": labels[result.best], "baseline": labels[experiment.baseline]}
    lines = [f"# {experiment.question}", "", f"*Why operators ask:* {experiment.why}", "",
             "## Answer", "", f"**{upper_first(verdict.format(**fill))}**", "",
             *[f"- {b}" for b in result.bullets], ""]
    if result.ranking:
        lines += [result.ranking, ""]
    lines += uncertainty_section(experiment, table, seeds, tasks[0].config.days)
    lines += ["## What to try next", "", upper_first(advice.format(**fill)), ""]
    lines += setup_section(experiment, tasks, table, seeds, command)
    lines += ["## Figures", ""]
    for name, caption in drawn:
        lines += [f"![{caption}]({name})", "", f"*{caption}*", ""]
    lines += numbers_section(table, experiment, vs_baseline)
    return "\n".join(lines)


def write_report(out: Path, experiment: Experiment, tasks: list[Task], table: pd.DataFrame,
                 seeds: int, command: str) -> Path:
    """Write ``report.md``, its figures, ``outcomes.csv`` and ``effects.csv`` into ``out``."""
    vs_baseline = effects(table, experiment, experiment.baseline)
    if vs_baseline.empty:
        raise RuntimeError(f"{experiment.name}: no arm has finished runs paired with finished baseline "
                           f"runs; see error.json under {out / 'runs'}")
    result = answer(table, experiment, vs_baseline)
    drawn = figures(out, table, experiment, vs_baseline, tasks[0].config.days)
    atomic_write(out / "outcomes.csv", lambda p: table.to_csv(p, index=False))
    atomic_write(out / "effects.csv", lambda p: vs_baseline.to_csv(p, index=False))
    text = markdown(experiment, tasks, table, vs_baseline, result, drawn, seeds, command)
    atomic_write(out / "report.md", lambda p: p.write_text(text + "\n"))
    return out / "report.md"
