"""What an operator can do to a group: the model's published hooks.

Strategies act only through these methods, never by editing member arrays,
so every lever's effect passes through the same mechanisms as members'
own behaviour (a KOL's post is read and weighed like anyone's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.members import Exit, Role, Status

if TYPE_CHECKING:
    from sim.model import GroupModel


class OperatorHooks:
    """Mixed into ``GroupModel``: posting, paying, rules, promotion, removal, events."""

    def topic_vector(self: GroupModel, need: str | None = None) -> np.ndarray:
        """A topic about one need, or (None) about the group's own need profile."""
        names = self.members.need_names
        if need is None:
            weights = np.array(list(self.cfg.group.need_profile.values()), dtype=float)
            return weights / weights.sum()
        vec = np.zeros(len(names))
        vec[names.index(need)] = 1.0
        return vec

    def post(self: GroupModel, kind: str, n: float, topic: np.ndarray | None = None) -> None:
        """The operator posts ``n`` messages; at fixed times if the schedule says so.

        An operator's ad is an offer: it is what a purchase follows (000).
        """
        topic = self.topic_vector() if topic is None and kind == "valuable" else topic
        self.today.feed.add(kind, n, topic, operator=True, scheduled=self.policy.fixed_schedule)
        if kind == "ad":
            self.today.offers += n

    def offer(self: GroupModel, n: float) -> None:
        """Post ``n`` offers (a product with a price, a group-buy 接龙): ads from the seller."""
        self.post("ad", n)

    def post_as(self: GroupModel, slots: np.ndarray, kind: str, each: int = 1,
                scripted: bool = True) -> None:
        """Members in ``slots`` post ``each`` message of ``kind`` on their own needs.

        ``scripted`` posts are the operator's (the owner's persona, a KOL asked or
        paid to share): read and weighed like any post, and friends see a friend
        posting, but they are not members talking, so they count as operator
        messages (daily table, death rule) and not as the poster's participation.
        A scripted share about what members buy is a recommendation: an offer (000).
        """
        m = self.members
        slots = np.asarray(slots, dtype=np.int64)
        slots = slots[m.status[slots] == Status.PRESENT]
        if len(slots) == 0 or each <= 0:
            return
        topic = m.needs[slots].sum(axis=0) if kind == "valuable" else None
        self.today.feed.add(kind, each * len(slots), topic, operator=scripted,
                            scheduled=scripted and self.policy.fixed_schedule)
        self.posted_by_hook[slots] = True
        if scripted:
            if kind == "valuable" and (slots != 0).any():
                buying = m.needs[slots[slots != 0], m.need_names.index("purchase")].sum()
                self.today.offers += each * buying
            return
        m.messages[slots] += each
        self.today.prompted = np.union1d(self.today.prompted, slots)
        m.took_part(slots, self.day)

    def notify_all(self: GroupModel, pull: float) -> None:
        """@所有人: draw a share ``pull`` of non-habitual readers in today."""
        self.today.pull = 1 - (1 - self.today.pull) * (1 - pull)

    def send_red_packet(self: GroupModel, amount: float, shares: int, thanks: float) -> None:
        """A lucky-draw red packet: the first ``shares`` readers grab random parts (000)."""
        self.today.red_packets.append((amount, shares))
        self.today.thanks_prompt = max(self.today.thanks_prompt, thanks)

    def reward(self: GroupModel, slots: np.ndarray, amount: float, thanks: float) -> None:
        """Pay ``amount`` to each member in ``slots`` (prizes, paid KOLs)."""
        for slot in np.asarray(slots, dtype=np.int64).tolist():
            self.today.rewards[slot] = self.today.rewards.get(slot, 0.0) + amount
        self.today.thanks_prompt = max(self.today.thanks_prompt, thanks)

    def raise_topic(self: GroupModel, topic: np.ndarray, strength: float, heat: float) -> None:
        """Start a discussion on ``topic``; ``heat`` is how easily it becomes a quarrel (000)."""
        self.today.topic = topic
        self.today.topic_strength += strength
        self.today.heat = max(self.today.heat, heat)

    def prompt_checkin(self: GroupModel, need: str, strength: float) -> None:
        """Open today's check-in (打卡) for members who hold ``need`` (001)."""
        self.today.checkin_need = self.members.need_names.index(need)
        self.today.checkin_strength = strength

    def irritate(self: GroupModel, cost: float) -> None:
        """Charge every reader today ``cost`` of annoyance (posts nobody asked for)."""
        self.today.irritation += cost

    def deter(self: GroupModel, slots: np.ndarray, effect: float) -> None:
        """Warn members: their spam rate falls by ``effect`` (a share)."""
        slots = np.asarray(slots, dtype=np.int64)
        self.members.deterrence[slots] *= 1.0 - effect

    def welcome(self: GroupModel, slots: np.ndarray) -> None:
        """Newcomers whose first words the operator will answer today (onboarding)."""
        self.today.welcomed = np.asarray(slots, dtype=np.int64)

    def boost_habit(self: GroupModel, slots: np.ndarray, strength: float) -> None:
        """Raise members' habit of reading by ``strength`` of the way to 1."""
        slots = np.asarray(slots, dtype=np.int64)
        self.members.habit[slots] += strength * (1 - self.members.habit[slots])

    def set_policy(self: GroupModel, **changes: Any) -> None:
        """Change standing rules (strictness, admission, schedule, invitation rewards)."""
        for name, value in changes.items():
            if not hasattr(self.policy, name):
                raise AttributeError(f"no policy named {name!r}")
            setattr(self.policy, name, value)

    def remove(self: GroupModel, slots: np.ndarray) -> None:
        """Remove members from the group (群规 enforced, 杀鸡儆猴)."""
        slots = np.asarray(slots, dtype=np.int64)
        self.exit(slots, np.full(len(slots), Exit.REMOVED))

    def promote(self: GroupModel, slots: np.ndarray) -> None:
        """Make members KOLs: they are asked to share content regularly (000, 001)."""
        slots = np.asarray(slots, dtype=np.int64)
        self.members.role[slots] = Role.KOL
        self.policy.kol_slots = sorted(set(self.policy.kol_slots) | set(slots.tolist()))

    def connect(self: GroupModel, a: np.ndarray, b: np.ndarray) -> None:
        """Introduce members to each other (self-introductions, KOL circles)."""
        self.ties.connect(a, b)

    def tell_norms(self: GroupModel, slots: np.ndarray) -> None:
        """Tell members what is welcome here (the rules, 群规): they stop holding back (Matias 2019)."""
        self.members.norms[np.asarray(slots, dtype=np.int64)] = 1.0

    def recognise(self: GroupModel, slots: np.ndarray, strength: float) -> None:
        """Name members in public (prizes announced, 001/003): recognition they will want to keep."""
        slots = np.asarray(slots, dtype=np.int64)
        r = self.members.recognition[slots]
        self.members.recognition[slots] = r + strength * (1 - r)

    def hold_offline_event(self: GroupModel, attendees: np.ndarray, trust: float) -> None:
        """Meet in person: attendees tie up, wake, and trust the group more (000, 001, 003)."""
        attendees = np.asarray(attendees, dtype=np.int64)
        self.ties.connect_all(attendees)
        self.wake(attendees, 0.5)
        t = self.members.trust[attendees]
        self.members.trust[attendees] = t + trust * (1 - t)

    def wake(self: GroupModel, slots: np.ndarray, strength: float) -> None:
        """Unmute members and raise their habit by ``strength`` of the way to 1."""
        m = self.members
        slots = np.asarray(slots, dtype=np.int64)
        slots = slots[m.status[slots] != Status.LEFT]
        m.status[slots] = Status.PRESENT
        self.boost_habit(slots, strength)
        m.satisfaction[slots] = np.maximum(m.satisfaction[slots], 0.0)

    def exit(self: GroupModel, slots: np.ndarray, reasons: np.ndarray) -> None:
        """Members leave (or are removed) with a recorded reason."""
        m = self.members
        slots = np.asarray(slots, dtype=np.int64)
        keep = m.status[slots] != Status.LEFT
        slots, reasons = slots[keep], np.asarray(reasons)[keep]
        m.status[slots] = Status.LEFT
        m.exit_day[slots] = self.day if self.stepping else self.day + 1  # between steps: the next day's
        m.exit_reason[slots] = reasons
        self.left_today[slots] = True
        for slot in slots.tolist():
            self.agent_of.pop(slot).remove()
