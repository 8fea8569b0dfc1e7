"""``groupsim-validate``: check the model against published facts; write a report.

Prints PASS/FAIL per fact with the simulated figure beside the published
one, and writes ``report.md`` with figures to ``--out``. The exit status is
1 if any fact failed (0 if all passed), so a script (or CI) can gate on it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

from sim.analysis.report import save
from sim.errors import RUNS_FAILED, UsageError, entry_point, writable_dir
from sim.output import atomic_write
from sim.validation.facts import FACTS, MIX, WINDOW, Fact, Finding, Scale

Checked = list[tuple[Fact, Finding]]


def check(scale: Scale, only: list[str] | None = None, echo=print) -> Checked:
    """Measure every fact (or those named in ``only``), echoing a PASS/FAIL line each."""
    chosen = [f for f in FACTS if not only or f.key in only]
    checked = []
    for fact in chosen:
        finding = fact.measure(scale)
        echo(f"{'PASS' if finding.passed else 'FAIL'}  {fact.key}: simulated {finding.shown}; "
             f"published {fact.published} ({fact.source})")
        checked.append((fact, finding))
    return checked


def lifetimes_figure(table: pd.DataFrame) -> plt.Figure:
    """Qiu et al.'s population: the share of groups gone silent by each day of the window.

    A group still talking at the window's end is censored, not silent: it
    never counts, so a curve ends below 1 when some groups outlive the window.
    """
    days = np.arange(WINDOW + 1)
    everyone = table.assign(group="all groups")
    curves = pd.concat([pd.DataFrame({"group": name, "day": days,
                                      "silent": [(part["died"] & (part["lifetime_days"] <= d)).mean()
                                                 for d in days]})
                        for name, part in pd.concat([table, everyone]).groupby("group", sort=False)])
    fig, ax = plt.subplots(figsize=(7, 3.8))
    sns.lineplot(curves[curves["group"] != "all groups"], x="day", y="silent", hue="group",
                 drawstyle="steps-post", ax=ax)
    sns.lineplot(curves[curves["group"] == "all groups"], x="day", y="silent", color="black", lw=2.5,
                 drawstyle="steps-post", label="all groups", ax=ax)
    for day, text in ((7, "a week"), (30, "30 days")):
        ax.axvline(day, color="grey", ls=":")
        ax.text(day + 0.3, 0.9, text, color="grey")
    ax.set(xlabel=f"day of the {WINDOW}-day window", ylabel="share of groups gone silent",
           ylim=(0, 1), title="When groups go silent (no operator; Qiu et al.: ~40% within a week)")
    ax.legend(title=None, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig


def overload_figure(table: pd.DataFrame) -> plt.Figure:
    """Jones, Ravid & Rafaeli: volume against stopping and leaving."""
    long = table.melt(id_vars=["chat_propensity", "messages_per_member_day"],
                      value_vars=["stopped_posting", "left"], var_name="outcome", value_name="share")
    long["outcome"] = long["outcome"].map({"stopped_posting": "early posters who stopped posting",
                                           "left": "founders who left"})
    means = long.groupby(["chat_propensity", "outcome"], as_index=False).mean()
    fig, ax = plt.subplots(figsize=(6, 3.8))
    sns.scatterplot(long, x="messages_per_member_day", y="share", hue="outcome", s=14, alpha=0.4,
                    legend=False, ax=ax)
    sns.lineplot(means, x="messages_per_member_day", y="share", hue="outcome", marker="o", ax=ax)
    ax.set(xscale="log", xlabel="messages per member per day (dots: runs; line: sweep means)",
           ylabel="share", title="More volume, more members stop posting and leave")
    ax.xaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.legend(title=None, loc="upper left")
    return fig


def markdown(checked: Checked, scale: Scale, figures: list[str]) -> str:
    failed = sum(not f.passed for _, f in checked)
    rows = pd.DataFrame([{"": "PASS" if f.passed else "**FAIL**", "fact": fact.claim,
                          "source": fact.source, "published": fact.published, "simulated": f.shown}
                         for fact, f in checked])
    lines = ["# groupsim validation against published facts", "",
             f"{len(checked) - failed} of {len(checked)} facts reproduced. Scale: {scale.seeds} "
             f"seeds per arm, {scale.groups} groups in the lifecycle population "
             f"(archetype mix {', '.join(f'{g} {w:.0%}' for g, w in MIX.items())}).", "",
             rows.to_markdown(index=False), "", "## What each fact constrains", ""]
    lines += [f"- **{fact.key}** ({fact.source}): {fact.constrains}." for fact, _ in checked]
    lines += ["", "## Figures", ""] + [f"![{name}]({name})" for name in figures]
    return "\n".join(lines) + "\n"


def validate(scale: Scale, out: Path, only: list[str] | None = None, echo=print) -> Checked:
    """Check the facts and write ``out/report.md``, its figures and ``facts.csv``."""
    out.mkdir(parents=True, exist_ok=True)
    checked = check(scale, only, echo)
    figures = []
    for fact, finding in checked:
        if fact.key == "qiu_silent_in_a_week":
            figures.append(save(lifetimes_figure(finding.data), out / "lifetimes.png"))
        if fact.key == "jones_ravid_rafaeli_overload":
            figures.append(save(overload_figure(finding.data), out / "overload.png"))
    table = pd.DataFrame([{"fact": fact.key, "source": fact.source, "published": fact.published,
                           "simulated": f.simulated, "low": f.low, "high": f.high,
                           "shown": f.shown, "passed": f.passed, "constrains": fact.constrains}
                          for fact, f in checked])
    atomic_write(out / "facts.csv", lambda p: table.to_csv(p, index=False))
    atomic_write(out / "report.md", lambda p: p.write_text(markdown(checked, scale, figures)))
    return checked


def jobs(text: str) -> int:
    """joblib's n_jobs: a positive count, or -1 for all cores (0 means nothing to joblib)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError(f"must be a count of processes >= 1, or -1 for all cores, got {value}")
    return value


@entry_point("groupsim-validate")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="groupsim-validate", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=Scale.seeds, help="seeds per arm (default 16)")
    parser.add_argument("--groups", type=int, default=Scale.groups,
                        help="groups in the lifecycle population (default 200)")
    parser.add_argument("--jobs", type=jobs, default=-1, help="worker processes (default: all cores)")
    parser.add_argument("--only", nargs="+", metavar="FACT", help="check only these facts")
    parser.add_argument("--out", default="results/validation", help="report folder")
    args = parser.parse_args(argv)
    known = [f.key for f in FACTS]
    unknown = sorted(set(args.only or []) - set(known))
    if unknown or not 2 <= args.seeds <= 1000 or not 10 <= args.groups <= 100_000:
        raise UsageError(f"--only: unknown fact {', '.join(unknown)}; allowed: {', '.join(known)}"
                         if unknown else "--seeds must be 2 to 1000 and --groups 10 to 100000")
    writable_dir(args.out, "--out folder")
    checked = validate(Scale(args.seeds, args.groups, args.jobs), Path(args.out), args.only)
    failed = sum(not f.passed for _, f in checked)
    print(f"groupsim-validate: {len(checked) - failed}/{len(checked)} facts reproduced; "
          f"report -> {args.out}/report.md")
    return RUNS_FAILED if failed else 0


if __name__ == "__main__":
    main()
