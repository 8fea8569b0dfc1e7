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
        cfg: the validated run config.
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
        self.cfg, self.day = cfg, 0
        self.streams = Streams(cfg.seed)
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
        self._found_group()
        self.playbook.setup(self)

    def step(self) -> None:
        """One day: join, operate, read, post, weigh, move on the ladder, buy, record."""
        self.day += 1
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
        behaviour.update_members(self, opened, reading)
        left = behaviour.move_on_ladder(self, u)
        behaviour.track_lost_friends(self, left | self.left_today)
        conversions, sales = behaviour.buy(self, u, opened)
        self.recorder.record(self, posts, conversions, sales + self.revenue_today)

    # Phases that are the group's own, not the members' ----------------------
    def _found_group(self) -> None:
        """The founding population: owner, admins, members invited in a tree."""
        cfg, n = self.cfg, self.cfg.group.initial_members
        rng = self.streams.generator("founders")
        traits = draw_traits(cfg, rng, n)
        traits["needs"][0] = self.topic_vector()
        admins = min(cfg.group.roles.admins, n - 1)
        traits["role"][0], traits["role"][1 : 1 + admins] = Role.OWNER, Role.ADMIN
        inviter, mesh_a, mesh_b = initial_ties(rng, n, cfg.group.knows_owner, cfg.group.mesh_ties)
        knows_owner = inviter == 0
        traits["habit"][0] = 1.0
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
        n = self.members.n
        self.left_today = np.zeros(n, dtype=bool)
        self.posted_by_hook = np.zeros(n, dtype=bool)
        return slots

    def _add_agents(self, slots: np.ndarray) -> None:
        for slot in slots.tolist():
            self.agent_of[slot] = Member(self, slot)

    def _group_content(self, u: np.ndarray) -> None:
        """The owner's persona and a course's lectures: value the group brings by itself.

        The owner posts ``owner_posts_per_day`` (half content, half chat) until
        stepping back after ``owner_active_days`` (0: never).
        """
        group, m = self.cfg.group, self.members
        owner_active = group.owner_active_days == 0 or self.day <= group.owner_active_days
        m.habit[0] = 1.0 if owner_active else 0.0
        if owner_active:
            posts = int(group.owner_posts_per_day + u[0, Draw.VALUABLE])
            self.post_as(OWNER, "valuable", (posts + 1) // 2)
            self.post_as(OWNER, "chat", posts // 2)
        if self.day <= group.event_days:
            self.post("valuable", group.event_posts_per_day, self.topic_vector(group.event_need))

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
