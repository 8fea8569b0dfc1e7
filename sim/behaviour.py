"""Members' daily decisions, vectorized over all slots.

Each phase is a function of the model and the day's uniforms ``u`` (one row
per member slot, one column per decision, see ``sim.randomness.Draw``):

* ``open_group`` — who looks at the group today (habit, notifications);
* ``post`` — who posts what (need, disposition, momentum, stimuli);
* ``reply`` — posters who get an answer come back more and make ties;
* ``weigh`` — value served minus cost (001, 004): need-matched content,
  chat, friends and rewards against the unread flood, spam, quarrels, ads;
* ``move_on_ladder`` — active <-> lurker -> muted -> left, with a reason;
* ``buy`` — purchases from need, trust and activity (000).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.feed import KINDS
from sim.members import EXPERTISE_BY_ROLE, Exit, Role, Status
from sim.randomness import Draw

if TYPE_CHECKING:
    from sim.model import GroupModel


def saturating(x: np.ndarray | float, half: float) -> np.ndarray:
    """x / (x + half): the first messages matter most; 0.5 at ``half``."""
    return x / (x + half)


def poisson_like(rate: np.ndarray, u_post: np.ndarray, u_count: np.ndarray) -> np.ndarray:
    """Message counts with mean ``rate`` from two uniforms per member.

    Post at all with Poisson's probability 1 - exp(-rate); a poster sends a
    geometric number of messages with the matching conditional mean. Two
    fixed uniforms per member keep draws aligned across strategies.
    """
    p_post = -np.expm1(-rate)
    mean = np.where(p_post > 0, rate / np.maximum(p_post, 1e-12), 1.0)
    q = 1.0 - 1.0 / np.maximum(mean, 1.0 + 1e-9)
    extra = np.floor(np.log(np.maximum(u_count, 1e-300)) / np.log(np.maximum(q, 1e-300)))
    extra = np.where(mean > 1.0 + 1e-9, np.minimum(extra, 500), 0)
    return np.where(u_post < p_post, 1 + extra, 0).astype(np.int64)


def open_group(model: GroupModel, u: np.ndarray) -> np.ndarray:
    """Members who look at the group today: habit, plus any notification pull."""
    m = model.members
    habit = m.column("habit")
    p_open = habit + model.today.pull * (1.0 - habit)
    return m.reachable & (u[:, Draw.OPEN] < p_open)


@dataclass
class Posts:
    """Messages posted by each member today, by kind (arrays over slots)."""

    valuable: np.ndarray
    chat: np.ndarray
    quarrel: np.ndarray
    spam: np.ndarray
    ad: np.ndarray
    thanks: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return self.valuable + self.chat + self.quarrel + self.spam + self.ad + self.thanks


def post(model: GroupModel, u: np.ndarray, opened: np.ndarray) -> Posts:
    """Who posts what today, and the feed it makes."""
    m, cfg, today, policy = model.members, model.cfg, model.today, model.policy
    pop, group = cfg.population, cfg.group
    day, n = model.day, m.n
    role = m.column("role")
    novelty = np.exp(-(day - m.column("joined_day")) / pop.novelty_days)
    engagement = 1.0 + pop.novelty_boost * novelty
    momentum = 1.0 + pop.momentum * saturating(model.yesterday_per_member, 1.0)
    base = group.chat_propensity * m.column("talk") * engagement * momentum * opened

    needs = m.needs[:n]
    stimulus = np.ones(n)
    if today.topic is not None:
        stimulus += today.topic_strength * (needs @ today.topic)
    expertise = EXPERTISE_BY_ROLE[role]
    content_drive = m.column("intensity") * m.column("need_left")
    valuable_rate = base * expertise * content_drive * stimulus
    social = m.need("social")
    chat_rate = base * (1 - expertise) * (0.5 + social) * stimulus * (1 - policy.chat_chill)
    hothead = np.where(role == Role.CONTRARIAN, 1.0, 0.03)
    quarrel_rate = (pop.quarrel_rate * base * hothead * (1 + today.heat)
                    * (1 - policy.quarrel_cooling))
    spammer = (role == Role.SPAMMER) & m.reachable
    spam_rate = pop.spam_rate * m.column("deterrence") * spammer

    valuable = poisson_like(valuable_rate, u[:, Draw.VALUABLE], u[:, Draw.VALUABLE_N])
    if today.checkin_need is not None:
        checkin_p = today.checkin_strength * needs[:, today.checkin_need] * m.column("habit")
        valuable += (opened & (u[:, Draw.THANKS] < checkin_p)).astype(np.int64)
    chat = poisson_like(chat_rate, u[:, Draw.CHAT], u[:, Draw.CHAT_N])
    quarrel = poisson_like(quarrel_rate, u[:, Draw.QUARREL], u[:, Draw.QUARREL_N])
    junk = poisson_like(spam_rate, u[:, Draw.SPAM], u[:, Draw.SPAM_N])
    ad = np.floor(junk * pop.ad_share_of_spam + u[:, Draw.SPAM]).astype(np.int64) * (junk > 0)
    ad = np.minimum(ad, junk)
    thanks = _thank(model, u, opened)
    posts = Posts(valuable, chat, quarrel, junk - ad, ad, thanks)

    feed = today.feed
    feed.topic += valuable @ needs
    for kind in KINDS:
        feed.count[KINDS.index(kind)] += getattr(posts, kind).sum()
    total = posts.total
    m.messages[:n] += total
    posted = total > 0
    m.last_post_day[:n] = np.where(posted, day, m.last_post_day[:n])
    first = posted & (m.first_post_day[:n] < 0)
    m.first_post_day[:n] = np.where(first, day, m.first_post_day[:n])
    return posts


def _thank(model: GroupModel, u: np.ndarray, opened: np.ndarray) -> np.ndarray:
    """Red packets and prizes: grabbers who usually talk say thanks (000).

    "冒泡的出来说句谢谢,潜水的继续潜水": the propensity to thank is the member's
    own talkativeness, so lurkers grab the money and keep lurking.
    """
    m, today = model.members, model.today
    received = np.zeros(m.n)
    for slot, amount in today.rewards.items():
        received[slot] += amount
    for packet, (amount, shares) in enumerate(today.red_packets):
        grabbers = np.flatnonzero(opened)
        if len(grabbers) == 0:
            continue
        order = np.argsort(u[grabbers, Draw.GRAB], kind="stable")[:shares]
        winners = grabbers[order]
        rng = model.streams.generator("red_packet_split", model.day, packet)
        split = rng.dirichlet(np.ones(len(winners)))  # 拼手气: luck decides the shares
        received[winners] += amount * split
    m.money_received[: m.n] = received
    got = received > 0
    p_thanks = np.minimum(1.0, today.thanks_prompt * m.column("talk") * m.column("habit"))
    return (got & (u[:, Draw.THANKS] < p_thanks)).astype(np.int64)


def reply(model: GroupModel, u: np.ndarray, posts: Posts) -> np.ndarray:
    """Posters who get a reply come back more, and a tie may form (Joyce & Kraut 2006)."""
    m, pop, policy = model.members, model.cfg.population, model.policy
    n = m.n
    conversational = (posts.valuable + posts.chat) > 0
    others = max(conversational.sum() - 1, 0)
    rate = pop.reply_rate * others * np.ones(n)
    if policy.onboarding and len(model.today.welcomed):
        rate[model.today.welcomed] += 1.0
    replied = conversational & (u[:, Draw.REPLY] < -np.expm1(-rate))
    habit = m.column("habit")
    m.habit[:n] = habit + pop.reply_habit_boost * replied * (1 - habit)
    first = replied & (m.first_post_day[:n] == model.day)
    m.first_post_replied[:n] |= first.astype(np.int64)
    talkers = np.flatnonzero(conversational)
    askers = np.flatnonzero(replied)
    if len(talkers) > 1 and len(askers):
        rng = model.streams.generator("replies", model.day)
        partners = talkers[rng.integers(0, len(talkers), size=len(askers))]
        keep = rng.random(len(askers)) < pop.tie_per_reply
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


def weigh(model: GroupModel, opened: np.ndarray, posted: np.ndarray) -> Reading:
    """Value served minus cost for every member (001, 004).

    Everyone whose notifications are on pays for the unread flood beyond
    their attention capacity (the red dot, 004); only those who opened the
    group get its value and see its spam, quarrels and ads.
    """
    m, pop, feed = model.members, model.cfg.population, model.today.feed
    n = m.n
    needs = m.needs[:n]
    social, purchase = m.need("social"), m.need("purchase")
    intensity = m.column("intensity") * m.column("need_left")

    matched = needs @ feed.topic
    chat = feed["chat"] + 0.2 * feed["thanks"]
    relevant = matched + chat * social + feed["ad"] * purchase
    unscheduled = feed.total - model.policy.schedule_relief * feed.scheduled
    irrelevant = np.maximum(unscheduled - relevant, 0.0)
    capacity = m.column("attention")
    noise = pop.noise_cost * saturating(np.maximum(irrelevant - capacity, 0.0) / capacity, 1.0)

    friends = model.ties.matrix(n) @ posted
    owner_talked = bool(posted[0])
    friends = friends + model.cfg.group.owner_charisma * m.column("knows_owner") * owner_talked
    content = intensity * pop.content_value * saturating(matched, pop.content_half)
    value = (content
             + pop.chat_value * social * saturating(chat * social, pop.chat_half)
             + pop.tie_value * saturating(friends, pop.tie_half)
             + pop.reward_value * m.column("money_received"))
    ad_share = feed["ad"] / max(feed.total, 1.0)
    selling = max(ad_share - pop.ad_tolerance, 0.0) / (1 - pop.ad_tolerance + 1e-9)
    annoyance = (m.column("intensity") * (pop.spam_cost * feed["spam"] + pop.quarrel_cost * feed["quarrel"])
                 + pop.ad_cost * feed["ad"] * (1 - purchase) + selling + model.today.irritation)
    reachable = m.reachable
    return Reading(value=value * opened, noise=noise * reachable,
                   annoyance=annoyance * opened, content=content * opened)


def update_members(model: GroupModel, opened: np.ndarray, reading: Reading) -> None:
    """Satisfaction, grievances, habit, fulfilment and trust after the day."""
    m, pop, group, policy = model.members, model.cfg.population, model.cfg.group, model.policy
    n, lam = m.n, pop.memory
    reach = m.reachable
    sat = m.column("satisfaction")
    m.satisfaction[:n] = np.where(reach, (1 - lam) * sat + lam * reading.net, sat * (1 - lam / 4))
    m.overload[:n] = (1 - lam) * m.column("overload") + lam * reading.noise
    lack = np.maximum(0.1 - reading.value, 0.0) * opened
    m.annoyance[:n] = (1 - lam) * m.column("annoyance") + lam * (reading.annoyance + lack)

    positive = np.maximum(m.column("satisfaction"), 0.0)
    floor = pop.habit_floor
    target = floor + (1 - floor) * saturating(positive, 0.3) + policy.schedule_habit
    habit = m.column("habit")
    new_habit = np.clip(habit + pop.habit_rate * (target - habit), 0.0, 1.0)
    m.habit[:n] = np.where(reach, new_habit, habit)

    if group.fulfilment_rate > 0:
        m.need_left[:n] *= np.exp(-group.fulfilment_rate * reading.content)
        m.fulfilled[:n] |= m.column("need_left") < 0.25

    ads = model.today.feed["ad"] / max(model.today.feed.total, 1.0)
    trust = m.column("trust")
    gain = pop.trust_gain * saturating(reading.content, 0.2) * (1 - trust)
    loss = pop.trust_loss * max(ads - pop.ad_tolerance, 0.0) * trust
    m.trust[:n] = np.where(opened, np.clip(trust + gain - loss, 0.0, 1.0), trust)


def _hazard(level: np.ndarray, threshold: float, rate: float) -> np.ndarray:
    """Daily probability: ``rate / 2`` at ``threshold``, ~0 well above it, ``rate`` well below."""
    return rate / (1.0 + np.exp((level - threshold) / 0.03))


def move_on_ladder(model: GroupModel, u: np.ndarray) -> np.ndarray:
    """Mute, leave (with a reason) or come back; returns who left today."""
    m, pop = model.members, model.cfg.population
    n, day = m.n, model.day
    sat = m.column("satisfaction")
    reach, muted = m.reachable, m.status[:n] == Status.MUTED
    present = reach | muted
    exempt = np.zeros(n, dtype=bool)
    exempt[:1] = True  # the owner does not leave their own group
    commitment = 1.0 - model.policy.commitment * (m.column("joined_day") > 0)

    grievance = np.where(m.column("overload") > m.column("annoyance"), Exit.OVERLOAD, Exit.ANNOYED)
    fulfilled = m.column("fulfilled")
    p_leave = np.where(reach, _hazard(sat, pop.leave_threshold, pop.leave_rate),
                       pop.muted_leave_rate * (1 + 4 * np.clip(-sat, 0, 1)))
    leave = present & (u[:, Draw.LEAVE] < p_leave * commitment)
    social = present & (u[:, Draw.SOCIAL] < pop.social_exit * m.column("friends_lost") * commitment)
    done = present & fulfilled & (u[:, Draw.FULFIL] < pop.fulfilled_leave_rate)
    reason = np.where(done | (leave & fulfilled), Exit.SATISFIED,
                      np.where(social, Exit.SOCIAL, grievance))
    left = (leave | social | done) & ~exempt
    model.exit(np.flatnonzero(left), reason[left])

    reach = m.reachable
    mute = reach & ~exempt & (u[:, Draw.MUTE] < _hazard(sat, pop.mute_threshold, pop.mute_rate) * commitment)
    m.status[:n] = np.where(mute, Status.MUTED, m.status[:n])
    m.muted_day[:n] = np.where(mute, day, m.muted_day[:n])
    unmute = (m.status[:n] == Status.MUTED) & (u[:, Draw.UNMUTE] < pop.unmute_rate) & ~mute
    model.wake(np.flatnonzero(unmute), 0.0)
    return left


def track_lost_friends(model: GroupModel, left: np.ndarray) -> None:
    """Share of one's ties who left recently: friends leaving pull members out (001)."""
    m, lam = model.members, model.cfg.population.memory
    n = m.n
    ties = model.ties.matrix(n)
    lost = (ties @ left) / np.maximum(model.ties.degree(n), 1.0)
    m.friends_lost[:n] = (1 - lam) * m.column("friends_lost") + lam * lost


def buy(model: GroupModel, u: np.ndarray, opened: np.ndarray) -> tuple[int, float]:
    """Purchases: need x trust x exposure, higher for active members (000)."""
    m, pop, group = model.members, model.cfg.population, model.cfg.group
    n, day = m.n, model.day
    window = pop.active_window_days
    active = m.last_post_day[:n] > day - window
    exposure = 1.0 + 2.0 * saturating(model.today.feed["ad"], 3.0)
    p = (group.base_conversion * 3 * m.need("purchase") * m.column("trust")
         * exposure * np.where(active, 2.0, 1.0))
    ready = day - m.column("last_purchase_day") >= group.repurchase_days
    buys = opened & ready & (u[:, Draw.BUY] < p)
    m.purchases[:n] += buys
    m.last_purchase_day[:n] = np.where(buys, day, m.last_purchase_day[:n])
    count = int(buys.sum())
    return count, count * group.price
