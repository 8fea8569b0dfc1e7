"""Admission threshold and paid entry (准入门槛 / 付费群): fewer, fitter, committed members."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class AdmissionParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.admission"
    hours: float = ranged(0.2, 0.0, 24.0)
    threshold: float = ranged(0.85, 0.0, 1.0)
    screening: float = ranged(0.8, 0.0, 1.0)
    fee: float = ranged(0.0, 0.0, None)


class Admission(Lever):
    """Screen joiners by need fit (``threshold``) and optionally charge ``fee``.

    Seed 000: a high entry threshold makes members value the group; paying
    "identifies your real users". Seed 004: paid groups can afford a fuller
    role structure and their members, having paid, stay. Candidates whose
    needs fit the group's profile less than ``threshold`` (cosine) are turned
    away, as are most spammers (``screening``); a fee deters all but the keen,
    and what a member paid is money they have in the group: it adds to their
    commitment (``population.invest_commitment`` per yuan, ``sim.behaviour.commitment``),
    so the effect grows with the fee and only touches those who paid.
    Side effect: slower growth. The fee is revenue.
    """

    name = "admission"
    Params = AdmissionParams
    classifier = {
        "cadence": "standing",
        "touches": frozenset({"joins", "status"}),
        "spends": frozenset({"hours"}),
        "stochastic": False,
        "sources": ("000", "004"),
    }

    def setup(self, model) -> None:
        p = self.params
        model.set_policy(admission_threshold=p.threshold, screening=p.screening, entry_fee=p.fee)

    def act(self, model) -> None:
        """Reviewing applications is the daily work; the filter itself is standing."""
