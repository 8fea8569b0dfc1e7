"""Published facts about real groups, each with the simulation that checks it.

A fact names its source, the published figure, the band the model must land
in, and the parameters it constrains (the ones an analyst would have to move
to break it). ``measure`` runs the model at a given ``Scale`` and returns a
``Finding``: the simulated figure beside the band, and the data behind it.
Every run goes through ``sim.api.simulate``, the same path as the CLI.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import stats

from sim.analysis.effects import bootstrap_ci
from sim.api import Run, compose_config, simulate
from sim.members import Role


@dataclass(frozen=True)
class Scale:
    """How many runs back each figure: the report uses more, the CI test fewer."""

    seeds: int = 16
    groups: int = 200   # groups in the Qiu et al. population
    jobs: int = 1


@dataclass
class Finding:
    """A simulated figure, its band, and the table it was computed from.

    ``also`` carries the rest of a claim that is not the banded figure (the
    luckiest recipient sends most): the fact passes only if it holds too.
    """

    simulated: float
    low: float
    high: float
    shown: str
    data: pd.DataFrame = field(default_factory=pd.DataFrame)
    also: bool = True

    @property
    def passed(self) -> bool:
        return bool(self.low <= self.simulated <= self.high and self.also)


@dataclass(frozen=True)
class Fact:
    key: str
    source: str
    claim: str
    published: str
    constrains: str
    measure: Callable[[Scale], Finding]


FACTS: list[Fact] = []


def fact(key: str, source: str, claim: str, published: str, constrains: str):
    """Register a measuring function as a fact (in report order)."""
    def register(measure: Callable[[Scale], Finding]) -> Callable[[Scale], Finding]:
        FACTS.append(Fact(key, source, claim, published, constrains, measure))
        return measure
    return register


def _each(measure: Callable[[Run], Any], runs: Iterable[tuple[str, ...]], jobs: int) -> list[Any]:
    """``measure`` of each run; runs in worker processes return only the measure."""
    work = (delayed(_measured)(measure, overrides) for overrides in runs)
    return Parallel(n_jobs=jobs)(work) if jobs != 1 else [_measured(measure, o) for o in runs]


def _measured(measure: Callable[[Run], Any], overrides: tuple[str, ...]) -> Any:
    return measure(simulate(list(overrides)))


def _seeds(scale: Scale, *overrides: str) -> list[tuple[str, ...]]:
    return [(*overrides, f"seed={s}") for s in range(scale.seeds)]


# Qiu et al. (WWW 2016): the lifecycle of WeChat groups -------------------------------
# The archetype mix of the simulated population: half temporary (event and
# course) groups, the rest long-term groups with an owner who keeps posting
# (brand/customer groups), or groups held together by a need (interest, group-buy).
MIX = {"course": 0.5, "brand": 0.4, "interest": 0.05, "groupbuy": 0.05}
WINDOW = 34  # Qiu et al. observed groups over a 34-day window


@functools.lru_cache(maxsize=4)
def lifecycles(scale: Scale) -> pd.DataFrame:
    """Each group's fate in the window (both Qiu figures read one population)."""
    return pd.DataFrame(_each(_lifecycle, population(scale), scale.jobs))


def population(scale: Scale) -> list[tuple[str, ...]]:
    """Groups drawn from MIX by quota (no sampling noise in the mix), one seed each.

    Quotas are rounded by largest remainder, so they add up to ``scale.groups``.
    """
    exact = {g: w * scale.groups for g, w in MIX.items()}
    quotas = {g: int(x) for g, x in exact.items()}
    for g in sorted(exact, key=lambda g: quotas[g] - exact[g])[: scale.groups - sum(quotas.values())]:
        quotas[g] += 1
    return [(f"group={g}", "strategy=none", f"days={WINDOW}", f"seed={1000 + i}")
            for g, n in quotas.items() for i in range(n)]


def _lifecycle(run: Run) -> dict[str, Any]:
    quiet = run.config.death.quiet_messages
    tail = run.daily["conversation"].iloc[30:]
    return {"group": run.config.group.name, "lifetime_days": run.summary["lifetime_days"],
            "died": run.summary["died"],
            "silent_in_a_week": run.summary["died"] and run.summary["lifetime_days"] <= 7,
            "active_after_30_days": bool((tail >= quiet).any())}


_QIU_CONSTRAINS = ("the archetype mix (`sim.validation.facts.MIX`), the course group's "
                   "`chat_propensity`, `event_days`, `owner_active_days`, and the death rule "
                   "`death.quiet_messages`/`death.quiet_days`")


@fact("qiu_silent_in_a_week", "Qiu et al., WWW 2016",
      "about 40% of WeChat groups go silent within a week (474,726 groups, 34-day window)",
      "40% (band 30–50%)", _QIU_CONSTRAINS)
def qiu_silent(scale: Scale) -> Finding:
    table = lifecycles(scale)
    share = float(table["silent_in_a_week"].mean())
    return Finding(share, 0.30, 0.50, f"{share:.0%} of {len(table)} groups", table)


@fact("qiu_active_after_30_days", "Qiu et al., WWW 2016",
      "about 30% of WeChat groups are still active after 30 days",
      "30% (band 20–40%)", _QIU_CONSTRAINS + "; the brand group's `owner_posts_per_day`")
def qiu_active(scale: Scale) -> Finding:
    table = lifecycles(scale)
    share = float(table["active_after_30_days"].mean())
    return Finding(share, 0.20, 0.40, f"{share:.0%} of {len(table)} groups", table)


# The seeds (shared/DOMAIN.md §3) --------------------------------------------------------
def _lifetime(run: Run) -> float:
    return run.summary["lifetime_days"]


@fact("seeds_temporary_groups_die_in_a_week", "seeds 001, 004",
      "temporary (course, event) groups die in about a week",
      "about 7 days (band: mean lifetime 4–10 days)",
      "course group `event_days`, `owner_active_days`, `chat_propensity`, `population.novelty_days`")
def temporary(scale: Scale) -> Finding:
    life = _each(_lifetime, _seeds(scale, "group=course", "days=60"), scale.jobs)
    mean = float(np.mean(life))
    return Finding(mean, 4, 10, f"mean {mean:.1f} days over {len(life)} course groups",
                   pd.DataFrame({"lifetime_days": life}))


@fact("seeds_long_term_groups_live_past_30_days", "seeds 001, 004",
      "long-term (interest, group-buy) groups live past 30 days",
      "past 30 days (band: at least 90% of groups)",
      "interest and group-buy `need_profile`, `fulfilment_rate`, `population.habit_floor`")
def long_term(scale: Scale) -> Finding:
    runs = _seeds(scale, "group=interest", "days=60") + _seeds(scale, "group=groupbuy", "days=60")
    life = np.array(_each(_lifetime, runs, scale.jobs))
    share = float((life > 30).mean())
    return Finding(share, 0.9, 1.0, f"{share:.0%} of {len(life)} groups live past day 30",
                   pd.DataFrame({"lifetime_days": life}))


def _cooling(run: Run) -> float:
    """Messages on days 15-30 over those on the course days."""
    messages = run.daily.set_index("day")["messages"]
    return float(messages.loc[15:30].mean() / max(messages.loc[1:run.config.group.event_days].mean(), 1e-9))


@fact("seeds_groups_cool_without_continuing_value", "seeds 001, 003",
      "a group cools fast once it stops bringing value (the course ends, nothing replaces it)",
      "forgotten (band: days 15–30 below 10% of the course days' messages)",
      "`population.habit_rate`, `habit_floor`, `mute_threshold`, `content_value`")
def cooling(scale: Scale) -> Finding:
    ratios = _each(_cooling, _seeds(scale, "group=course", "days=60"), scale.jobs)
    ratio = float(np.mean(ratios))
    return Finding(ratio, 0.0, 0.10, f"{ratio:.1%} of the course days' volume",
                   pd.DataFrame({"after_over_during": ratios}))


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
      "`population.spam_rate`, `spam_cost`, `ad_cost`, `leave_threshold`; group `roles.spammers`")
def bad_money(scale: Scale) -> Finding:
    table = pd.DataFrame(_each(_bad_money, _seeds(scale, "strategy=none", *SPAMMY), scale.jobs))
    rise = table["junk_late"].mean() - table["junk_early"].mean()
    gap = table["high_need_gone"].mean() - table["low_need_gone"].mean()
    both = float(min(rise, gap) > 0)
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
      "`strategy.red_packets.pull`, `thanks`; `population.reward_value`, `packet_*`")
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
def _first_posts(run: Run) -> pd.DataFrame:
    """Members' first own post in days 1-60 of a 90-day run: answered? posted again?"""
    m = run.model.members
    first, last = m.column("first_post_day"), m.column("last_post_day")
    seen = (first >= 1) & (first <= 60) & ~np.isin(m.column("role"), [Role.OWNER, Role.SPAMMER])
    return pd.DataFrame({"replied": m.column("first_post_replied")[seen].astype(bool),
                         "returned": last[seen] > first[seen]})


@fact("joyce_kraut_reply_brings_newcomers_back", "Joyce & Kraut, JCMC 2006",
      "a newcomer whose first post is answered posts again more often (44% → 56%)",
      "+12 points (band: +5 to +20 points)",
      "`population.reply_habit_boost`, `reply_rate`, `friend_reply`, `tie_per_reply`")
def joyce_kraut(scale: Scale) -> Finding:
    table = pd.concat(_each(_first_posts, _seeds(scale, "group=interest", "days=90"), scale.jobs))
    rates = table.groupby("replied")["returned"].mean()
    lift = float(rates.get(True, np.nan) - rates.get(False, np.nan))
    return Finding(lift, 0.05, 0.20,
                   f"{rates.get(False, np.nan):.0%} → {rates.get(True, np.nan):.0%} "
                   f"({lift * 100:+.0f} points, {len(table)} first posts)", table)


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
      "monotone (band: both rise at every step of a volume sweep)",
      "`population.attention_capacity`, `capacity_spread`, `noise_cost`, `leave_threshold`")
def overload(scale: Scale) -> Finding:
    runs = [o for v in VOLUME for o in _seeds(scale, "group=interest", "days=60",
                                                 f"group.chat_propensity={v}")]
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
      "+70% (band: a clear positive effect, 95% CI above zero)",
      "`strategy.onboarding.rules_voice`; `population.novelty_boost`, `novelty_days`")
def matias(scale: Scale) -> Finding:
    """Onboarding with and without the rules announcement, all else (welcome, matches) equal."""
    common = ("group=interest", "group.invite_rate=0.01", "days=90", "strategy=onboarding")
    base = np.array(_each(_newcomers_posting, _seeds(scale, *common, "strategy.onboarding.rules_voice=0"),
                          scale.jobs))
    told = np.array(_each(_newcomers_posting, _seeds(scale, *common), scale.jobs))
    share = lambda x: x[:, 1] / np.maximum(x[:, 0], 1)
    diffs = share(told) - share(base)
    low, high = bootstrap_ci(diffs)
    relative = share(told).mean() / share(base).mean() - 1
    table = pd.DataFrame({"newcomers_no_rules": base[:, 0], "posted_no_rules": base[:, 1],
                          "newcomers_rules": told[:, 0], "posted_rules": told[:, 1]})
    return Finding(float(low > 0), 1.0, 1.0,
                   f"{share(base).mean():.0%} → {share(told).mean():.0%} of newcomers post within "
                   f"14 days when told the rules ({relative:+.0%} relative; paired difference 95% CI "
                   f"{low * 100:+.0f} to {high * 100:+.0f} points)", table)


# Yuan et al. (Management Science 2024): gift contagion -----------------------------------
def _gifts(run: Run) -> dict[str, float]:
    packets = run.summary["red_packets"]
    return {"received": packets["received"], "sent_back": packets["sent_back"],
            "by_luckiest": packets["sent_back"] * (packets["luckiest_share"] or 0.0)}


@fact("yuan_red_packets_sent_back", "Yuan et al., Management Science 2024",
      "recipients send about 18% of red-packet money back within 24 h, mostly the luckiest",
      "18% (band 10–30%; the luckiest recipient sends most of it)",
      "`population.packet_lucky_send`, `packet_other_send`, `packet_send_multiple`, `packet_min_grab`")
def yuan(scale: Scale) -> Finding:
    table = pd.DataFrame(_each(_gifts, _seeds(scale, "strategy=red_packets", "days=60"), scale.jobs))
    ratio = float(table["sent_back"].sum() / table["received"].sum())
    luckiest = float(table["by_luckiest"].sum() / max(table["sent_back"].sum(), 1e-9))
    return Finding(ratio, 0.10, 0.30,
                   f"{ratio:.0%} sent back ({luckiest:.0%} of it by the luckiest recipient)", table,
                   also=luckiest > 0.5)
