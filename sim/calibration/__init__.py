"""Calibrating a group to an operator's own daily series (``groupsim-calibrate``).

``read_series`` checks the CSV, ``free_params`` names what is fitted,
``calibrate`` searches; ``sim.calibrate`` is the command that writes the fit.
"""

from sim.calibration.objective import DEFAULT_PARAMS, FreeParam, free_params, simulate_series
from sim.calibration.search import Fit, calibrate
from sim.calibration.series import SeriesError, read_series

__all__ = ["DEFAULT_PARAMS", "Fit", "FreeParam", "SeriesError", "calibrate", "free_params",
           "read_series", "simulate_series"]
