"""Reading sweeps: load runs, compare strategies paired by seed, draw, report.

``groupsim-compare SWEEP_DIR`` writes a report folder; the pieces are
importable for notebooks (``load_sweep``, ``paired_effects``, ``survival``).
"""

from sim.analysis.effects import paired_effects
from sim.analysis.load import Sweep, SweepError, load_sweep
from sim.analysis.survival import member_survival

__all__ = ["Sweep", "SweepError", "load_sweep", "member_survival", "paired_effects"]
