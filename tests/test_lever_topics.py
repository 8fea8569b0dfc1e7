"""Topics (制造话题): need-matched topics stir talk; off-need ones are noise; heat breeds quarrels.

Seeds 001 and 000: the operator, with planted helpers (托), throws hot topics
that match members' needs into the group to get discussion going; DOMAIN.md
§2: off-need topics are noise, and heated topics can turn into quarrels that
must be cooled (000: 不允許群員吵架).

Each claim is a seed-paired comparison against the same group without the
lever (``strategy=none``) or with the lever set differently. Topics go out
every other day (days 1, 3, 5, ...); "conversation" is the members' own talk
(the daily column excludes the operator's and helpers' posts, spam and ads).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from conftest import ARCHETYPE, mean_of, over_seeds, paired
from sim.api import compose_config, run

DAYS = 60
SEEDS = tuple(range(6))
BASE = ("strategy=none", f"days={DAYS}")
TOPICS = ("strategy=topics", f"days={DAYS}")
OFF_NEED = (*TOPICS, "strategy.topics.match=0")
TOPIC_DAYS = list(range(3, DAYS + 1, 2))


def _on_topic_days(column):
    return lambda r: float(r.daily.set_index("day").loc[TOPIC_DAYS, column].mean())


def _lift(treated: tuple[str, ...], column: str) -> float:
    """Mean over seeds of the paired difference on topic days."""
    f = _on_topic_days(column)
    return float(np.mean([f(t) - f(b) for b, t in paired(BASE, treated, seeds=SEEDS)]))


def test_need_matched_topics_raise_conversation():
    base = mean_of(over_seeds(*BASE, seeds=SEEDS), _on_topic_days("conversation"))
    lift = _lift(TOPICS, "conversation")
    assert lift > 0.3 * base, f"topic days: members' conversation +{lift:.1f} on {base:.1f}"
    per_seed = [_on_topic_days("conversation")(t) - _on_topic_days("conversation")(b)
                for b, t in paired(BASE, TOPICS, seeds=SEEDS)]
    assert min(per_seed) > 0, per_seed


def test_need_matched_topics_raise_members_valuable_posts():
    """Discussion on members' needs carries content, not only chit-chat."""
    base = mean_of(over_seeds(*BASE, seeds=SEEDS), _on_topic_days("msg_valuable"))
    # the operator's own opening post is one valuable message a topic day
    lift = _lift(TOPICS, "msg_valuable") - 1.0
    assert lift > 0.3 * base, f"topic days: members' valuable posts +{lift:.1f} on {base:.1f}"


def test_off_need_topic_stirs_much_less():
    matched = _lift(TOPICS, "conversation")
    off = _lift(OFF_NEED, "conversation")
    assert off < 0.25 * matched, f"off-need topic +{off:.1f} vs need-matched +{matched:.1f}"


def test_partly_matched_topic_stirs_in_between():
    """The stir grows with the match: a half-matched topic sits between off-need and matched."""
    off = _lift(OFF_NEED, "conversation")
    half = _lift((*TOPICS, "strategy.topics.match=0.5"), "conversation")
    matched = _lift(TOPICS, "conversation")
    assert off + 0.2 * (matched - off) < half < matched - 0.2 * (matched - off), (off, half, matched)


def test_off_need_topics_are_noise():
    """Off-need topics cost the operator's hours and bring no conversation over the run."""
    total = lambda r: r.daily["conversation"].sum()  # noqa: E731
    runs = paired(BASE, OFF_NEED, seeds=SEEDS)
    base = mean_of([b for b, _ in runs], total)
    off = mean_of([t for _, t in runs], total)
    assert off < 1.03 * base, f"conversation over {DAYS} days: {off:.0f} with off-need topics, {base:.0f} without"
    assert all(t.summary["spend_hours"] > 0 for _, t in runs)


# Heat and quarrels --------------------------------------------------------------------
# A few more contrarians (钻牛角尖) than the default, so quarrels are countable; at the
# archetype (group traits off): quarrels come from a handful of contrarians, and v2's
# between-group spread in size and talk makes their count swing more than heat does.
HOT_GROUP = ("group.roles.contrarians=0.05", *ARCHETYPE)


def _quarrels(r) -> float:
    return float(r.daily["msg_quarrel"].sum())


def test_heated_topics_turn_into_quarrels():
    cool = over_seeds(*TOPICS, *HOT_GROUP, "strategy.topics.heat=0", seeds=SEEDS)
    hot = over_seeds(*TOPICS, *HOT_GROUP, "strategy.topics.heat=3", seeds=SEEDS)
    base = over_seeds(*BASE, *HOT_GROUP, seeds=SEEDS)
    q_cool, q_hot, q_base = (mean_of(x, _quarrels) for x in (cool, hot, base))
    assert q_hot > 1.6 * q_cool, f"quarrels: heat 3 {q_hot:.1f}, heat 0 {q_cool:.1f}"
    assert q_hot > 1.6 * q_base, f"quarrels: heated topics {q_hot:.1f}, no topics {q_base:.1f}"
    assert sum(_quarrels(h) > _quarrels(c) for h, c in zip(hot, cool)) >= len(SEEDS) - 1


@lru_cache(maxsize=32)
def _hot_topics(seed: int, with_rules: bool):
    rules = ["strategy.rules.enabled=true"] if with_rules else []  # add rules to the topics playbook
    return run(compose_config([*TOPICS, *HOT_GROUP, "strategy.topics.heat=3", f"seed={seed}", *rules]))


def test_rules_cool_heated_topics():
    """Quarrels must be cooled (000): with rules in force, less of the talk is quarrel."""
    share = lambda r: _quarrels(r) / max(r.daily["conversation"].sum(), 1)  # noqa: E731
    hot = [share(_hot_topics(s, False)) for s in SEEDS]
    cooled = [share(_hot_topics(s, True)) for s in SEEDS]
    assert all("rules" in _hot_topics(s, True).summary["lever_uses"] for s in SEEDS)
    assert np.mean(cooled) < 0.8 * np.mean(hot), f"quarrel share {np.mean(cooled):.4f} vs {np.mean(hot):.4f}"
