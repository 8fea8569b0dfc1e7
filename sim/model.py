"""GroupModel: one WeChat group's life, one day per step.

Members join by invitation, read and post by need and habit, weigh value
against the unread flood, and slide down the ladder active -> lurker ->
muted -> left; an operator's playbook pulls levers within a budget.
"""

from __future__ import annotations

import mesa
import numpy as np

from sim import behaviour, gifts, kernels
from sim.config import RunConfig
from sim.feed import Feed, Policy, Today
from sim.group_traits import apply as apply_traits
from sim.group_traits import draw_group_traits
from sim.hooks import OperatorHooks
from sim.members import Member, Members, Role
from sim.metrics import Recorder
from sim.network import Ties, initial_ties
from sim.newcomers import draw_traits, starting_trust
from sim.platform import Platform
from sim.randomness import Draw, Streams
from sim.strategies.playbook import Playbook


OWNER = np.zeros(1, dtype=np.int64)  # the owner's slot


class GroupModel(OperatorHooks, mesa.Model):
    """One group under one playbook.

    Attributes:
        cfg: the config this group runs on: the validated run config with the
            archetype scaled by this group's own traits (``traits``).
        traits: what sets this group apart from others of its archetype.
        day: the current day (1 on the first step; founders joined on day 0).
        members: member state, one slot per member ever present.
        ties: who knows whom (invitations, owner, mesh).
        platform: WeChat's joining rules.
        playbook: the operator's levers, schedule and budget.
        policy: standing rules the operator has set.
        today: this day's feed and operator stimuli.
        recorder: daily rows and the run's tables (the data contract).
    """

    def __init__(self, cfg: RunConfig) -> None:
        super().__init__(rng=cfg.seed)
        self.streams = Streams(cfg.seed)
        self.traits = draw_group_traits(cfg, self.streams)
        self.cfg = cfg = apply_traits(cfg, self.traits)
        self.day = 0
        self.knobs = kernels.knobs(cfg)
        self.members = Members(cfg.needs, capacity=2 * cfg.group.initial_members)
        self.ties = Ties()
        self.platform = Platform(cfg.platform)
        self.policy = Policy()
        self.playbook = Playbook(cfg.strategy, self.streams)
        self.recorder = Recorder(self)
        self.gifts = gifts.Ledger()
        self.agent_of: dict[int, Member] = {}
        self.yesterday_per_member = 0.0
        self.spam_yesterday = np.zeros(0, dtype=np.int64)
        self.friends_talked = np.zeros(0)
        self.left_today = np.zeros(0, dtype=bool)
        self.stepping = False
        self.posted_by_hook = np.zeros(0, dtype=bool)
        self._found_group()
        self.playbook.setup(self)

    def step(self) -> None:
        """One day: join, operate, read, post, weigh, move on the ladder, buy, record."""
        self.day += 1
        self.stepping = True
        self.today, self.revenue_today = Today(Feed(len(self.cfg.needs))), 0.0
        u = self._uniforms()
        self.today.joined = self._admit(u)
        u = self._uniforms(u)
        self.playbook.act(self)
        gifts.send_member_packets(self)
        self._group_content(u)
        opened = behaviour.open_group(self, u)
        posts = behaviour.post(self, u, opened)
        friends = behaviour.count_friends(self, posts, opened)
        behaviour.reply(self, u, posts, friends)
        reading = behaviour.weigh(self, opened, friends)
        behaviour.update_members(self, opened, reading, posts)
        left = behaviour.move_on_ladder(self, u)
        behaviour.track_lost_friends(self, left | self.left_today)
        conversions, sales = behaviour.buy(self, u, opened)
        self.recorder.record(self, posts, conversions, sales + self.revenue_today)
        self.left_today[:] = False  # exits between steps (API, dashboard) count tomorrow
        self.posted_by_hook[:] = False
        self.stepping = False

    # Phases that are the group's own, not the members' ----------------------
    def _found_group(self) -> None:
        """The founding population: owner, admins, members invited in a tree."""
        cfg, n = self.cfg, self.cfg.group.initial_members
        rng = self.streams.generator("founders")
        admins = min(cfg.group.roles.admins, n - 1)
        staff = np.full(n, -1)
        staff[0], staff[1 : 1 + admins] = Role.OWNER, Role.ADMIN
        traits = draw_traits(cfg, rng, n, self.traits.mismatch, role=staff,
                             competition=self.traits.competition)
        traits["needs"][0] = self.topic_vector()
        inviter, mesh_a, mesh_b = initial_ties(rng, n, cfg.group.knows_owner, cfg.group.mesh_ties)
        knows_owner = inviter == 0
        traits["habit"][0] = 1.0
        traits["norms"] = np.ones(n)  # founders set the group's norms themselves
        self.members.add(n, **traits, joined_day=0, invited_by=inviter, knows_owner=knows_owner,
                         trust=starting_trust(cfg, knows_owner))
        self.ties.connect(np.arange(1, n), inviter[1:])
        self.ties.connect(mesh_a, mesh_b)
        self._add_agents(np.arange(n))

    def _uniforms(self, drawn: np.ndarray | None = None) -> np.ndarray:
        """Today's uniforms for every slot, with room for joiners (rows never shift)."""
        n = self.members.n
        if drawn is None or len(drawn) < n:
            drawn = self.streams.member_uniforms(self.day, n + 32)
        return drawn[:n]

    def _admit(self, u: np.ndarray) -> np.ndarray:
        slots = self.platform.admit(self, u)
        self._add_agents(slots)
        return slots

    def _add_agents(self, slots: np.ndarray) -> None:
        """Mesa handles for new slots; the per-day flags grow with them (never reset here)."""
        for slot in slots.tolist():
            self.agent_of[slot] = Member(self, slot)
        grow = self.members.n - len(self.left_today)
        self.left_today = np.concatenate([self.left_today, np.zeros(grow, dtype=bool)])
        self.posted_by_hook = np.concatenate([self.posted_by_hook, np.zeros(grow, dtype=bool)])

    @property
    def owner_active(self) -> bool:
        days = self.cfg.group.owner_active_days
        return days == 0 or self.day <= days

    def _group_content(self, u: np.ndarray) -> None:
        """The owner's persona and a course's lectures: the operator's side of the feed.

        The owner posts ``owner_posts_per_day`` (half content, half chat) and
        ``owner_offers_per_day`` offers (a group-buy 团长's 接龙) until stepping
        back after ``owner_active_days`` (0: never). All of it is the
        operator's: it is read and weighed, but it is not members talking.
        """
        group, m = self.cfg.group, self.members
        m.habit[0] = 1.0 if self.owner_active else 0.0
        if self.owner_active:
            posts = int(group.owner_posts_per_day + u[0, Draw.VALUABLE])
            self.post_as(OWNER, "valuable", (posts + 1) // 2)
            self.post_as(OWNER, "chat", posts // 2)
            self.offer(int(group.owner_offers_per_day + u[0, Draw.CHAT]))
        if self.day <= group.event_days:  # a lecture: members ask and discuss (001)
            topic = self.topic_vector(group.event_need)
            self.post("valuable", group.event_posts_per_day, topic)
            self.raise_topic(topic, group.event_stir, heat=0.0)

    # Reporters ----------------------------------------------------------------
    @property
    def present_members(self) -> int:
        """Members still in the group (muted included)."""
        return int(self.members.present.sum())

    def gini_of_messages(self) -> float:
        """Participation inequality: Gini of messages among members ever present."""
        x = np.sort(self.members.column("messages").astype(float))
        if x.sum() == 0:
            return 0.0
        ranks = np.arange(1, len(x) + 1)
        return float((2 * ranks - len(x) - 1) @ x / (len(x) * x.sum()))
