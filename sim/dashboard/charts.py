"""The page's pictures: three time-series charts and the tie network.

The time series are ECharts options the browser draws (a redraw sends a few
lists of numbers; a matplotlib PNG of them cost 0.15-0.4 s a day). The
network is a matplotlib PNG on a plain ``Figure`` (no pyplot state, so two
tabs never share one), costly, so drawn only every N days or on demand,
from a layout kept between drawings. Every axis says "day" (one step is one
day), counts and conversions have whole-number ticks, and day 0 shows an
axis from 0 to 1, not matplotlib's ±0.045 default.
"""

from __future__ import annotations

import numpy as np
from matplotlib import rcParams
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from sim.dashboard.run import STATUSES, DashboardModel
from sim.feed import KINDS
from sim.fonts import cjk_rc, register
from sim.i18n import t
from sim.members import Status

STATUS_COLOURS = dict(zip(STATUSES, ("#2a9d8f", "#8d99ae", "#e9c46a"))) | {"left_total": "#e76f51"}
KIND_COLOURS = dict(zip(KINDS, ("#2a9d8f", "#8ab17d", "#e9c46a", "#6d597a", "#e76f51", "#264653")))
STATUS_LABELS = {"active": "active", "lurkers": "lurkers", "muted": "muted", "left_total": "left (total)"}
KIND_LABELS = {"valuable": "valuable", "chat": "chat", "thanks": "thanks", "spam": "spam",
               "quarrel": "quarrel", "ad": "ads"}
DPI = 80
# The browser draws the charts' text: prefer a font with Chinese glyphs wherever one is installed.
CJK_FONTS = ("'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'PingFang SC', "
             "'Microsoft YaHei', sans-serif")


def use_cjk_font() -> str:
    """Draw Chinese with the CJK font shipped through pip (``sim.fonts``); returns its family."""
    rcParams.update(cjk_rc())
    return register()


def _l(msgid: str, lang: str | None, **fmt) -> str:
    return t(msgid, lang, domain="dashboard", **fmt)


def _axis(name: str, top: float, **more) -> dict:
    """A count axis from 0 with whole-number ticks; at least 0..1 when all is 0 (day 0)."""
    return {"type": "value", "name": name, "nameLocation": "middle", "nameGap": 38, "min": 0,
            "max": None if top > 0 else 1, "minInterval": 1, "nameTextStyle": {"fontSize": 11}, **more}


def _lines(days: list[int], named: dict[str, tuple[list, str]], **more) -> list[dict]:
    return [{"type": "line", "name": label, "data": [list(p) for p in zip(days, values)],
             "showSymbol": False, "color": colour, "lineStyle": {"width": 1.5}, **more}
            for label, (values, colour) in named.items()]


def _chart(title: str, days: list[int], series: list[dict], y_axes: list[dict], lang: str | None) -> dict:
    """One ECharts option: title, legend, tooltip, a day axis from 0, no animation."""
    return {
        "animation": False,
        "textStyle": {"fontFamily": CJK_FONTS},
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 13}},
        "legend": {"top": 22, "itemWidth": 14, "textStyle": {"fontSize": 10}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 52, "right": 52 if len(y_axes) > 1 else 16, "top": 78, "bottom": 40},
        "xAxis": {"type": "value", "name": _l("day", lang), "nameLocation": "middle", "nameGap": 24,
                  "min": 0, "max": max(days[-1], 1), "minInterval": 1},
        "yAxis": y_axes,
        "series": series,
    }


def time_series(model: DashboardModel, lang: str | None = None) -> list[dict]:
    """Members by status, messages by kind, and money with conversions: three ECharts options.

    The browser draws them, so a redraw costs the server a few lists of numbers,
    not a PNG; hovering a day shows its numbers.
    """
    h = model.history
    days = [int(d) for d in h["day"]]

    def values(name: str) -> list:
        return [v.item() if hasattr(v, "item") else v for v in h[name]]

    status = {_l(STATUS_LABELS[n], lang): (values(n), c) for n, c in STATUS_COLOURS.items()}
    kinds = {_l(KIND_LABELS[k], lang): (values(f"msg_{k}"), c) for k, c in KIND_COLOURS.items()}
    money = {_l("spent ¥", lang): (values("spend_total"), "#e76f51"),
             _l("revenue ¥", lang): (values("revenue_total"), "#2a9d8f")}
    conversions = _lines(days, {_l("conversions", lang): (values("conversions_total"), "#264653")},
                         yAxisIndex=1, step="end", lineStyle={"type": "dashed", "width": 1.5})
    top = {name: max(max(values(n)) for n in names) for name, names in {
        "status": STATUS_COLOURS, "kinds": [f"msg_{k}" for k in KINDS],
        "money": ["spend_total", "revenue_total"], "conversions": ["conversions_total"]}.items()}
    return [
        _chart(_l("Members by status", lang), days, _lines(days, status),
               [_axis(_l("members", lang), top["status"])], lang),
        _chart(_l("Messages by kind, per day", lang), days, _lines(days, kinds),
               [_axis(_l("messages", lang), top["kinds"])], lang),
        _chart(_l("Money and conversions, so far", lang), days, _lines(days, money) + conversions,
               [_axis(_l("¥ so far", lang), top["money"]),
                _axis(_l("conversions so far", lang), top["conversions"], splitLine={"show": False})],
               lang),
    ]


class TieLayout:
    """Node positions kept between drawings, so the picture moves only where the ties do.

    A newcomer starts next to whoever invited them; each drawing runs a few
    spring iterations warm-started from the last positions, over present
    members only. It is recomputed only when the network is drawn.
    """

    def __init__(self) -> None:
        self.xy = np.zeros((0, 2))
        self.day = -1
        self.rng = np.random.default_rng(0)

    def positions(self, model: DashboardModel) -> np.ndarray:
        import networkx as nx

        if model.day == self.day and len(self.xy) == model.members.n:
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
                                     iterations=50 if self.day < 0 else 10)
            nodes = np.fromiter(moved, dtype=np.int64)
            xy[nodes] = np.array([moved[v] for v in nodes.tolist()])
        self.xy, self.day = xy, model.day
        return xy


def tie_network(model: DashboardModel, layout: TieLayout, lang: str | None = None) -> Figure:
    """Present members and the ties between them, coloured by status; the owner is the star."""
    members, day = model.members, model.day
    xy = layout.positions(model)
    present = members.present
    a, b = model.ties.edges()
    kept = present[a] & present[b]
    active = members.active(day, model.cfg.population.active_window_days)
    muted = members.column("status") == Status.MUTED
    groups = {"active": active, "lurkers": members.reachable & ~active, "muted": muted}
    fig = Figure(figsize=(5, 5), dpi=DPI)
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.9))
    ax.add_collection(LineCollection(np.stack([xy[a[kept]], xy[b[kept]]], axis=1),
                                     colors="#adb5bd", linewidths=0.4, alpha=0.4, zorder=1))
    for name, mask in groups.items():
        ax.scatter(*xy[mask].T, s=12, color=STATUS_COLOURS[name],
                   label=f"{_l(STATUS_LABELS[name], lang)} ({int(mask.sum())})", zorder=2)
    ax.scatter(*xy[0], s=90, marker="*", color="black", label=_l("owner", lang), zorder=3)
    ax.set_title(_l("Ties among {n} present members (day {day})", lang, n=int(present.sum()), day=day))
    ax.legend(loc="upper right", fontsize="small")
    ax.set_axis_off()
    ax.autoscale_view()
    return fig
