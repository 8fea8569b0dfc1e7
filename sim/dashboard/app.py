"""The dashboard page: Mesa's SolaraViz controls over a ``GroupModel``, and live panels.

Pick an archetype and a playbook, add levers on top with the sliders, press
Reset to build the group, then Step or ▶ and watch members by status,
messages by kind, the tie network and the money. On Reset SolaraViz rebuilds
the model as ``DashboardModel(**controls)``, so the controls are the wrapper's
keyword arguments; it turns them into Hydra overrides and composes them the
way ``groupsim`` and ``sim.api`` do.

The panels are laid out here rather than in SolaraViz's draggable grid, which
stays blank with ipyvue 3 (mesa#3806); SolaraViz still owns the controls and
the model's lifecycle, through the reactive model the page hands it.
"""

from __future__ import annotations

import threading

import mesa
import networkx as nx
import numpy as np
import solara
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from mesa.visualization import Slider, SolaraViz, make_plot_component
from mesa.visualization.utils import update_counter

from sim.api import CONFIG_DIR, compose_config
from sim.feed import KINDS
from sim.members import Status
from sim.metrics import DAILY_COLUMNS
from sim.model import GroupModel

ARCHETYPES = sorted(p.stem for p in (CONFIG_DIR / "group").glob("*.yaml"))
PLAYBOOKS = sorted(p.stem for p in (CONFIG_DIR / "strategy").glob("*.yaml"))

# control: (key under ``strategy``, input). A control at 0 (or off) leaves the
# playbook as it is. Any other value sets the key, and a lever's key also
# switches that lever on, so ``none`` plus one slider gives that one lever alone.
CONTROLS = {
    "red_packet_money": ("red_packets.money", Slider("Red packet ¥", 0, 0, 200, 5)),
    "red_packet_every": ("red_packets.every", Slider("Red packet every N days", 0, 0, 30)),
    "topic_every": ("topics.every", Slider("Hot topic every N days", 0, 0, 14)),
    "strict_rules": ("rules.enabled", {"type": "Checkbox", "value": False, "label": "Strict rules"}),
    "kols": ("kol.kols", Slider("KOLs cultivated", 0, 0, 20)),
    "ads_per_day": ("hard_sell.posts", Slider("Hard-sell ads a day", 0, 0, 20)),
    # The baseline has neither money nor hours, so levers added to it need these.
    "budget_money": ("budget_money", Slider("Money budget ¥", 0, 0, 20000, 500)),
    "hours_per_day": ("hours_per_day", Slider("Operator hours a day", 0.0, 0.0, 8.0, 0.5)),
}
MODEL_PARAMS = {
    "group": {"type": "Select", "value": "interest", "values": ARCHETYPES, "label": "Group archetype"},
    "strategy": {"type": "Select", "value": "playbook", "values": PLAYBOOKS, "label": "Playbook"},
    "seed": {"type": "InputText", "value": "0", "label": "Seed"},
    **{name: widget for name, (_, widget) in CONTROLS.items()},
}

STATUS_COLOURS = {"active": "#2a9d8f", "lurkers": "#8d99ae", "muted": "#e9c46a", "left (total)": "#e76f51"}
KIND_COLOURS = dict(zip(KINDS, ("#2a9d8f", "#8ab17d", "#e9c46a", "#6d597a", "#e76f51", "#264653")))

_HYDRA = threading.Lock()  # Hydra's compose state is global; two tabs may press Reset at once


def strategy_overrides(controls: dict[str, float | bool]) -> list[str]:
    """Hydra overrides for the controls that are set (see ``CONTROLS``)."""
    chosen: dict[str, str] = {}
    for name, value in controls.items():
        if name not in CONTROLS:
            raise TypeError(f"unknown dashboard control {name!r}; known: {', '.join(CONTROLS)}")
        if not value:
            continue
        key = CONTROLS[name][0]
        lever = key.rpartition(".")[0]
        if lever:
            chosen[f"strategy.{lever}.enabled"] = "true"
        chosen[f"strategy.{key}"] = "true" if value is True else str(value)
    return [f"{key}={value}" for key, value in chosen.items()]


class DashboardModel(GroupModel):
    """A ``GroupModel`` built from the dashboard's controls, collecting what the plots show.

    Mesa's plot components read ``datacollector``. It copies the recorder's
    latest daily row and some running totals, so the plots show the same
    numbers as the ``daily`` table. Day 0 is the founding, before anyone has
    posted. The run stops (▶ pauses) after ``cfg.days`` days.
    """

    # Named one by one (no **kwargs): SolaraViz checks names against this signature,
    # and would pass a ``scenario`` to a model that takes any keyword.
    def __init__(self, group: str = "interest", strategy: str = "playbook", seed: int | str = 0, *,
                 red_packet_money: float = 0, red_packet_every: int = 0, topic_every: int = 0,
                 strict_rules: bool = False, kols: int = 0, ads_per_day: int = 0,
                 budget_money: float = 0, hours_per_day: float = 0.0) -> None:
        controls = {name: value for name, value in locals().items() if name in CONTROLS}
        overrides = [f"group={group}", f"strategy={strategy}", f"seed={int(seed)}",
                     *strategy_overrides(controls)]
        with _HYDRA:
            cfg = compose_config(overrides)
        super().__init__(cfg)
        self.overrides = overrides
        self.tie_layout = TieLayout()
        self.totals = {"conversions": 0, "spend": 0.0, "revenue": 0.0, "left": 0}
        self.figures = self._today_figures()
        self.datacollector = mesa.DataCollector(
            model_reporters={name: (lambda m, name=name: m.figures[name]) for name in self.figures})
        self.datacollector.collect(self)

    def step(self) -> None:
        super().step()
        self.running = self.day < self.cfg.days
        self.figures = self._today_figures()
        self.datacollector.collect(self)

    def _today_figures(self) -> dict[str, float]:
        """Today's numbers for the panels; adds today to the running totals, so once a day."""
        if self.recorder.rows:
            row = dict(zip(DAILY_COLUMNS, self.recorder.rows[-1]))
        else:
            row = dict.fromkeys(DAILY_COLUMNS, 0)
            row.update(members=self.present_members, lurkers=self.present_members)
        totals = self.totals
        totals["conversions"] += row["conversions"]
        totals["spend"] += row["spend_money"]
        totals["revenue"] += row["revenue"]
        totals["left"] += row["left"]
        return {
            "day": self.day, "members": row["members"], "messages": row["messages"],
            "conversions": row["conversions"],
            **{status: row[status] for status in ("active", "lurkers", "muted")},
            "left (total)": totals["left"],
            **{kind: row[f"msg_{kind}"] for kind in KINDS},
            "conversions (total)": totals["conversions"],
            "spend ¥ (total)": totals["spend"],
            "revenue ¥ (total)": totals["revenue"],
        }


class TieLayout:
    """Node positions kept from day to day, so the picture moves only where the ties do.

    A newcomer starts next to whoever invited them (a stranger from a QR code
    starts anywhere). Each new day runs a few spring iterations, warm-started
    from yesterday's positions, over the present members only; the founding
    day runs more. That costs about 10 ms for 200 members, not a fresh layout per step.
    """

    def __init__(self) -> None:
        self.xy = np.zeros((0, 2))
        self.day = -1
        self.rng = np.random.default_rng(0)

    def positions(self, model: GroupModel) -> np.ndarray:
        """(x, y) for every member slot; only present members' positions are current."""
        if model.day == self.day:
            return self.xy
        members, known = model.members, len(self.xy)
        xy = np.vstack([self.xy, np.zeros((members.n - known, 2))])
        for slot in range(known, members.n):
            inviter = members.invited_by[slot]
            anchor = xy[inviter] if 0 <= inviter < slot else self.rng.uniform(-1, 1, 2)
            xy[slot] = anchor + self.rng.normal(0, 0.05, 2)
        graph = model.ties.to_networkx(members.n, members.present)
        if graph.number_of_nodes():
            moved = nx.spring_layout(graph, pos={v: xy[v] for v in graph}, seed=0,
                                     iterations=50 if self.day < 0 else 5)
            nodes = np.fromiter(moved, dtype=np.int64)
            xy[nodes] = np.array([moved[v] for v in nodes.tolist()])
        self.xy, self.day = xy, model.day
        return xy


# Panels: functions of the model, redrawn after every step.
def today(model: DashboardModel):
    """Today's numbers in one line (read by people and by the browser test), and what runs.

    The sliders do not show their values and act only on Reset, so the
    overrides of the running model are spelled out.
    """
    f, book = model.figures, model.playbook
    text = (f"**Day {f['day']}** · {f['members']} members present · {f['messages']} messages today "
            f"· {f['conversions']} conversions ({f['conversions (total)']} in all) "
            f"· ¥{f['spend ¥ (total)']:,.0f} spent · ¥{f['revenue ¥ (total)']:,.0f} revenue")
    text += ("\n\nRunning: `" + " ".join(model.overrides) + "`. Controls act on Reset; a lever "
             "slider at 0 keeps the playbook's setting, any other value switches that lever on.")
    if book.uses:
        text += "\n\nLevers pulled: " + ", ".join(f"{k} ×{v}" for k, v in book.uses.items())
    if book.unaffordable:
        text += ("\n\nSkipped, out of money or hours: "
                 + ", ".join(f"{k} ×{v}" for k, v in book.unaffordable.items()))
    return solara.Div(children=[solara.Markdown(text)], classes=["groupsim-today"])


def tie_network(model: DashboardModel):
    """Present members and the ties between them, coloured by status."""
    members, day = model.members, model.day
    xy = model.tie_layout.positions(model)
    present = members.present
    a, b = model.ties.edges()
    kept = present[a] & present[b]
    active = members.active(day, model.cfg.population.active_window_days)
    muted = members.column("status") == Status.MUTED
    groups = {"active": active, "lurkers": members.reachable & ~active, "muted": muted}

    fig = Figure(figsize=(5, 5))
    ax = fig.subplots()
    ax.add_collection(LineCollection(np.stack([xy[a[kept]], xy[b[kept]]], axis=1),
                                     colors="#adb5bd", linewidths=0.4, alpha=0.4, zorder=1))
    for label, mask in groups.items():
        ax.scatter(*xy[mask].T, s=14, color=STATUS_COLOURS[label], label=f"{label} ({mask.sum()})",
                   zorder=2)
    ax.scatter(*xy[0], s=90, marker="*", color="black", label="owner", zorder=3)
    ax.set_title(f"Ties among {present.sum()} present members (day {day})")
    ax.legend(loc="upper right", fontsize="small")
    ax.set_axis_off()
    ax.autoscale_view()
    return solara.FigureMatplotlib(fig, format="png", bbox_inches="tight")


def money(model: DashboardModel):
    """Money out and in (¥, left axis) and conversions (right axis), summed from day 1."""
    df = model.datacollector.get_model_vars_dataframe()
    fig = Figure()
    ax = fig.subplots()
    ax.plot(df["spend ¥ (total)"], color="#e76f51", label="spend ¥")
    ax.plot(df["revenue ¥ (total)"], color="#2a9d8f", label="revenue ¥")
    ax.set_xlabel("day")
    ax.set_ylabel("¥ so far")
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    conversions = ax.twinx()
    conversions.step(df.index, df["conversions (total)"], where="post", color="#264653",
                     linestyle="--", label="conversions")
    conversions.set_ylabel("conversions so far")
    conversions.set_ylim(bottom=0)
    lines = ax.get_lines() + conversions.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="upper left")
    return solara.FigureMatplotlib(fig, format="png", bbox_inches="tight")


def _titled(title: str):
    def post_process(ax) -> None:  # Mesa labels the x axis "Step": one step is one day
        ax.set_title(title)
    return post_process


members_by_status = make_plot_component(STATUS_COLOURS, post_process=_titled("Members by status"))[0]
messages_by_kind = make_plot_component(KIND_COLOURS, post_process=_titled("Messages by kind, per day"))[0]


@solara.component
def Panels(model: DashboardModel):
    update_counter.get()  # SolaraViz bumps it after every step
    with solara.Div(classes=["groupsim-panels"]):
        today(model)
        with solara.Columns([1, 1]):
            with solara.Column():
                members_by_status(model)
                tie_network(model)
            with solara.Column():
                messages_by_kind(model)
                money(model)


@solara.component
def Page():
    """The page solara serves. Each browser tab gets a model of its own."""
    first = solara.use_memo(
        lambda: DashboardModel(**{name: widget.get("value") for name, widget in MODEL_PARAMS.items()}),
        dependencies=[],
    )
    model = solara.use_reactive(first)
    SolaraViz(model, components=[], model_params=MODEL_PARAMS,
              name="groupsim: one WeChat group, day by day")
    Panels(model.value)
