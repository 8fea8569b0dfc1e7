"""The page's pictures: three small time-series panels and the tie network.

Drawn with matplotlib's Agg on plain ``Figure`` objects (no pyplot state, so
two tabs never share a figure). The time series are one small figure, drawn
once per redraw; the network is costly and is drawn only when asked (every N
days or on demand), from a layout kept from one drawing to the next.
Every axis says "day" (one step is one day), counts have integer ticks, and
day 0 shows a proper empty axis from 0, not matplotlib's ±0.045 default.
"""

from __future__ import annotations

import numpy as np
from matplotlib import font_manager, rcParams
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.dashboard.run import STATUSES, DashboardModel
from sim.feed import KINDS
from sim.i18n import t
from sim.members import Status

CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                "Noto Sans SC", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC")
STATUS_COLOURS = dict(zip(STATUSES, ("#2a9d8f", "#8d99ae", "#e9c46a"))) | {"left_total": "#e76f51"}
KIND_COLOURS = dict(zip(KINDS, ("#2a9d8f", "#8ab17d", "#e9c46a", "#6d597a", "#e76f51", "#264653")))
STATUS_LABELS = {"active": "active", "lurkers": "lurkers", "muted": "muted", "left_total": "left (total)"}
KIND_LABELS = {"valuable": "valuable", "chat": "chat", "thanks": "thanks", "spam": "spam",
               "quarrel": "quarrel", "ad": "ads"}
DPI = 80


def use_cjk_font() -> str | None:
    """Put the first installed CJK font ahead of matplotlib's default, so 中文 renders.

    Returns its family name, or None when there is none (then Chinese labels
    show as boxes; ``apt-get install fonts-wqy-microhei`` fixes that).
    """
    installed = {font.name for font in font_manager.fontManager.ttflist}
    if not installed.intersection(CJK_FAMILIES):  # installed after matplotlib cached its font list
        for path in font_manager.findSystemFonts():
            if any(mark in path.lower() for mark in ("cjk", "wqy", "sourcehan", "simhei", "yahei")):
                font_manager.fontManager.addfont(path)
        installed = {font.name for font in font_manager.fontManager.ttflist}
    family = next((name for name in CJK_FAMILIES if name in installed), None)
    if family:
        rcParams["font.sans-serif"] = [family, *[f for f in rcParams["font.sans-serif"] if f != family]]
        rcParams["font.family"] = "sans-serif"
        rcParams["axes.unicode_minus"] = False
    return family


def _l(msgid: str, lang: str | None, **fmt) -> str:
    return t(msgid, lang, domain="dashboard", **fmt)


def _day_axis(ax, days: np.ndarray, lang: str | None) -> None:
    """Days from 0 on x; counts from 0 on y, at least 0..1 when all are 0 (day 0)."""
    ax.set_xlim(0, max(int(days[-1]), 1))
    top = max((float(np.max(line.get_ydata())) for line in ax.get_lines()), default=0.0)
    ax.set_ylim(0, max(top * 1.08, 1.0))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.set_xlabel(_l("day", lang))
    ax.grid(alpha=0.3)


def time_series(model: DashboardModel, lang: str | None = None) -> Figure:
    """Members by status, messages by kind, and money with conversions, day by day."""
    days = model.series("day")
    fig = Figure(figsize=(12, 3.1), dpi=DPI)
    fig.subplots_adjust(left=0.05, right=0.95, bottom=0.16, top=0.9, wspace=0.3)
    status_ax, kind_ax, money_ax = fig.subplots(1, 3)
    for name, colour in STATUS_COLOURS.items():
        status_ax.plot(days, model.series(name), color=colour, label=_l(STATUS_LABELS[name], lang))
    status_ax.set_title(_l("Members by status", lang))
    status_ax.set_ylabel(_l("members", lang))
    for kind, colour in KIND_COLOURS.items():
        kind_ax.plot(days, model.series(f"msg_{kind}"), color=colour, label=_l(KIND_LABELS[kind], lang))
    kind_ax.set_title(_l("Messages by kind, per day", lang))
    kind_ax.set_ylabel(_l("messages", lang))
    money_ax.plot(days, model.series("spend_total"), color="#e76f51", label=_l("spent ¥", lang))
    money_ax.plot(days, model.series("revenue_total"), color="#2a9d8f", label=_l("revenue ¥", lang))
    money_ax.set_title(_l("Money and conversions, so far", lang))
    money_ax.set_ylabel(_l("¥ so far", lang))
    for ax in (status_ax, kind_ax, money_ax):
        _day_axis(ax, days, lang)
        ax.legend(loc="upper left", fontsize="x-small", ncol=2)
    buyers = money_ax.twinx()
    buyers.step(days, model.series("conversions_total"), where="post", color="#264653",
                linestyle="--", label=_l("conversions", lang))
    buyers.set_ylabel(_l("conversions so far", lang))
    top = max(float(model.series("conversions_total")[-1]), 1.0)
    buyers.set_ylim(0, top * 1.1)
    buyers.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    buyers.legend(loc="upper right", fontsize="x-small")
    return fig


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
