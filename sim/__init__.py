"""groupsim: an agent-based simulator of WeChat group lifecycles.

``simulate(overrides)`` runs one group in memory; ``GroupModel`` is the Mesa
model; ``sim.strategies`` holds the operator levers.
"""

from sim.api import Run, compose_config, run, simulate
from sim.checks import ConfigError
from sim.model import GroupModel

__all__ = ["ConfigError", "GroupModel", "Run", "compose_config", "run", "simulate"]
