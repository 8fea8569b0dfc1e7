"""Members' daily decisions, one function per phase of the day.

Each phase reads the model and the day's uniforms ``u`` (one row per member
slot, one column per decision, see ``sim.randomness.Draw``); the per-member
arithmetic is compiled in ``sim.kernels``.

* ``open_group`` — who looks at the group today (habit, notifications);
* ``post`` — who posts what (need, disposition, momentum, stimuli);
* ``reply`` — posters who get an answer come back more and make ties;
* ``weigh`` — value served minus cost (001, 004): need-matched content,
  chat, friends and rewards against the unread flood, spam, quarrels, ads;
* ``update_members`` — satisfaction, habit, fulfilment, trust;
* ``move_on_ladder`` — active <-> lurker -> muted -> left, with a reason;
* ``buy`` — purchases from need, trust and activity (000).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from sim import gifts, kernels
from sim.feed import KINDS
from sim.members import EXPERTISE_BY_ROLE, Role, Status
from sim.randomness import Draw

if TYPE_CHECKING:
    from sim.model import GroupModel


def open_group(model: GroupModel, u: np.ndarray) -> np.ndarray:
    """Members who look at the group today: habit, plus any notification pull.

    Those who came by habit read the group (``today.readers``); a check-in
    (打卡) reminds those who hold its need to come and check in; together they
    are who may take part today (``today.talking``). Those a notification
    pulled in (an @all, a red packet) grab, glance and go.
    """
    m, today = model.members, model.today
    habit = m.column("habit")
    reach, draw = m.reachable, u[:, Draw.OPEN]
    reminded = np.zeros(m.n)
    if today.checkin_need is not None:
        reminded = today.checkin_strength * m.needs[: m.n, today.checkin_need]
    today.readers = reach & (draw < habit)
    today.talking = reach & (draw < habit + reminded * (1.0 - habit))
    pull = 1 - (1 - today.pull) * (1 - reminded)
    return reach & (draw < habit + pull * (1.0 - habit))


@dataclass
class Posts:
    """Messages posted by each member today, by kind (arrays over slots)."""

    valuable: np.ndarray
    chat: np.ndarray
    quarrel: np.ndarray
    spam: np.ndarray
    ad: np.ndarray
    thanks: np.ndarray

    @cached_property
    def total(self) -> np.ndarray:
        return self.valuable + self.chat + self.quarrel + self.spam + self.ad + self.thanks


@dataclass
class Friends:
    """For each member, how many friends posted today and how many read the group."""

    posted: np.ndarray
    reading: np.ndarray


def count_friends(model: GroupModel, posts: Posts, opened: np.ndarray) -> Friends:
    """Friends who talked (a charismatic owner counts for those who know them) and who read.

    Ties are what a group's life hangs on (001): friends' posts are worth
    reading, and friends reading are who answers.
    """
    m = model.members
    talked = (posts.total > 0) | model.posted_by_hook
    posted, reading = model.ties.count_two_flags(talked, opened)
    if talked[0]:
        posted += model.cfg.group.owner_charisma * m.column("knows_owner")
    model.friends_talked = posted
    return Friends(posted, reading)


def post(model: GroupModel, u: np.ndarray, opened: np.ndarray) -> Posts:
    """Who posts what today, and the feed it makes.

    Talk grows with talkativeness, novelty (a new group or newcomer is very
    active at first, 000), yesterday's momentum and today's topic; content
    comes from those with expertise and unmet need; contrarians quarrel,
    spammers spam whether or not anyone reads.
    """
    m, today, policy = model.members, model.today, model.policy
    n, names = m.n, m.need_names
    spammer = (m.column("role") == Role.SPAMMER) & m.reachable
    momentum = 1.0 + model.cfg.population.momentum * model.yesterday_per_member / (
        model.yesterday_per_member + 1.0)
    topic = today.topic if today.topic is not None else np.zeros(len(names))
    checkin = -1 if today.checkin_need is None else today.checkin_need
    talked = np.zeros(n)  # friends who talked yesterday (joiners since then: none)
    talked[: len(model.friends_talked)] = model.friends_talked
    counts = kernels.post_counts(
        model.knobs, u, model.day, today.talking, spammer, m.column("role"), m.column("talk"),
        m.column("joined_day"), m.column("intensity"), m.column("need_left"),
        m.column("deterrence"), talked, m.needs[:n], EXPERTISE_BY_ROLE,
        names.index("social"), momentum, topic, today.topic_strength, policy.chat_chill,
        today.heat, policy.quarrel_cooling, checkin, today.checkin_strength, m.column("norms"),
        m.column("recognition"))
    posts = Posts(*counts.T, thanks=_thank(model, u, opened))

    feed = today.feed
    feed.topic += posts.valuable @ m.needs[:n]
    feed.count += [getattr(posts, kind).sum() for kind in KINDS]
    m.messages[:n] += posts.total
    # a thanks is a post: whether lurkers say it is the question
    m.took_part(np.flatnonzero(posts.total), model.day)
    return posts


def _thank(model: GroupModel, u: np.ndarray, opened: np.ndarray) -> np.ndarray:
    """Red packets and prizes: grabbers who usually talk say thanks (000).

    "冒泡的出来说句谢谢,潜水的继续潜水": the propensity to thank is the member's
    own talkativeness, so lurkers grab the money and keep lurking.
    """
    m, today = model.members, model.today
    received = gifts.grab(model, u, opened)
    m.money_received[: m.n] = received
    if not (today.rewards or today.red_packets):
        return np.zeros(m.n, dtype=np.int64)
    p_thanks = np.minimum(1.0, today.thanks_prompt * m.column("talk") * m.column("habit"))
    return ((received > 0) & (u[:, Draw.THANKS] < p_thanks)).astype(np.int64)


def reply(model: GroupModel, u: np.ndarray, posts: Posts, friends: Friends) -> np.ndarray:
    """Posters who get a reply come back more, and a tie may form (Joyce & Kraut 2006).

    Anyone reading may answer, friends most of all: people answer people they
    know (000: everyone knows at least their inviter).
    """
    m, pop, policy = model.members, model.cfg.population, model.policy
    conversational = (posts.valuable + posts.chat) > 0
    conversational[model.today.prompted] = True  # a prompted self-introduction can be answered
    rate = pop.reply_rate * max(conversational.sum() - 1, 0) + pop.friend_reply * friends.reading
    replied = conversational & (u[:, Draw.REPLY] < -np.expm1(-rate))
    welcomed = model.today.welcomed
    if policy.onboarding and len(welcomed):
        answered = welcomed[conversational[welcomed] & ~replied[welcomed]]
        replied[answered] = True
        model.post("chat", len(answered))  # the operator's answers
    askers = np.flatnonzero(replied)
    if len(askers) == 0:
        return replied
    m.habit[askers] += pop.reply_habit_boost * (1 - m.habit[askers])
    # an answer tells a newcomer their words are welcome here (Joyce & Kraut 2006)
    m.norms[askers] += pop.reply_welcomes * (1.0 - m.norms[askers])
    m.first_post_replied[askers[m.first_post_day[askers] == model.day]] = 1
    talkers = np.flatnonzero(conversational)
    if len(talkers) > 1:
        pick = u[askers, Draw.PARTNER].astype(np.float64) * len(talkers)  # float64: index < len
        partners = talkers[pick.astype(np.int64)]
        keep = u[askers, Draw.TIE] < pop.tie_per_reply
        model.ties.connect(askers[keep], partners[keep])
    return replied


@dataclass
class Reading:
    """What reading the group was worth to each member today."""

    value: np.ndarray
    noise: np.ndarray
    annoyance: np.ndarray
    content: np.ndarray

    @property
    def net(self) -> np.ndarray:
        return self.value - self.noise - self.annoyance


def weigh(model: GroupModel, opened: np.ndarray, friends: Friends) -> Reading:
    """Value served minus cost for every member (001, 004).

    Everyone whose notifications are on pays for the unread flood beyond
    their attention capacity (the red dot, 004); only those who opened the
    group get its value (need-matched content, chat for the social, friends
    talking, money received) and see its spam, quarrels and ads.
    """
    m, pop, feed, names = model.members, model.cfg.population, model.today.feed, model.members.need_names
    ad_share = feed["ad"] / max(feed.total, 1.0)
    selling = max(ad_share - pop.ad_tolerance, 0.0) / (1 - pop.ad_tolerance + 1e-9)
    value, noise, annoyance, content = kernels.weigh(
        model.knobs, opened, m.reachable, m.needs[: m.n], names.index("social"),
        names.index("purchase"), m.column("intensity"), m.column("need_left"),
        m.column("attention"), friends.posted, m.column("habit"), feed.topic,
        feed["chat"] + 0.2 * feed["thanks"], feed["ad"], feed["spam"], feed["quarrel"],
        feed.total, feed.scheduled, selling, model.today.irritation)
    return Reading(value, noise, annoyance, content)


def update_members(model: GroupModel, opened: np.ndarray, reading: Reading, posts: Posts) -> None:
    """Satisfaction and grievances (EWMA), habit, fulfilment, trust, benefit, norms.

    Practice builds habit for those who read or took part today, not for those
    a notification pulled in to grab a packet and go.
    """
    m, feed = model.members, model.today.feed
    engaged = model.today.talking | ((posts.total - posts.thanks) > 0)
    kernels.update(
        model.knobs, model.day, opened, engaged, m.reachable, reading.value, reading.noise,
        reading.annoyance, reading.content, m.column("satisfaction"), m.column("overload"),
        m.column("annoyance"), m.column("habit"), m.column("need_left"), m.column("fulfilled"),
        m.column("trust"), feed["ad"] / max(feed.total, 1.0), m.column("joined_day"),
        m.column("benefit"), m.column("norms"), feed.conversation, m.column("recognition"))


def commitment(model: GroupModel) -> np.ndarray:
    """What holds a member through a bad spell: 1 - exp(-(ties + benefit + money paid)).

    Commitment accrues with tenure (Zhang et al. KDD 2016: the quit hazard
    falls with tenure; Joyce & Kraut 2006): ties to members still here (the
    owner counts by charisma while engaged: 臉譜效應, 000/001), value received
    so far, and money paid to be in (004: paid members, having paid, stay).
    A newcomer has little of any, so a poor first week drives them out.
    """
    m, pop = model.members, model.cfg.population
    weight = m.present.astype(float)
    weight[0] = model.cfg.group.owner_charisma if model.owner_active else 0.0
    bonds = model.ties.count_flagged(weight)
    held = (pop.tie_commitment * bonds + pop.benefit_commitment * m.column("benefit")
            + pop.invest_commitment * m.column("invested"))
    m.commitment[: m.n] = -np.expm1(-held)
    return m.column("commitment")


def move_on_ladder(model: GroupModel, u: np.ndarray) -> np.ndarray:
    """Leave (with a reason), mute, or come back; returns who left today.

    Leaving: dissatisfaction (annoyed or overloaded, whichever grievance is
    larger), friends leaving (social, 001) or a need fulfilled (satisfied,
    003), each held back by the member's ``commitment``.
    """
    m = model.members
    fate, reason = kernels.ladder(
        model.knobs, u, model.day, m.column("muted_day"), m.column("role"), m.column("status"),
        m.column("satisfaction"), m.column("overload"), m.column("annoyance"),
        m.column("friends_lost"), m.column("fulfilled"), commitment(model))
    left = fate == kernels.GO
    if left.any():
        model.exit(np.flatnonzero(left), reason[left])
    silenced = np.flatnonzero(fate == kernels.SILENCE)
    m.status[silenced] = Status.MUTED
    m.muted_day[silenced] = model.day
    returning = np.flatnonzero(fate == kernels.RETURN)
    if len(returning):
        model.wake(returning, 0.0)
    return left


def track_lost_friends(model: GroupModel, left: np.ndarray) -> None:
    """Share of one's ties who left recently: friends leaving pull members out (001)."""
    m, lam = model.members, model.cfg.population.memory
    n = m.n
    m.friends_lost[:n] *= 1 - lam
    if left.any():
        lost = model.ties.count_flagged(left.astype(float)) / np.maximum(model.ties.degree(n), 1.0)
        m.friends_lost[:n] += lam * lost


def buy(model: GroupModel, u: np.ndarray, opened: np.ndarray) -> tuple[int, float]:
    """Purchases follow offers read, gated by need and trust (000).

    The day's offers (the operator's ads, a 团长's 接龙, a KOL's
    recommendation) reach members who read the group by habit; one pulled in
    by a red packet grabs the money and leaves (000: few engage with the
    product). More offers reach more, with diminishing returns.
    """
    m, group = model.members, model.cfg.group
    opened = opened & model.today.readers
    offers = model.today.offers
    exposure = offers / (offers + 1.0)
    buys = kernels.buy(model.knobs, u, model.day, opened, m.needs[: m.n],
                       m.need_names.index("purchase"), m.column("trust"),
                       m.column("last_purchase_day"), exposure)
    m.purchases[: m.n] += buys
    m.last_purchase_day[: m.n][buys] = model.day
    count = int(buys.sum())
    return count, count * group.price
