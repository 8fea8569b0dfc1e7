"""Fidelity: the model against published facts about real groups (``groupsim-validate``)."""

from sim.validation.facts import FACTS, Fact, Finding, Scale

__all__ = ["FACTS", "Fact", "Finding", "Scale"]
