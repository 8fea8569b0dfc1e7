"""An experiment's report: ``report.md`` with its figures and tables, all from the runs.

The reader is a trainer of new operators, not a statistician: the answer
comes first in plain words (the trade-off and its cost), then what the
articles say against what the model shows, how sure it is, what to try next,
the setup, the figures and the numbers behind every sentence. All text is
in the reader's language (``sim.i18n``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.analysis import plots
from sim.analysis.load import STRATEGY, Sweep
from sim.analysis.outcomes import METRICS, RunTables
from sim.analysis.plots import save
from sim.analysis.survival import group_survival, lifetime_summary, member_survival
from sim.analysis.words import ci_text, fmt, fmt_diff, metric_label, metric_short, sentences
from sim.experiments.answer import Answer, answer, arm_label, arm_levels, effects, more_seeds, upper_first
from sim.experiments.claims import check
from sim.experiments.runner import Task
from sim.experiments.spec import Experiment
from sim.experiments.texts import spec_text
from sim.i18n import t
from sim.output import atomic_write


def labels_of(experiment: Experiment) -> dict[str, str]:
    return {arm.key: arm_label(experiment, arm.key) for arm in experiment.arms}


def stacked(out: Path, table: pd.DataFrame, labels: dict[str, str], name: str) -> pd.DataFrame:
    """One table (``daily`` or ``members``) of every finished run, with the arm's label as ``strategy``."""
    done = table[table["status"] == "done"].rename(columns={"arm": STRATEGY})
    frame = getattr(Sweep(out, done), name)
    return frame.assign(strategy=frame["strategy"].map(labels))


def levels_figure(levels: pd.DataFrame, vs_baseline: pd.DataFrame, experiment: Experiment,
                  labels: dict[str, str], colours: dict) -> plt.Figure:
    """The primary metric: each arm's mean (left) and its paired difference from the baseline (right)."""
    scale = 100 if METRICS[experiment.primary].unit == "share" else 1
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 0.55 * len(levels) + 2.4), sharey=True)
    y = np.arange(len(levels))[::-1]
    diffs = vs_baseline.set_index("arm").reindex(levels["arm"])
    for yi, row, diff in zip(y, levels.itertuples(), diffs.itertuples()):
        colour = colours[labels[row.arm]]
        left.errorbar(scale * row.mean, yi, xerr=[[scale * (row.mean - row.ci_low)], [scale * (row.ci_high - row.mean)]],
                      fmt="o", capsize=4, color=colour)
        if not pd.isna(diff.effect):
            right.errorbar(scale * diff.effect, yi, fmt="o", capsize=4, color=colour,
                           xerr=[[scale * (diff.effect - diff.ci_low)], [scale * (diff.ci_high - diff.effect)]])
    left.set_yticks(y, [labels[a] for a in levels["arm"]])
    left.set(xlabel=metric_label(experiment.primary), title=t("exp.fig.levels"))
    right.axvline(0, color="0.4", lw=1, ls="--")
    right.set(xlabel=t("fig.forest.x", baseline=labels[experiment.baseline]) + (f" ({t('fig.points')})" if scale == 100 else ""),
              title=t("exp.fig.diffs"))
    fig.suptitle(upper_first(metric_short(experiment.primary)), y=1.0)
    fig.tight_layout()
    return fig


def figures(out: Path, table: pd.DataFrame, experiment: Experiment, vs_baseline: pd.DataFrame,
            days: int) -> list[tuple[str, str]]:
    """Draw and save the figures, one colour per arm throughout; returns (file name, caption) pairs."""
    labels = labels_of(experiment)
    colours = plots.palette([labels[a.key] for a in experiment.arms], labels[experiment.baseline])
    primary = vs_baseline[vs_baseline["metric"] == experiment.primary]
    levels = arm_levels(table, experiment.primary)
    drawn = [(save(levels_figure(levels, primary, experiment, labels, colours), out / "primary.png"),
              t("exp.cap.primary", metric=metric_short(experiment.primary)))]
    drawn.append((save(plots.daily_lines(stacked(out, table, labels, "daily"), colours), out / "daily.png"),
                  t("cmp.fig.daily")))
    also = [m for m in experiment.also if m in set(vs_baseline["metric"])]
    if also:
        rows = vs_baseline[vs_baseline["metric"].isin(also) & (vs_baseline["verdict"] != "censored")]
        rows = rows.assign(label=rows["arm"].map(labels), strategy=rows["arm"].map(labels))
        fig = plots.forest(rows, [m for m in also if m in set(rows["metric"])],
                           {m: METRICS[m].unit for m in also}, colours, labels[experiment.baseline], row="label")
        drawn.append((save(fig, out / "effects.png"), t("exp.cap.effects")))
    if experiment.survival:
        members = stacked(out, table, labels, "members")
        lifetimes = lifetimes_of(out, table, labels)
        groups = group_survival(lifetimes, days) if lifetimes["died"].any() else None
        drawn.append((save(plots.survival_curves(member_survival(members, days), groups, colours),
                           out / "survival.png"),
                      t("cmp.fig.survival" if groups is not None else "cmp.fig.survival.members")))
    return drawn


def lifetimes_of(out: Path, table: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    summaries = [(r.arm, RunTables(out / r.run).summary) for r in table.itertuples() if r.status == "done"]
    return pd.DataFrame([{"strategy": labels[arm], "lifetime_days": s["lifetime_days"], "died": bool(s["died"])}
                         for arm, s in summaries])


def claims_section(experiment: Experiment, vs_baseline: pd.DataFrame, labels: dict[str, str]) -> list[str]:
    """The seed articles' claims behind the question, each checked against the runs; disagreements first."""
    checked = check(experiment.name, vs_baseline)
    if not checked:
        return []
    order = {"disagrees": 0, "agrees": 1, "cannot_tell": 2}
    lines = [f"## {t('exp.h.claims')}", "", t("exp.claims.intro", baseline=labels[experiment.baseline]), ""]
    for number, claim, row, agreement in sorted(checked, key=lambda c: order[c[3]]):
        unit = METRICS[claim.metric].unit
        shown = (t("exp.claims.effect", arm=labels[claim.arm], metric=metric_short(claim.metric),
                   diff=fmt_diff(row.effect, unit), ci=ci_text(row.ci_low, row.ci_high, unit, row.pairs))
                 if row is not None else t("exp.claims.no_runs"))
        verdict = t(f"exp.claims.{agreement}")
        if agreement == "disagrees":
            verdict = f"**{verdict}**"
        lines.append(f"- {t('exp.claims.line', seeds=claim.seeds, claim=t(f'claim.{experiment.name}.{number}'), shown=shown, verdict=verdict)}")
    disagree = sum(a == "disagrees" for *_, a in checked)
    if disagree:
        lines += ["", t("exp.claims.disagree_note", n=disagree)]
    return lines + [""]


def setup_section(experiment: Experiment, tasks: list[Task], table: pd.DataFrame, seeds: int,
                  command: str, labels: dict[str, str]) -> list[str]:
    """The shared setup, then each arm with the config values that differ between arms (stated, not implied)."""
    config = tasks[0].config
    finished = table[table["status"] == "done"].groupby("arm").size()
    configs = {task.arm: task.config for task in tasks if task.seed == 0}
    flat = pd.DataFrame({arm: pd.json_normalize(dataclasses.asdict(c), sep=".").iloc[0]
                         for arm, c in configs.items()})
    flat = flat.drop(index=["seed", "strategy.description"], errors="ignore")
    differ = [k for k in flat.index if flat.loc[k].astype(str).nunique() > 1]
    lines = [f"## {t('exp.h.setup')}", "",
             t("exp.setup.shared", group=config.group.name, founders=config.group.initial_members, days=config.days,
               last=seeds - 1, base=" ".join(experiment.base) or "—"), "",
             *([t("exp.setup.fitted", file=experiment.fitted), ""] if experiment.fitted else []),
             f"| {t('exp.col.arm')} | {t('exp.col.values')} | {t('exp.col.finished')} |", "|---|---|---:|"]
    for arm in experiment.arms:
        mark = f" {t('exp.baseline_mark')}" if arm.key == experiment.baseline else ""
        values = ", ".join(f"`{k}={flat.loc[k, arm.key]}`" for k in differ[:8] if arm.key in flat)
        lines.append(f"| {labels[arm.key]}{mark} | {values} | {int(finished.get(arm.key, 0))} / {seeds} |")
    lines += ["", t("exp.setup.reproduce", command=command), ""]
    return lines


def uncertainty_section(experiment: Experiment, table: pd.DataFrame, vs_baseline: pd.DataFrame,
                        seeds: int, days: int) -> list[str]:
    failed = table[table["status"] != "done"]
    primary = vs_baseline[vs_baseline["metric"] == experiment.primary]
    text = [t("exp.sure.pairs", seeds=seeds), more_seeds(primary, seeds, experiment.min_effect)]
    if experiment.min_effect:
        unit = METRICS[experiment.primary].unit
        text.append(t("exp.sure.min_effect", metric=metric_short(experiment.primary),
                      size=fmt_diff(experiment.min_effect, unit).lstrip("+")))
    if "lifetime_days" in experiment.metrics:
        alive = int((table["lifetime_days"] >= days).sum())
        if alive:
            text.append(t("exp.sure.censored", alive=alive, runs=len(table), days=days))
    if len(failed):
        text.append(t("exp.sure.failed", n=len(failed), runs=len(table),
                      which=", ".join(f"{r.arm}/seed{r.seed}" for r in failed.itertuples())))
    text.append(t("exp.sure.model"))
    return [f"## {t('exp.h.sure')}", "", sentences(text), ""]


def numbers_section(out: Path, table: pd.DataFrame, experiment: Experiment, vs_baseline: pd.DataFrame,
                    labels: dict[str, str], days: int) -> list[str]:
    done = table[table["status"] == "done"]
    metrics = [m for m in experiment.metrics if m in done]
    means = done.groupby("arm", sort=False)[metrics].mean()
    shown = pd.DataFrame({metric_label(m): [fmt(v, METRICS[m].unit) for v in means[m]] for m in metrics},
                         index=[labels[a] for a in means.index]).T
    effect_rows = [{t("exp.col.arm"): labels[r.arm], t("exp.col.outcome"): metric_label(r.metric),
                    t("exp.col.pairs"): r.pairs, t("exp.col.difference"): fmt_diff(r.effect, METRICS[r.metric].unit),
                    t("exp.col.ci"): ci_text(r.ci_low, r.ci_high, METRICS[r.metric].unit, r.pairs),
                    t("exp.col.verdict"): t(f"exp.verdict.{r.verdict}")} for r in vs_baseline.itertuples()]
    lines = [f"## {t('exp.h.numbers')}", "", t("exp.numbers.means"), "", shown.to_markdown(), "",
             t("exp.numbers.effects", baseline=labels[experiment.baseline]), "",
             pd.DataFrame(effect_rows).to_markdown(index=False), ""]
    if "lifetime_days" in experiment.metrics:
        life = lifetime_summary(lifetimes_of(out, table, labels), days)
        rows = [{t("exp.col.arm"): r.strategy, t("cmp.col.died"): f"{r.died}/{r.runs}",
                 t("cmp.col.median"): fmt(r.median, "days") if pd.notna(r.median) else t("cmp.life.not_reached", days=days),
                 t("cmp.col.rmst", days=days): fmt(r.rmst, "days")} for r in life.itertuples()]
        lines += [t("cmp.life.km", days=days), "", pd.DataFrame(rows).to_markdown(index=False), ""]
    return lines


def markdown(out: Path, experiment: Experiment, tasks: list[Task], table: pd.DataFrame,
             vs_baseline: pd.DataFrame, result: Answer, drawn: list[tuple[str, str]], seeds: int,
             command: str) -> str:
    labels = labels_of(experiment)
    days = tasks[0].config.days
    outcome = result.outcome if result.outcome in experiment.next else "unclear"
    primary = vs_baseline[vs_baseline["metric"] == experiment.primary]
    fill = {"best": labels[result.best], "baseline": labels[experiment.baseline],
            "more_seeds": more_seeds(primary, seeds, experiment.min_effect)}
    advice = spec_text(experiment, f"next.{outcome}", experiment.next[outcome]).format(**fill)
    lines = [f"# {spec_text(experiment, 'question', experiment.question)}", "",
             f"*{t('exp.why')}* {spec_text(experiment, 'why', experiment.why)}", "",
             f"## {t('exp.h.answer')}", "", result.headline, "", *[f"- {b}" for b in result.bullets], ""]
    if result.ranking:
        lines += [result.ranking, ""]
    lines += claims_section(experiment, vs_baseline, labels)
    lines += uncertainty_section(experiment, table, vs_baseline, seeds, days)
    lines += [f"## {t('exp.h.next')}", "", upper_first(advice.strip()), ""]
    lines += setup_section(experiment, tasks, table, seeds, command, labels)
    lines += [f"## {t('exp.h.figures')}", ""]
    for name, caption in drawn:
        lines += [f"![{caption}]({name})", "", f"*{caption}*", ""]
    lines += numbers_section(out, table, experiment, vs_baseline, labels, days)
    return "\n".join(lines)


def write_report(out: Path, experiment: Experiment, tasks: list[Task], table: pd.DataFrame,
                 seeds: int, command: str) -> Path:
    """Write ``report.md``, its figures, ``outcomes.csv`` and ``effects.csv`` into ``out``."""
    days = tasks[0].config.days
    vs_baseline = effects(table, experiment, experiment.baseline, days=days)
    if vs_baseline.empty:
        raise RuntimeError(f"{experiment.name}: no arm has finished runs paired with finished baseline "
                           f"runs; see error.json under {out / 'runs'}")
    result = answer(table, experiment, vs_baseline)
    drawn = figures(out, table, experiment, vs_baseline, days)
    atomic_write(out / "outcomes.csv", lambda p: table.to_csv(p, index=False))
    atomic_write(out / "effects.csv", lambda p: vs_baseline.to_csv(p, index=False))
    text = markdown(out, experiment, tasks, table, vs_baseline, result, drawn, seeds, command)
    atomic_write(out / "report.md", lambda p: p.write_text(text + "\n"))
    return out / "report.md"
