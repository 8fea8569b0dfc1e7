"""The model behind the page: a ``GroupModel`` built from the controls, with its history.

The page needs every day's numbers for the charts and the event log, so the
wrapper keeps one small row and one list of events per day as it steps.
``run_to`` steps without drawing anything: the page redraws once at the end,
which is what makes a 180-day run take seconds instead of minutes.
"""

from __future__ import annotations

import numpy as np

from sim.api import compose_config
from sim.dashboard import levers
from sim.dashboard.events import Before, Event, day_events
from sim.feed import KINDS
from sim.metrics import DAILY_COLUMNS
from sim.model import GroupModel

STATUSES = ("active", "lurkers", "muted")
SERIES = ("day", "members", *STATUSES, "left_total", *(f"msg_{k}" for k in KINDS), "messages",
          "conversions", "conversions_total", "spend_total", "revenue_total")


class DashboardModel(GroupModel):
    """One group under the page's settings (every lever explicit), with a row a day.

    ``settings`` default to the named playbook's own; ``history[name]`` is a
    list with one value per day from day 0 (the founding, before anyone posts).
    """

    def __init__(self, group: str = "interest", strategy: str = "playbook", seed: int | str = 0,
                 settings: levers.Settings | None = None, days: int | None = None) -> None:
        self.settings = dict(settings) if settings is not None else levers.playbook_settings(strategy)
        self.overrides = [f"group={group}", f"strategy={strategy}", f"seed={int(seed)}",
                          *([f"days={int(days)}"] if days else []), *levers.overrides(self.settings)]
        with levers._HYDRA:
            cfg = compose_config(self.overrides)
        super().__init__(cfg)
        self.history: dict[str, list[float]] = {name: [] for name in SERIES}
        self.events: dict[int, list[Event]] = {}
        self._append(dict.fromkeys(DAILY_COLUMNS, 0) | {
            "members": self.present_members, "lurkers": self.present_members})

    @property
    def finished(self) -> bool:
        return self.day >= self.cfg.days

    def step(self) -> None:
        before = Before.of(self)
        super().step()
        self.running = not self.finished
        self._append(dict(zip(DAILY_COLUMNS, self.recorder.rows[-1])))
        if events := day_events(self, before):
            self.events[self.day] = events

    def run_to(self, day: int) -> None:
        """Step until ``day`` (or the run's last day), drawing nothing on the way."""
        while self.day < min(day, self.cfg.days):
            self.step()

    def _append(self, row: dict) -> None:
        h = self.history
        last = {name: (h[name][-1] if h[name] else 0) for name in
                ("left_total", "conversions_total", "spend_total", "revenue_total")}
        values = {
            "day": self.day, "members": row["members"], "messages": row["messages"],
            **{status: row[status] for status in STATUSES},
            **{f"msg_{k}": row[f"msg_{k}"] for k in KINDS},
            "conversions": row["conversions"],
            "left_total": last["left_total"] + row["left"],
            "conversions_total": last["conversions_total"] + row["conversions"],
            "spend_total": last["spend_total"] + row["spend_money"],
            "revenue_total": last["revenue_total"] + row["revenue"],
        }
        for name in SERIES:
            h[name].append(values[name])

    def series(self, name: str) -> np.ndarray:
        return np.asarray(self.history[name])
