"""Published facts about real groups, each with the simulation that checks it.

A fact names its source, the published figure and the band the model must
land in, and says honestly where the simulated figure comes from:

* ``validated``: no parameter was set to hit it; only these count as evidence;
* ``calibrated``: a parameter was set (or fitted) to hit it (``calibrated_by``);
* ``built in``: the mechanism states the claim itself; reproducing it shows
  the code does what it says, not that the world works that way.

Every fact also names the ``mechanism`` that produces it and an ``ablation``:
overrides that switch that mechanism off. The same check is run ablated and
must then fail; a fact that survives its own ablation was not produced by
that mechanism. Every run goes through ``sim.api.simulate``, the CLI's path.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import stats

from sim.analysis.effects import bootstrap_ci
from sim.analysis.tenure import hazard_by_tenure
from sim.group_traits import ONE_GROUP
from sim import api
from sim.api import Run, compose_config, simulate
from sim.members import Role

STATUSES = ("validated", "calibrated", "built in")


@dataclass(frozen=True)
class Scale:
    """How many runs back each figure, and overrides added to every run (an ablation).

    ``scoped`` holds ``(archetype, override)`` pairs added only to that
    archetype's runs (a calibration trial's ``group.event_stir`` for course
    groups must not reach interest groups); ``extra`` comes after them, so an
    ablation still wins. ``first_seed`` shifts every seed, for a re-check on
    fresh seeds.
    """

    seeds: int = 16
    groups: int = 200   # groups in the Qiu et al. population
    jobs: int = 1
    extra: tuple[str, ...] = ()
    scoped: tuple[tuple[str, str], ...] = ()
    first_seed: int = 0


@dataclass
class Finding:
    """A simulated figure, its 95% CI where one applies, its band, and the data behind it.

    ``also`` carries the rest of a claim that is not the banded figure (the
    luckiest recipient sends most): the fact holds only if it holds too.
    """

    simulated: float
    low: float
    high: float
    shown: str
    data: pd.DataFrame = field(default_factory=pd.DataFrame)
    also: bool = True
    ci: tuple[float, float] | None = None

    @property
    def passed(self) -> bool:
        return bool(self.low <= self.simulated <= self.high and self.also)


@dataclass(frozen=True)
class Fact:
    key: str
    source: str
    claim: str
    published: str
    status: str
    mechanism: str
    ablation: tuple[str, ...]
    measure: Callable[[Scale], Finding]
    calibrated_by: str = ""
    effect: bool = False

    def gone(self, ablated: Finding) -> bool:
        """Did the ablation remove the fact? For an effect, only by falling below the band:
        an effect that grows without its mechanism was not made by it."""
        return ablated.simulated < ablated.low if self.effect else not ablated.passed

    def ablated(self, scale: Scale) -> Finding:
        """The same check with the fact's mechanism switched off."""
        return self.measure(dataclasses.replace(scale, extra=scale.extra + self.ablation))


FACTS: list[Fact] = []


def fact(key: str, source: str, claim: str, published: str, status: str, mechanism: str,
         ablation: tuple[str, ...], calibrated_by: str = "", effect: bool = False):
    """Register a measuring function as a fact (in report order).

    ``effect``: the figure is the size of an effect (a lift, a ratio), so the
    ablation must take it below the band, not merely out of it.
    """
    assert status in STATUSES, status

    def register(measure: Callable[[Scale], Finding]) -> Callable[[Scale], Finding]:
        FACTS.append(Fact(key, source, claim, published, status, mechanism, ablation, measure,
                          calibrated_by, effect))
        return measure
    return register


def _each(measure: Callable[[Run], Any], runs: Iterable[tuple[str, ...]], jobs: int) -> list[Any]:
    """``measure`` of each run; runs in worker processes return only the measure."""
    work = (delayed(_measured)(measure, overrides) for overrides in runs)
    return Parallel(n_jobs=jobs)(work) if jobs != 1 else [_measured(measure, o) for o in runs]


def _measured(measure: Callable[[Run], Any], overrides: tuple[str, ...]) -> Any:
    return measure(simulate(list(overrides)))


@functools.cache
def _default_archetype(config_dir: str) -> str:
    return compose_config([]).group.name


def archetype(overrides: Iterable[str]) -> str:
    """The group a run's overrides choose (the last ``group=``), else the default config's."""
    chosen = [o.split("=", 1)[1] for o in overrides if o.startswith("group=")]
    return chosen[-1] if chosen else _default_archetype(str(api.CONFIG_DIR))


def with_extra(scale: Scale, overrides: tuple[str, ...]) -> tuple[str, ...]:
    """``overrides``, then ``scale.scoped`` for the run's archetype, then ``scale.extra``."""
    group = archetype(overrides) if scale.scoped else ""
    return (*overrides, *(o for g, o in scale.scoped if g == group), *scale.extra)


def _seeds(scale: Scale, *overrides: str) -> list[tuple[str, ...]]:
    start = scale.first_seed
    return [(*with_extra(scale, overrides), f"seed={s}") for s in range(start, start + scale.seeds)]


def _share_ci(flags: np.ndarray) -> tuple[float, float]:
    return bootstrap_ci(np.asarray(flags, dtype=float))


# Qiu et al. (WWW 2016): the lifecycle of WeChat groups -------------------------------
# The archetype mix is declared, not fitted: nothing published gives the shares of
# course, brand, interest and group-buy groups among WeChat's groups, so each gets
# the same weight. A temporary-heavy mix is reported beside it, to show how much
# the population figures owe to the mix rather than to the model.
MIX = {"course": 0.25, "brand": 0.25, "interest": 0.25, "groupbuy": 0.25}
MIX_REASON = ("no published shares of archetypes among WeChat groups, so equal weights: "
              "the result owes nothing to a fitted mix")
TEMPORARY_HEAVY = {"course": 0.5, "brand": 0.4, "interest": 0.05, "groupbuy": 0.05}
WINDOW = 34  # Qiu et al. observed groups over a 34-day window
LONG_LIVED = ("brand", "interest", "groupbuy")


@functools.lru_cache(maxsize=8)
def lifecycles(scale: Scale) -> pd.DataFrame:
    """Each group's fate in the window, for every archetype (the mixes weigh them)."""
    return pd.DataFrame(_each(_lifecycle, population(scale), scale.jobs))


def population(scale: Scale) -> list[tuple[str, ...]]:
    """``scale.groups`` groups of each archetype's share in MIX, by quota, one seed each.

    Quotas are rounded by largest remainder, so they add up to ``scale.groups``.
    """
    exact = {g: w * scale.groups for g, w in MIX.items()}
    quotas = {g: int(x) for g, x in exact.items()}
    for g in sorted(exact, key=lambda g: quotas[g] - exact[g])[: scale.groups - sum(quotas.values())]:
        quotas[g] += 1
    first = 1000 + scale.first_seed * scale.groups
    return [(*with_extra(scale, (f"group={g}", "strategy=none", f"days={WINDOW}")),
             f"seed={first + i}") for g, n in quotas.items() for i in range(n)]


def _lifecycle(run: Run) -> dict[str, Any]:
    quiet = run.config.death.quiet_messages
    daily = run.daily
    tail = daily["conversation"].iloc[30:]
    return {"group": run.config.group.name, "lifetime_days": run.summary["lifetime_days"],
            "died": run.summary["died"],
            "silent_in_a_week": run.summary["died"] and run.summary["lifetime_days"] <= 7,
            "active_after_30_days": bool((tail >= quiet).any()),
            "first_day_talk": float(daily["conversation"].iloc[0] / max(daily["members"].iloc[0], 1))}


def weighted_share(table: pd.DataFrame, column: str, mix: dict[str, float]) -> float:
    """The share of groups with ``column`` in a population mixed by ``mix``."""
    by_group = table.groupby("group")[column].mean()
    return float(sum(w * by_group.get(g, np.nan) for g, w in mix.items()))


def _qiu(scale: Scale, column: str, low: float, high: float) -> Finding:
    table = lifecycles(scale)
    share = weighted_share(table, column, MIX)
    other = weighted_share(table, column, TEMPORARY_HEAVY)
    by_group = table.groupby("group")[column].mean()
    parts = ", ".join(f"{g} {by_group[g]:.0%}" for g in MIX if g in by_group)
    return Finding(share, low, high,
                   f"{share:.0%} of {len(table)} groups, equal mix ({parts}); "
                   f"{other:.0%} in a temporary-heavy mix", table, ci=_share_ci(table[column]))


_QIU_MECHANISM = ("temporary groups end with their event (course ends, the lecturer leaves, "
                  "needs met); long-lived archetypes die when their own traits (size, ties, "
                  "owner, fit, talk, competition) leave members too little to talk about")
_COURSE_NEVER_ENDS = ("group.event_days=60", "group.owner_active_days=0", "group.fulfilment_rate=0")


@fact("qiu_silent_in_a_week", "Qiu et al., WWW 2016",
      "about 40% of WeChat groups go silent within a week (474,726 groups, 34-day window)",
      "40% (band 30–50%)", "validated", _QIU_MECHANISM, ONE_GROUP + _COURSE_NEVER_ENDS)
def qiu_silent(scale: Scale) -> Finding:
    return _qiu(scale, "silent_in_a_week", 0.30, 0.50)


@fact("qiu_active_after_30_days", "Qiu et al., WWW 2016",
      "about 30% of WeChat groups are still active after 30 days",
      "30% (band 20–40%)", "validated", _QIU_MECHANISM, ONE_GROUP + _COURSE_NEVER_ENDS)
def qiu_active(scale: Scale) -> Finding:
    return _qiu(scale, "active_after_30_days", 0.20, 0.40)


@fact("qiu_first_day_predicts_survival", "Qiu et al., WWW 2016",
      "a group's long-term success is predictable from its first day",
      "predictable (band: AUC of first-day talk per member for being active after 30 days "
      ">= 0.70, long-lived archetypes)", "validated",
      "group traits drawn per group set both the first day's talk and the group's staying power",
      ONE_GROUP, effect=True)
def qiu_first_day(scale: Scale) -> Finding:
    table = lifecycles(scale)
    aucs, sizes = [], []
    for name in LONG_LIVED:
        part = table[table["group"] == name]
        alive, dead = part[part["active_after_30_days"]], part[~part["active_after_30_days"]]
        if len(alive) and len(dead):
            u = stats.mannwhitneyu(alive["first_day_talk"], dead["first_day_talk"]).statistic
            aucs.append(u / (len(alive) * len(dead)))
            sizes.append(len(part))
    auc = float(np.average(aucs, weights=sizes)) if aucs else 0.5
    shown = (f"AUC {auc:.2f} (within-archetype, {len(aucs)} archetypes with both fates)"
             if aucs else "no archetype had both fates: nothing to predict (AUC 0.5)")
    return Finding(auc, 0.70, 1.0, shown, table)


# Zhang et al. (KDD 2016): the come-and-go pattern --------------------------------------
HAZARD_DAYS = 150
ARCHETYPES = ("interest", "groupbuy", "brand", "course")


def _hazard(run: Run) -> pd.DataFrame:
    table = hazard_by_tenure(run.members, run.config.days)
    return table.assign(group=run.config.group.name)


@functools.lru_cache(maxsize=4)
def hazards(scale: Scale) -> pd.DataFrame:
    """Exits and member-days at risk by tenure window, summed over seeds, per archetype."""
    runs = [o for g in ARCHETYPES for o in _seeds(scale, f"group={g}", f"days={HAZARD_DAYS}")]
    table = pd.concat(_each(_hazard, runs, scale.jobs))
    summed = table.groupby(["group", "tenure", "from_day"], sort=False, as_index=False)[
        ["member_days", "quits"]].sum()
    return summed.assign(hazard=summed["quits"] / summed["member_days"].clip(lower=1))


@fact("zhang_newcomers_leave_first", "Zhang et al., KDD 2016; Joyce & Kraut 2006",
      "the quit hazard falls with tenure: most who quit do so soon after joining",
      "falls (band: first-week hazard at least 2x the hazard at 60–120 days, every archetype)",
      "validated",
      "commitment accrues with tenure (ties to members still here, value received, money paid); "
      "a newcomer judges the group on first impressions; a muted group sinks down the chat list",
      ("population.tie_commitment=0", "population.benefit_commitment=0",
       "population.invest_commitment=0", "population.muted_sink_days=3650",
       "population.first_impressions=false"), effect=True)
def zhang(scale: Scale) -> Finding:
    table = hazards(scale)
    ratio = {}
    for name, part in table.groupby("group", sort=False):
        h = part.set_index("from_day")["hazard"]
        ratio[name] = float(h.loc[0] / max(h.loc[60], 1e-9))
    worst = min(ratio.values())
    return Finding(worst, 2.0, np.inf,
                   "first week vs 60–120 days: " + ", ".join(f"{g} {r:.1f}x" for g, r in ratio.items()),
                   table)


# The seeds (shared/DOMAIN.md §3) --------------------------------------------------------
def _lifetime(run: Run) -> float:
    return run.summary["lifetime_days"]


@fact("seeds_temporary_groups_die_in_a_week", "seeds 001, 004",
      "temporary (course, event) groups die in about a week",
      "about 7 days (band: mean lifetime 4–10 days)", "calibrated",
      "the course ends: lectures stop, the lecturer leaves, needs are met, strangers have no ties",
      _COURSE_NEVER_ENDS,
      "the course archetype's `event_days`, `event_stir`, `owner_active_days`, `chat_propensity`")
def temporary(scale: Scale) -> Finding:
    life = np.array(_each(_lifetime, _seeds(scale, "group=course", "days=60"), scale.jobs), float)
    mean = float(life.mean())
    return Finding(mean, 4, 10, f"mean {mean:.1f} days over {len(life)} course groups",
                   pd.DataFrame({"lifetime_days": life}), ci=bootstrap_ci(life))


@fact("seeds_long_term_groups_live_past_30_days", "seeds 001, 004",
      "long-term (interest, group-buy) groups live past 30 days",
      "past 30 days (band: at least 75% of groups; group traits let some die)", "calibrated",
      "members' needs served by each other's content, chat and ties keep them reading and talking",
      ("population.content_value=0", "population.chat_value=0", "population.tie_value=0"),
      "the interest and group-buy archetypes' `chat_propensity`, `need_profile`")
def long_term(scale: Scale) -> Finding:
    runs = _seeds(scale, "group=interest", "days=60") + _seeds(scale, "group=groupbuy", "days=60")
    life = np.array(_each(_lifetime, runs, scale.jobs), float)
    past = life > 30
    share = float(past.mean())
    return Finding(share, 0.75, 1.0, f"{share:.0%} of {len(life)} groups live past day 30",
                   pd.DataFrame({"lifetime_days": life}), ci=_share_ci(past))


def _cooling(run: Run) -> float:
    """Members' conversation on days 15-30 over that on the course days."""
    talk = run.daily.set_index("day")["conversation"]
    course = talk.loc[1:max(run.config.group.event_days, 1)].mean()
    return float(talk.loc[15:30].mean() / max(course, 1e-9))


@fact("seeds_groups_cool_without_continuing_value", "seeds 001, 003",
      "a group cools fast once it stops bringing value (the course ends, nothing replaces it)",
      "forgotten (band: days 15–30 below 10% of the course days' conversation)", "calibrated",
      "habit follows satisfaction: with no content, members stop opening the group and mute it",
      _COURSE_NEVER_ENDS, "`population.habit_rate`, `habit_floor`; the course archetype")
def cooling(scale: Scale) -> Finding:
    ratios = np.array(_each(_cooling, _seeds(scale, "group=course", "days=60"), scale.jobs))
    ratio = float(ratios.mean())
    return Finding(ratio, 0.0, 0.10, f"{ratio:.1%} of the course days' conversation",
                   pd.DataFrame({"after_over_during": ratios}), ci=bootstrap_ci(ratios))


SPAMMY = ("group.roles.spammers=0.08", "days=90")


def _bad_money(run: Run) -> dict[str, float]:
    """Junk share of messages early and late; leaving by need intensity (劣币驱逐良币)."""
    daily, table, m = run.daily, run.members, run.model.members
    junk = (daily["msg_spam"] + daily["msg_ad"]) / daily["messages"].clip(lower=1)
    role = table["role"].to_numpy()
    ordinary = (table["joined_day"].to_numpy() == 0) & ~np.isin(role, ["owner", "admin", "spammer"])
    intensity = m.intensity[: m.n]
    gone = table["exit_day"].notna().to_numpy()
    high = ordinary & (intensity >= np.quantile(intensity[ordinary], 0.75))
    low = ordinary & (intensity <= np.quantile(intensity[ordinary], 0.25))
    return {"junk_early": float(junk.iloc[:14].mean()), "junk_late": float(junk.iloc[60:].mean()),
            "high_need_gone": float(gone[high].mean()), "low_need_gone": float(gone[low].mean())}


@fact("seeds_spam_rises_and_drives_out_high_need_members", "seeds 003, 004",
      "without moderation spam takes over and high-need members leave first (劣币驱逐良币)",
      "both (band: junk share rises; high-need quarter leaves more than the low-need quarter)",
      "built in",
      "junk costs a reader in proportion to their need (what it crowds out): the claim itself",
      ("population.spam_cost=0",))
def bad_money(scale: Scale) -> Finding:
    table = pd.DataFrame(_each(_bad_money, _seeds(scale, "strategy=none", *SPAMMY), scale.jobs))
    rise = table["junk_late"].mean() - table["junk_early"].mean()
    gap = table["high_need_gone"] - table["low_need_gone"]
    both = float(min(rise, gap.mean()) > 0)
    return Finding(both, 1.0, 1.0,
                   f"junk share {table['junk_early'].mean():.0%} → {table['junk_late'].mean():.0%}; "
                   f"gone: high-need {table['high_need_gone'].mean():.0%}, "
                   f"low-need {table['low_need_gone'].mean():.0%}", table)


@functools.cache
def _packet_schedule():
    return compose_config(["strategy=red_packets"]).strategy.red_packets


def _packet_outcomes(run: Run) -> dict[str, float]:
    """Messages on the red-packet strategy's packet days after the launch day (the same days
    in both arms), and lurkers and sales after the first two weeks."""
    daily = run.daily.set_index("day")
    packets = _packet_schedule()
    packet_days = [d for d in daily.index if d > 1 and packets.due(d)]
    later = daily.loc[15:]
    return {"messages_on_packet_days": float(daily.loc[packet_days, "messages"].mean()),
            "lurker_share": float((later["lurkers"] / later["members"].clip(lower=1)).mean()),
            "conversions": float(daily["conversions"].sum())}


@fact("seeds_red_packets_raise_messages_not_engagement", "seed 000",
      "red packets raise messages, but lurkers keep lurking and sales do not follow",
      "messages up, lurkers and sales flat (band: packet-day messages +15% or more; "
      "lurker share within ±10%; conversions below +15% and below half the message lift)",
      "validated",
      "a packet pulls readers in and grabbers thank by their own talkativeness (lurkers rarely "
      "do); purchases follow offers read by habit, not packets",
      ("strategy.red_packets.pull=0", "strategy.red_packets.thanks=0",
       "population.packet_lucky_send=0", "population.packet_other_send=0"))
def red_packets(scale: Scale) -> Finding:
    arms = {s: pd.DataFrame(_each(_packet_outcomes, _seeds(scale, "group=groupbuy", f"strategy={s}",
                                                           "days=84"), scale.jobs))
            for s in ("none", "red_packets")}
    base, treated = arms["none"].mean(), arms["red_packets"].mean()
    change = treated / base.replace(0, np.nan) - 1
    messages, lurkers, sales = (change["messages_on_packet_days"], change["lurker_share"],
                                change["conversions"])
    ok = messages >= 0.15 and abs(lurkers) <= 0.10 and sales < min(0.15, 0.5 * messages)
    return Finding(float(ok), 1.0, 1.0,
                   f"packet-day messages {messages:+.0%}, lurker share {lurkers:+.0%}, "
                   f"conversions {sales:+.0%} (group-buy group, {scale.seeds} seed pairs)",
                   pd.DataFrame({"none": base, "red_packets": treated, "change": change}))


# Joyce & Kraut (JCMC 2006): a reply brings a newcomer back ----------------------------
NEWCOMERS = ("group=interest", "group.invite_rate=0.03", "days=90")


def _first_posts(run: Run) -> pd.DataFrame:
    """Real newcomers' (joined after day 7) first own post in days 8-60: answered? posted again?"""
    m = run.model.members
    first, last, joined = m.column("first_post_day"), m.column("last_post_day"), m.column("joined_day")
    seen = ((joined > 7) & (first >= 1) & (first <= 60)
            & ~np.isin(m.column("role"), [Role.OWNER, Role.ADMIN, Role.SPAMMER]))
    return pd.DataFrame({"replied": m.column("first_post_replied")[seen].astype(bool),
                         "returned": last[seen] > first[seen]})


@functools.lru_cache(maxsize=4)
def first_posts(scale: Scale) -> pd.DataFrame:
    return pd.concat(_each(_first_posts, _seeds(scale, *NEWCOMERS), scale.jobs))


_REPLY_MECHANISM = ("an answer shows a newcomer their words are welcome (norms), ties them to "
                    "the one who answered and draws them back (habit)")
_NO_REPLY_EFFECT = ("population.reply_habit_boost=0", "population.tie_per_reply=0",
                    "population.reply_welcomes=0")


@fact("joyce_kraut_reply_lift", "Joyce & Kraut, JCMC 2006",
      "a newcomer whose first post is answered posts again more often (44% → 56%)",
      "+12 points (band: +5 to +20 points, newcomers who joined after day 7)", "calibrated",
      _REPLY_MECHANISM, _NO_REPLY_EFFECT, "`population.reply_habit_boost`, `tie_per_reply`",
      effect=True)
def joyce_kraut(scale: Scale) -> Finding:
    table = first_posts(scale)
    rates = table.groupby("replied")["returned"].mean()
    lift = float(rates.get(True, np.nan) - rates.get(False, np.nan))
    return Finding(lift, 0.05, 0.20,
                   f"{rates.get(False, np.nan):.0%} → {rates.get(True, np.nan):.0%} "
                   f"({lift * 100:+.0f} points, {len(table)} newcomers' first posts)", table)


@fact("joyce_kraut_return_level", "Joyce & Kraut, JCMC 2006",
      "newcomers whose first post goes unanswered post again 44% of the time",
      "44% (band 34–54%)", "validated",
      "newcomers hold back until they know what is welcome; without commitment a poor start "
      "drives them out", ("population.norm_hesitation=0", "population.tie_commitment=0",
                          "population.benefit_commitment=0"))
def joyce_kraut_level(scale: Scale) -> Finding:
    table = first_posts(scale)
    unanswered = table.loc[~table["replied"], "returned"].to_numpy(float)
    level = float(unanswered.mean()) if len(unanswered) else np.nan
    return Finding(level, 0.34, 0.54, f"{level:.0%} of {len(unanswered)} unanswered newcomers",
                   table, ci=bootstrap_ci(unanswered) if len(unanswered) else None)


# Jones, Ravid & Rafaeli (ISR 2004): information overload -------------------------------
VOLUME = (0.5, 1.0, 2.0, 4.0, 8.0)  # group.chat_propensity: how much members chat


def _overload(run: Run) -> dict[str, float]:
    daily, table, m = run.daily, run.members, run.model.members
    first, last = m.column("first_post_day"), m.column("last_post_day")
    early = (first >= 0) & (first <= 7)
    return {"chat_propensity": run.config.group.chat_propensity,
            "messages_per_member_day": float((daily["messages"] / daily["members"].clip(lower=1)).mean()),
            "stopped_posting": float((last[early] < len(daily) - 14).mean()),
            "left": float(table.loc[table["joined_day"] == 0, "exit_day"].notna().mean())}


@fact("jones_ravid_rafaeli_overload", "Jones, Ravid & Rafaeli, ISR 2004",
      "as messages per member per day rise, members stop posting and leave more",
      "monotone (band: both rise at every step of a volume sweep)", "validated",
      "messages beyond a member's attention (what their other groups leave of it) cost them",
      ("population.noise_cost=0",))
def overload(scale: Scale) -> Finding:
    runs = [o for v in VOLUME for o in _seeds(scale, "group=interest", "days=60",
                                                 f"group.chat_propensity={v}",
                                                 "group.variation.talk=0")]
    table = pd.DataFrame(_each(_overload, runs, scale.jobs))
    means = table.groupby("chat_propensity").mean()  # sorted by the swept volume knob
    rising = all((np.diff(means[c].to_numpy()) > 0).all()
                 for c in ("messages_per_member_day", "stopped_posting", "left"))
    rho = stats.spearmanr(table["messages_per_member_day"], table["left"]).statistic
    return Finding(float(rising), 1.0, 1.0,
                   f"{means['messages_per_member_day'].iloc[0]:.1f} → "
                   f"{means['messages_per_member_day'].iloc[-1]:.1f} msgs/member/day: stopped "
                   f"{means['stopped_posting'].iloc[0]:.0%} → {means['stopped_posting'].iloc[-1]:.0%}, "
                   f"left {means['left'].iloc[0]:.0%} → {means['left'].iloc[-1]:.0%} "
                   f"(Spearman ρ volume–leaving {rho:.2f} over runs)", table)


# Butler (ISR 2001): size brings both gain and loss -------------------------------------
SIZES = (30, 100, 300)


def _size(run: Run) -> dict[str, float]:
    daily, table = run.daily, run.members
    founders = table[(table["joined_day"] == 0) & ~table["role"].isin(["owner", "admin"])]
    late = daily.iloc[-30:]
    return {"founders_left": float(founders["exit_day"].notna().mean()),
            "founders_lost": float((founders["exit_day"].notna() | founders["muted_day"].notna()).mean()),
            "active_share": float((late["active"] / late["members"].clip(lower=1)).mean())}


@fact("butler_size_brings_loss", "Butler, ISR 2001",
      "larger groups lose a larger share of their members (more communication, more to filter)",
      "rises with size (band: founders who left or muted rises at every size step)", "validated",
      "more members post more messages than each member's attention holds: the flood mutes "
      "and drives out", ("population.noise_cost=0",))
def butler(scale: Scale) -> Finding:
    runs = [o for n in SIZES for o in _seeds(scale, "group=interest", "days=90",
                                                f"group.initial_members={n}",
                                                "group.variation.size=0")]
    table = pd.DataFrame(_each(_size, runs, scale.jobs))
    table["initial_members"] = np.repeat(SIZES, scale.seeds)
    means = table.groupby("initial_members").mean()
    rising = bool((np.diff(means["founders_lost"].to_numpy()) > 0).all())
    return Finding(float(rising), 1.0, 1.0,
                   "founders who left or muted by size " + ", ".join(
                       f"{n}: {v:.0%}" for n, v in means["founders_lost"].items())
                   + "; active share late " + ", ".join(
                       f"{n}: {v:.0%}" for n, v in means["active_share"].items()), table)


# Matias (PNAS 2019): announcing rules to newcomers ---------------------------------------
def _newcomers_posting(run: Run, within: int = 14) -> tuple[int, int]:
    """(newcomers, those who posted on their own within ``within`` days of joining).

    Spammers are left out: the rules deter them, which is a different claim.
    """
    m = run.model.members
    joined, first = m.column("joined_day"), m.column("first_post_day")
    new = (joined >= 1) & (joined <= run.config.days - within) & (m.column("role") != Role.SPAMMER)
    posted = (first >= 0) & (first <= joined + within)
    return int(new.sum()), int((new & posted).sum())


@fact("matias_rules_raise_newcomer_posting", "Matias, PNAS 2019",
      "announcing the rules to newcomers raises their participation (about +70% relative)",
      "+70% (band: at least +30% relative, 95% CI above zero)", "calibrated",
      "newcomers hold back until they know what is welcome; the rules tell them at once, "
      "where watching others talk teaches it slowly", ("population.norm_hesitation=0",),
      "`population.norm_hesitation`, `norm_learning`", effect=True)
def matias(scale: Scale) -> Finding:
    """Onboarding with and without the rules announcement, all else (welcome, matches) equal.

    Newcomers are not asked to introduce themselves in either arm: Matias
    measured whether newcomers joined discussions, and a prompted
    introduction would be a first post in both arms.
    """
    common = ("group=interest", "group.invite_rate=0.01", "days=90", "strategy=onboarding",
              "strategy.onboarding.introduce=0")  # no prompted self-introduction: rules alone
    base = np.array(_each(_newcomers_posting, _seeds(scale, *common, "strategy.onboarding.rules=false"),
                          scale.jobs))
    told = np.array(_each(_newcomers_posting, _seeds(scale, *common), scale.jobs))
    share = lambda x: x[:, 1] / np.maximum(x[:, 0], 1)
    diffs = share(told) - share(base)
    low, high = bootstrap_ci(diffs)
    relative = float(share(told).mean() / max(share(base).mean(), 1e-9) - 1)
    table = pd.DataFrame({"newcomers_no_rules": base[:, 0], "posted_no_rules": base[:, 1],
                          "newcomers_rules": told[:, 0], "posted_rules": told[:, 1]})
    return Finding(relative, 0.30, np.inf,
                   f"{share(base).mean():.0%} → {share(told).mean():.0%} of newcomers post within "
                   f"14 days when told the rules ({relative:+.0%} relative; paired difference 95% CI "
                   f"{low * 100:+.0f} to {high * 100:+.0f} points)", table, also=low > 0)


# Owner charisma (seeds 000, 001): a strong owner retains better early -------------------
def _retention(run: Run) -> float:
    return run.summary["retention_day30"]


@fact("seeds_strong_owner_retains_early", "seeds 000, 001",
      "groups with a strong owner (charisma, a recognisable persona, 臉譜效應) retain better early",
      "better (band: day-30 founder retention at least 1 point higher, charisma 0.95 vs 0)",
      "built in",
      "members who know an engaged, charismatic owner count that tie in their commitment, read "
      "the owner's posts as a friend's, and start with more trust",
      ("population.tie_commitment=0", "population.tie_value=0"), effect=True)
def charisma(scale: Scale) -> Finding:
    arms = {c: np.array(_each(_retention, _seeds(scale, "group=interest", "days=30",
                                                  f"group.owner_charisma={c}"), scale.jobs))
            for c in (0.0, 0.95)}
    diffs = arms[0.95] - arms[0.0]
    gain = float(diffs.mean())
    return Finding(gain, 0.01, 1.0,
                   f"day-30 retention {arms[0.0].mean():.1%} → {arms[0.95].mean():.1%} "
                   f"({gain * 100:+.1f} points, {scale.seeds} seed pairs)",
                   pd.DataFrame({"charisma_0": arms[0.0], "charisma_095": arms[0.95]}),
                   ci=bootstrap_ci(diffs))


# Yuan et al. (Management Science 2024): gift contagion -----------------------------------
def _gifts(run: Run) -> dict[str, float]:
    packets = run.summary["red_packets"]
    return {"received": packets["received"], "sent_back": packets["sent_back"],
            "by_luckiest": packets["sent_back"] * (packets["luckiest_share"] or 0.0)}


@fact("yuan_red_packets_sent_back", "Yuan et al., Management Science 2024",
      "recipients send about 18% of red-packet money back within 24 h, mostly the luckiest",
      "18% (band 10–30%; the luckiest recipient sends most of it)", "calibrated",
      "the luckiest grabber is expected to send the next packet; others sometimes do",
      ("population.packet_lucky_send=0", "population.packet_other_send=0"),
      "`population.packet_lucky_send`, `packet_other_send`, `packet_send_multiple`, "
      "`packet_min_grab`", effect=True)
def yuan(scale: Scale) -> Finding:
    table = pd.DataFrame(_each(_gifts, _seeds(scale, "strategy=red_packets", "days=60"), scale.jobs))
    ratio = float(table["sent_back"].sum() / max(table["received"].sum(), 1e-9))
    luckiest = float(table["by_luckiest"].sum() / max(table["sent_back"].sum(), 1e-9))
    return Finding(ratio, 0.10, 0.30,
                   f"{ratio:.0%} sent back ({luckiest:.0%} of it by the luckiest recipient)", table,
                   also=luckiest > 0.5)
