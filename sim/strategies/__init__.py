"""Operator levers, one module each, and the playbook that combines them.

Each lever is a small class (``sim.strategies.base.Lever``) with a docstring
citing the seed article that describes it and a ``classifier`` of declared
properties. ``LEVERS`` maps config names to classes.
"""

from sim.strategies.base import Lever, LeverParams
from sim.strategies.playbook import LEVERS, Playbook, PlaybookConfig

__all__ = ["LEVERS", "Lever", "LeverParams", "Playbook", "PlaybookConfig"]
