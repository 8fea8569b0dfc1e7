"""Common random numbers: every random draw comes from a named, seeded stream.

A strategy must not shift the draws of anything it does not touch, so draws
are keyed by purpose, day and member slot rather than taken in sequence from
one generator. Member ``i`` on day ``d`` reads the same uniforms under every
strategy; a lever's draws come from its own stream. Two runs on one seed thus
differ only through what the strategy changes (paired comparisons).
"""

from __future__ import annotations

import zlib
from enum import IntEnum

import numpy as np


class Draw(IntEnum):
    """Columns of a member's daily uniforms, one per decision."""

    OPEN = 0
    VALUABLE = 1
    VALUABLE_N = 2
    CHAT = 3
    CHAT_N = 4
    QUARREL = 5
    QUARREL_N = 6
    SPAM = 7
    SPAM_N = 8
    THANKS = 9
    REPLY = 10
    MUTE = 11
    LEAVE = 12
    SOCIAL = 13
    FULFIL = 14
    BUY = 15
    INVITE = 16
    APPROVE = 17
    UNMUTE = 18
    GRAB = 19
    CHECKIN = 20
    AD = 21
    PARTNER = 22
    TIE = 23


def _key(part: int | str) -> int:
    return part if isinstance(part, int) else zlib.crc32(part.encode())


class Streams:
    """Seeded generators keyed by purpose, so draws are stable across strategies."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)

    def generator(self, *key: int | str) -> np.random.Generator:
        return np.random.default_rng([self.seed, *(_key(k) for k in key)])

    def member_uniforms(self, day: int, slots: int) -> np.ndarray:
        """Uniforms of shape (slots, len(Draw)); row ``i`` is member ``i``'s, whatever ``slots``.

        Single precision: 2**-24 resolution is ample for daily probabilities and
        halves the cost of the largest draw of the day.
        """
        return self.generator("members", day).random((slots, len(Draw)), dtype=np.float32)
