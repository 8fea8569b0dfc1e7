"""A member's day in numbers: the per-member arithmetic, compiled with numba.

``sim.behaviour`` decides what each phase means; these kernels do its
arithmetic for every member slot in one compiled pass, because hundreds of
small numpy passes a day cost more than the arithmetic itself (see the
README's Speed section). Each kernel is a plain loop over members that reads
like the agent's rule it implements; ``Knobs`` carries the config's numbers.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

# Draw columns used here (mirrors sim.randomness.Draw; checked in tests).
OPEN, VALUABLE, VALUABLE_N, CHAT, CHAT_N, QUARREL, QUARREL_N, SPAM, SPAM_N = range(9)
MUTE, LEAVE, SOCIAL, FULFIL, BUY, UNMUTE, CHECKIN, AD = 11, 12, 13, 14, 15, 18, 20, 21
# Role, status and exit codes (mirror sim.members).
CONTRARIAN, SPAMMER = 6, 7
PRESENT, MUTED, LEFT = 0, 1, 2
SATISFIED, ANNOYED, OVERLOAD, SOCIAL_EXIT = 0, 1, 2, 3
OWNER, ADMIN = 0, 1
STAY, GO, SILENCE, RETURN = 0, 1, 2, 3


class Knobs(NamedTuple):
    """The config's numbers the kernels use (all floats, fixed for a run)."""

    chat_propensity: float
    friend_pull: float
    novelty_days: float
    novelty_boost: float
    quarrel_rate: float
    spam_rate: float
    ad_share_of_spam: float
    content_value: float
    content_half: float
    chat_value: float
    chat_half: float
    tie_value: float
    tie_half: float
    noise_cost: float
    spam_cost: float
    quarrel_cost: float
    ad_cost: float
    ad_tolerance: float
    memory: float
    habit_rate: float
    habit_floor: float
    fulfilment_rate: float
    trust_gain: float
    trust_loss: float
    mute_threshold: float
    mute_rate: float
    leave_threshold: float
    leave_rate: float
    exit_width: float
    muted_leave_rate: float
    muted_sink_days: float
    unmute_rate: float
    social_exit: float
    fulfilled_leave_rate: float
    base_conversion: float
    repurchase_days: float
    norm_hesitation: float
    norm_learning: float
    recognition_voice: float
    practice: float
    first_impressions: float


def knobs(cfg) -> Knobs:
    """Collect the kernels' numbers from a RunConfig."""
    values = {**vars(cfg.population), **vars(cfg.group)}
    return Knobs(*(float(values[name]) for name in Knobs._fields))


@njit(cache=True)
def saturating(x, half):
    """x / (x + half): the first messages matter most; 0.5 at ``half``."""
    return x / (x + half)


@njit(cache=True)
def message_count(rate, u_post, u_count):
    """A count with mean ``rate`` from two uniforms: post with Poisson's chance
    1 - exp(-rate), then a geometric number with the matching conditional mean."""
    p_post = -math.expm1(-rate)
    if u_post >= p_post:
        return 0
    mean = rate / p_post
    if mean <= 1.0 + 1e-9:
        return 1
    q = 1.0 - 1.0 / mean
    return 1 + min(int(math.log(max(float(u_count), 1e-12)) / math.log(q)), 500)


@njit(cache=True)
def hazard(level, threshold, rate, width):
    """Daily probability: rate/2 at ``threshold``, ~0 well above, ``rate`` well below;
    ``width`` is how gradually it rises (members differ in what they put up with)."""
    z = (level - threshold) / width
    return rate / (1.0 + math.exp(min(z, 700.0)))


@njit(cache=True)
def post_counts(k, u, day, opened, spammer, role, talk, joined_day, intensity, need_left,
                deterrence, friends_talked, needs, expertise_by_role, social_col, momentum, topic,
                topic_strength, chat_chill, heat, quarrel_cooling, checkin_col, checkin_strength,
                norms, recognition):
    """Messages each member posts today by kind: valuable, chat, quarrel, spam, ad.

    A newcomer who does not yet know what is welcome holds back a share
    ``norm_hesitation`` of their talk (Matias 2019); public recognition lifts
    talk (001, 003). A check-in (打卡) is a short post, chat to everyone else.
    """
    n = opened.shape[0]
    out = np.zeros((n, 5), dtype=np.int64)
    for i in range(n):
        if not (opened[i] or spammer[i]):
            continue
        if opened[i]:
            novelty = math.exp(-(day - joined_day[i]) / k.novelty_days)
            pull = 1.0 + k.friend_pull * saturating(friends_talked[i], 1.0)
            voice = ((1.0 - k.norm_hesitation * (1.0 - norms[i]))
                     * (1.0 + k.recognition_voice * recognition[i]))
            base = (k.chat_propensity * momentum * pull * talk[i] * voice
                    * (1.0 + k.novelty_boost * novelty))
            stir = 1.0
            if topic_strength > 0.0:
                stir += topic_strength * np.dot(needs[i], topic)
            expertise = expertise_by_role[role[i]]
            valuable_rate = base * stir * expertise * intensity[i] * need_left[i]
            chat_rate = base * stir * (1 - expertise) * (0.5 + needs[i, social_col]) * (1 - chat_chill)
            hothead = 1.0 if role[i] == CONTRARIAN else 0.03
            quarrel_rate = base * hothead * k.quarrel_rate * (1 + heat) * (1 - quarrel_cooling)
            out[i, 0] = message_count(valuable_rate, u[i, VALUABLE], u[i, VALUABLE_N])
            out[i, 1] = message_count(chat_rate, u[i, CHAT], u[i, CHAT_N])
            if checkin_col >= 0 and u[i, CHECKIN] < checkin_strength * needs[i, checkin_col]:
                out[i, 1] += 1
            out[i, 2] = message_count(quarrel_rate, u[i, QUARREL], u[i, QUARREL_N])
        if spammer[i]:
            junk = message_count(k.spam_rate * deterrence[i], u[i, SPAM], u[i, SPAM_N])
            ads = min(int(math.floor(junk * k.ad_share_of_spam + u[i, AD])), junk)
            out[i, 3] = junk - ads
            out[i, 4] = ads
    return out


@njit(cache=True)
def count_flagged_friends(a, b, flags):
    """For each member, the summed ``flags`` of their ties (edges a[e]–b[e])."""
    out = np.zeros(flags.shape[0])
    for e in range(a.shape[0]):
        out[a[e]] += flags[b[e]]
        out[b[e]] += flags[a[e]]
    return out


@njit(cache=True)
def count_two_flags(a, b, first, second):
    """``count_flagged_friends`` for two flags in one pass over the edges."""
    n = first.shape[0]
    out1, out2 = np.zeros(n), np.zeros(n)
    for e in range(a.shape[0]):
        i, j = a[e], b[e]
        if first[j]:
            out1[i] += 1.0
        if first[i]:
            out1[j] += 1.0
        if second[j]:
            out2[i] += 1.0
        if second[i]:
            out2[j] += 1.0
    return out1, out2


@njit(cache=True)
def weigh(k, opened, reachable, needs, social_col, purchase_col, intensity, need_left, attention,
          friends, habit, topic, chat, ads, spam, quarrels, total, scheduled, selling, irritation):
    """Value served and costs paid today: (value, noise, annoyance, content).

    Posts at a fixed, known time (``scheduled``) are read then, in one sitting,
    by those in the habit of it: they do not add to the red dot's flood (000).
    """
    n = opened.shape[0]
    value, noise = np.zeros(n), np.zeros(n)
    annoyance, content = np.zeros(n), np.zeros(n)
    for i in range(n):
        if not reachable[i]:
            continue
        social, purchase = needs[i, social_col], needs[i, purchase_col]
        matched = np.dot(needs[i], topic)
        relevant = matched + chat * social + ads * purchase
        irrelevant = max(total - scheduled * habit[i] - relevant, 0.0)
        excess = max(irrelevant - attention[i], 0.0) / attention[i]
        noise[i] = k.noise_cost * saturating(excess, 1.0)
        if not opened[i]:
            continue
        content[i] = intensity[i] * need_left[i] * k.content_value * saturating(matched, k.content_half)
        value[i] = (content[i]
                    + k.chat_value * social * saturating(chat * social, k.chat_half)
                    + k.tie_value * saturating(friends[i], k.tie_half))
        # junk crowds out what one came for: the more one needs the group, the more it
        # costs (004: 劣币驱逐良币, the good members leave first). Built in, not emergent.
        keen = 2.0 * intensity[i]
        annoyance[i] = (keen * (k.spam_cost * spam + k.quarrel_cost * quarrels)
                        + k.ad_cost * ads * (1 - purchase) + selling + irritation)
    return value, noise, annoyance, content


@njit(cache=True)
def first_impressions_weight(k, tenure):
    """Weight of today in a member's opinion from what there is to go on: 1/(days in the group)."""
    return 1.0 / max(tenure, 1) if k.first_impressions > 0 else 0.0


@njit(cache=True)
def update(k, day, opened, engaged, reachable, value, noise, annoyance_today, content,
           satisfaction, overload, annoyance, habit, need_left, fulfilled, trust, ad_share,
           joined_day, benefit, norms, conversation_read, recognition):
    """Satisfaction, grievances, habit, fulfilment, trust, norms after the day (in place).

    A newcomer has little to go on, so each early day weighs more in their
    opinion of the group (the weight of today is 1/(days in the group), never
    below ``memory``): a bad first week is judged quickly. Value received adds
    to ``benefit``, the stock that commitment grows from; opening the group
    builds the habit of opening it (``practice``); watching members talk
    teaches what is welcome (``norms``).
    """
    lam = k.memory
    for i in range(opened.shape[0]):
        if reachable[i]:
            net = value[i] - noise[i] - annoyance_today[i]
            w = max(lam, first_impressions_weight(k, day - joined_day[i]))
            satisfaction[i] = (1 - w) * satisfaction[i] + w * net
        else:
            satisfaction[i] *= 1 - lam / 4
        lack = max(0.1 - value[i], 0.0) if opened[i] else 0.0
        overload[i] = (1 - lam) * overload[i] + lam * noise[i]
        annoyance[i] = (1 - lam) * annoyance[i] + lam * (annoyance_today[i] + lack)
        if reachable[i]:
            target = k.habit_floor + (1 - k.habit_floor) * saturating(max(satisfaction[i], 0.0), 0.3)
            habit[i] = min(max(habit[i] + k.habit_rate * (target - habit[i]), 0.0), 1.0)
        if engaged[i]:
            habit[i] += k.practice * (1.0 - habit[i])
        if opened[i]:
            benefit[i] += value[i]
            norms[i] += (1.0 - norms[i]) * (1.0 - math.exp(-k.norm_learning * conversation_read))
        recognition[i] *= 1 - lam / 4
        if k.fulfilment_rate > 0:
            need_left[i] *= math.exp(-k.fulfilment_rate * content[i])
            fulfilled[i] = fulfilled[i] or need_left[i] < 0.25
        if opened[i]:
            gain = k.trust_gain * saturating(content[i], 0.2) * (1 - trust[i])
            loss = k.trust_loss * max(ad_share - k.ad_tolerance, 0.0) * trust[i]
            trust[i] = min(max(trust[i] + gain - loss, 0.0), 1.0)


@njit(cache=True)
def ladder(k, u, day, muted_day, role, status, satisfaction, overload, annoyance, friends_lost,
           fulfilled, commitment):
    """Each member's move today: STAY, GO (leave), SILENCE (mute) or RETURN (unmute), and why.

    Dissatisfaction drives muting and leaving; ``commitment`` (ties, value
    received, money paid: accrued with tenure) is the share of the pressure to
    leave that a member sits out; a committed member who is overloaded mutes
    instead (muting is the usual answer to overload, leaving the rarer one).
    A muted group sinks down the chat list as other chats come in, so the
    chance of coming across it to delete it fades (``muted_sink_days``). The
    owner and admins run the group and stay; spammers (破坏分子) stay for the
    audience until removed (004).
    """
    n = status.shape[0]
    fate = np.zeros(n, dtype=np.int64)
    reason = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        if status[i] == LEFT or role[i] == OWNER or role[i] == ADMIN or role[i] == SPAMMER:
            continue
        reach = status[i] == PRESENT
        sat = satisfaction[i]
        held = 1.0 - commitment[i]
        if reach:
            p_leave = hazard(sat, k.leave_threshold, k.leave_rate, k.exit_width)
        else:
            sunk = math.exp(-(day - muted_day[i]) / k.muted_sink_days)
            p_leave = k.muted_leave_rate * (1 + 4 * min(max(-sat, 0.0), 1.0)) * sunk
        leave = u[i, LEAVE] < p_leave * held
        social = u[i, SOCIAL] < k.social_exit * friends_lost[i] * held
        done = fulfilled[i] and u[i, FULFIL] < k.fulfilled_leave_rate
        if leave or social or done:
            fate[i] = GO
            if (done or (leave and fulfilled[i])) and sat >= 0.0:  # need met, and not unhappy
                reason[i] = SATISFIED
            elif social:
                reason[i] = SOCIAL_EXIT
            else:
                reason[i] = OVERLOAD if overload[i] > annoyance[i] else ANNOYED
        elif reach and u[i, MUTE] < hazard(sat, k.mute_threshold, k.mute_rate, k.exit_width):
            fate[i] = SILENCE
        elif not reach and u[i, UNMUTE] < k.unmute_rate:
            fate[i] = RETURN
    return fate, reason


@njit(cache=True)
def buy(k, u, day, opened, needs, purchase_col, trust, last_purchase_day, exposure):
    """Who buys today: an offer seen, gated by need and trust (000).

    No offer read, no purchase; an offer converts those who need the product
    and trust the seller. Active members buy more only through what makes
    them active (habit: they read the offer; trust: earned by content).
    """
    n = opened.shape[0]
    buys = np.zeros(n, dtype=np.bool_)
    if exposure <= 0.0:
        return buys
    for i in range(n):
        if not opened[i] or day - last_purchase_day[i] < k.repurchase_days:
            continue
        p = k.base_conversion * 6 * needs[i, purchase_col] * trust[i] * exposure
        buys[i] = u[i, BUY] < p
    return buys
