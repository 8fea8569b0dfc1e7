"""``make demo``: the main job in one command, so a newcomer sees what groupsim is for.

It runs the baseline (``strategy=none``) and four operator levers (red packets,
topics, strict rules, KOL cultivation) on the default group over five seeds,
saves every run as a run folder (the data contract) under
``results/demo/<strategy>/seed<k>/``, and draws how many members stay active
under each strategy, with a band across seeds. Seeds are shared across
strategies (common random numbers), so differences come from the levers.
A run whose folder already holds ``summary.json`` is loaded, not rerun.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from scipy import stats  # noqa: E402
from tqdm import tqdm  # noqa: E402  (a dependency of Mesa)

from sim.api import compose_config, config_yaml, run  # noqa: E402
from sim.config import RunConfig  # noqa: E402
from sim.fonts import cjk_rc  # noqa: E402
from sim.output import is_finished  # noqa: E402

STRATEGIES = ["none", "red_packets", "topics", "rules", "kol"]
LABELS = {"none": "none (baseline)", "red_packets": "red packets", "topics": "topics",
          "rules": "strict rules", "kol": "KOL cultivation"}
SEEDS = range(5)
OUT = Path("results/demo")
SUMMARY_COLUMNS = ["lifetime_days", "died", "final_members", "peak_members", "total_messages",
                   "total_conversions", "revenue", "spend_money", "spend_hours"]
SHOWN = ["lifetime_days", "died", "final_members", "total_messages", "total_conversions",
         "spend_money", "spend_hours"]


def one_run(cfg: RunConfig) -> tuple[pd.DataFrame, dict, bool]:
    """Run one config, or load it if finished with the same config.

    Returns its daily table, its summary and whether it was reused.
    """
    strategy, seed = cfg.strategy.name, cfg.seed
    folder = OUT / strategy / f"seed{seed}"
    saved = folder / "config.yaml"
    reused = is_finished(folder) and saved.read_text() == config_yaml(cfg)
    if not reused:
        run(cfg, keep_model=False).save(folder)
    daily = pd.read_parquet(folder / "daily.parquet")
    summary = json.loads((folder / "summary.json").read_text())
    return daily.assign(strategy=LABELS[strategy], seed=seed), summary, reused


def t_interval(x: pd.Series) -> tuple[float, float]:
    """95% Student-t confidence interval of the mean (a few seeds: no bootstrap)."""
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / len(x) ** 0.5
    return x.mean() - half, x.mean() + half


def plot(daily: pd.DataFrame, group: str, path: Path) -> None:
    """Active members (top) and members present (bottom) per day, mean and 95% band over seeds."""
    sns.set_theme(style="whitegrid", context="notebook", rc=cjk_rc())
    fig, axes = plt.subplots(2, 1, figsize=(10, 9), sharex=True)
    panels = [("active", "Active members (took part in the last 7 days)"),
              ("members", "Members in the group (muted included)")]
    for ax, (column, title) in zip(axes, panels):
        sns.lineplot(data=daily, x="day", y=column, hue="strategy", hue_order=list(LABELS.values()),
                     errorbar=t_interval, ax=ax, linewidth=1.6)
        ax.set_title(title, loc="left", fontsize=12)
        ax.set_ylabel("members (people)")
        ax.set_ylim(bottom=0)
        ax.legend_.remove()
    axes[-1].set_xlabel("day of the group's life (days since founding)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, title="operator strategy", loc="lower center", ncol=len(labels),
               frameon=False, bbox_to_anchor=(0.5, 0.0))
    days, seeds = int(daily["day"].max()), daily["seed"].nunique()
    fig.suptitle(f"Members of a simulated WeChat group ({group!r} archetype) under five strategies\n"
                 f"{days} days; line: mean of {seeds} seeds, band: 95% confidence interval of the mean", fontsize=13)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(path, dpi=120)
    plt.close(fig)


def verdict(table: pd.DataFrame, daily: pd.DataFrame) -> list[str]:
    """What the demo says in words: active members late in life against the baseline,
    paired by seed, at what cost; and how many groups died."""
    days = int(daily["day"].max())
    late = (daily[daily["day"] > days - 30].groupby(["strategy", "seed"])["active"].mean()
            .rename("active_late").reset_index())
    label_of = {v: k for k, v in LABELS.items()}
    late["strategy"] = late["strategy"].map(label_of)
    runs = table.merge(late, on=["strategy", "seed"])
    base = runs[runs["strategy"] == "none"].set_index("seed")
    lines = []
    for strategy in STRATEGIES[1:]:
        arm = runs[runs["strategy"] == strategy].set_index("seed")
        gain = arm["active_late"] - base["active_late"]
        low, high = t_interval(gain)
        money, hours = arm["spend_money"].mean(), arm["spend_hours"].mean()
        sure = "clearly more" if low > 0 else "clearly fewer" if high < 0 else "no clear change in"
        per = f", {money / gain.mean():.0f} yuan per extra active member" if low > 0 and money else ""
        lines.append(f"- {LABELS[strategy]}: {sure} active members in the last 30 days "
                     f"({gain.mean():+.1f}, 95% CI {low:+.1f} to {high:+.1f}) for "
                     f"{money:.0f} yuan and {hours:.0f} operator hours{per}")
    died = runs.groupby("strategy")["died"].sum()
    dead = [f"{LABELS[s]} {int(n)}" for s, n in died.items() if n]
    lines.append(f"- groups that died (members' own talk below the death rule for a week) within "
                 f"{days} days: {', '.join(dead) if dead else 'none, under any strategy'}")
    return lines


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    base = {s: compose_config([f"strategy={s}"]) for s in STRATEGIES}
    jobs = [replace(base[s], seed=k) for s in STRATEGIES for k in SEEDS]
    frames, rows, group, reused = [], [], "", 0
    for cfg in tqdm(jobs, desc="groupsim demo", unit="run"):
        daily, summary, was_reused = one_run(cfg)
        frames.append(daily)
        reused += was_reused
        group = summary["group"]
        rows.append({"strategy": cfg.strategy.name, "seed": cfg.seed,
                     **{k: summary[k] for k in SUMMARY_COLUMNS}})
    table = pd.DataFrame(rows)
    table.to_csv(OUT / "summary.csv", index=False)
    figure = OUT / "active_members.png"
    plot(pd.concat(frames, ignore_index=True), group, figure)

    means = table.groupby("strategy", sort=False)[SHOWN].mean()
    means = means.rename(columns={"died": "died_share", "total_messages": "messages",
                                  "total_conversions": "conversions"})
    print(f"\nMean over {len(SEEDS)} seeds per strategy ({group!r} group, "
          f"{int(frames[0]['day'].max())} days each):")
    print(means.round(2).to_string(float_format=lambda x: f"{x:g}"))
    print(f"\nAgainst no operation, on the same {len(SEEDS)} seeds:")
    print("\n".join(verdict(table, pd.concat(frames, ignore_index=True))))
    print(f"\nrun folders:  {OUT.resolve()}/<strategy>/seed<k>/  ({len(jobs)} runs, "
          f"{reused} reused from an earlier demo; delete {OUT} to rerun all after model changes)")
    print(f"summary:      {(OUT / 'summary.csv').resolve()}")
    print(f"plot:         {figure.resolve()}")


if __name__ == "__main__":
    main()
