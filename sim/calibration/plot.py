"""The fit figure: the operator's series against the fitted model's spread over seeds."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.calibration.series import OPTIONAL  # noqa: E402
from sim.fonts import cjk_rc  # noqa: E402

sns.set_theme(style="whitegrid", context="notebook", rc=cjk_rc())

PANELS = {"members": "members present", "messages": "messages per day",
          "joined": "joined (cumulative)", "left": "left (cumulative)"}


def cumulative_flows(series: pd.DataFrame) -> pd.DataFrame:
    flows = [c for c in OPTIONAL if c in series.columns]
    keys = ["seed"] if "seed" in series.columns else []
    if not flows:
        return series
    summed = series.groupby(keys)[flows].cumsum() if keys else series[flows].cumsum()
    return series.assign(**summed)


def fit_figure(observed: pd.DataFrame, simulated: pd.DataFrame, title: str) -> plt.Figure:
    """Observed points over the simulated median and 5–95% band, one panel per series."""
    columns = [c for c in PANELS if c in observed.columns]
    observed, simulated = cumulative_flows(observed), cumulative_flows(simulated)
    band = simulated.groupby("day")[columns].quantile([0.05, 0.5, 0.95]).unstack()
    ncols = 2 if len(columns) == 4 else len(columns)
    nrows = len(columns) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 3.8 * nrows), sharex=True,
                             squeeze=False)
    axes = axes.ravel()
    colour = sns.color_palette()[0]
    for ax, column in zip(axes, columns):
        q = band[column]
        ax.fill_between(q.index, q[0.05], q[0.95], color=colour, alpha=0.25, lw=0,
                        label="simulated 5–95%")
        ax.plot(q.index, q[0.5], color=colour, label="simulated median")
        ax.plot(observed["day"], observed[column], "o", ms=2.5, color="0.1", label="observed")
        ax.set(xlabel="day", ylabel=PANELS[column], title=PANELS[column].capitalize())
    axes[0].legend(fontsize="small", loc="best")
    fig.suptitle(title, fontsize="medium")
    fig.tight_layout()
    return fig
