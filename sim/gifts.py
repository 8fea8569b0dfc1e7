"""Money in the group: grabbing red packets, prizes, and gift contagion.

A lucky-draw red packet (拼手气红包) is split at random among the first
readers to grab it (000). Recipients then give some of it back: Yuan et al.
(Management Science 2024) find members send about 18% of what they received
to the group within 24 hours, mostly the luckiest recipient (手气最佳), whom
the group expects to send the next packet. Those packets are grabbed and
thanked like the operator's, so one packet sets off a short cascade that dies
as the shares grabbed fall below what is worth giving back for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.members import Status
from sim.randomness import Draw

if TYPE_CHECKING:
    from sim.model import GroupModel


@dataclass
class Ledger:
    """Red-packet money members grabbed and sent, for the run's summary."""

    received: float = 0.0
    sent: float = 0.0
    sent_by_luckiest: float = 0.0
    due: list[tuple[int, float, bool]] = field(default_factory=list)  # (slot, amount, luckiest)

    def summary(self) -> dict[str, float | None]:
        return {
            "received": self.received,
            "sent_back": self.sent,
            "return_ratio": self.sent / self.received if self.received else None,
            "luckiest_share": self.sent_by_luckiest / self.sent if self.sent else None,
        }


def send_member_packets(model: GroupModel) -> None:
    """Yesterday's recipients who chose to give back post their packets today."""
    ledger, pop = model.gifts, model.cfg.population
    due, ledger.due = ledger.due, []
    for slot, amount, luckiest in due:
        if model.members.status[slot] != Status.PRESENT:
            continue
        model.today.red_packets.append((amount, pop.packet_shares))
        model.today.thanks_prompt = max(model.today.thanks_prompt, pop.packet_thanks)
        model.post_as(np.array([slot]), "thanks", scripted=False)  # the member's own packet
        ledger.sent += amount
        ledger.sent_by_luckiest += amount * luckiest


def grab(model: GroupModel, u: np.ndarray, opened: np.ndarray) -> np.ndarray:
    """Money each member received today (prizes and grabbed packets); queue gifts back.

    The first ``shares`` readers to open the group grab a packet, in a random
    order drawn per member and day; the split is a flat Dirichlet (拼手气).
    """
    m, today, pop = model.members, model.today, model.cfg.population
    received = np.zeros(m.n)
    for slot, amount in today.rewards.items():
        received[slot] += amount
    grabbers = np.flatnonzero(opened)
    for packet, (amount, shares) in enumerate(today.red_packets):
        if len(grabbers) == 0:
            break
        winners = grabbers[np.argsort(u[grabbers, Draw.GRAB], kind="stable")[:shares]]
        rng = model.streams.generator("red_packet_split", model.day, packet)
        got = amount * rng.dirichlet(np.ones(len(winners)))
        received[winners] += got
        model.gifts.received += got.sum()
        luckiest = np.arange(len(winners)) == np.argmax(got)
        chance = np.where(luckiest, pop.packet_lucky_send, pop.packet_other_send)
        chance[got < pop.packet_min_grab] = 0.0  # a few jiao is not worth a packet back
        for i in np.flatnonzero(rng.random(len(winners)) < chance).tolist():
            model.gifts.due.append((int(winners[i]), pop.packet_send_multiple * got[i],
                                    bool(luckiest[i])))
    return received
