"""The outcomes an experiment measures: see ``sim.analysis.outcomes`` (shared with groupsim-compare)."""

from sim.analysis.outcomes import LATE_WINDOW, METRICS, Metric, RunTables, run_outcomes

__all__ = ["LATE_WINDOW", "METRICS", "Metric", "RunTables", "run_outcomes"]
