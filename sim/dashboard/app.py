"""The dashboard page: lever controls on the left, one group (or two, A/B) day by day.

Solara serves ``Page``. Each browser tab has its own state (solara's
reactive variables are per tab). The controls start from the chosen
playbook's settings and act on Reset; Step, "+7 days" and "Run to day N"
step the model(s) without drawing and redraw once. With A/B on, two
settings run side by side on the same archetype and seed, so any difference
between the two columns comes from the settings alone.

This page replaces Mesa's SolaraViz controls: their Play/Render interval and
thread switches meant nothing to trainees, and SolaraViz holds one model,
while A/B needs two.
"""

from __future__ import annotations

import io
import threading
from html import escape

import solara

from sim.api import CONFIG_DIR
from sim.dashboard import charts, levers
from sim.checks import ConfigError
from sim.dashboard.events import lever_name, log_line
from sim.dashboard.run import DashboardModel
from sim.i18n import current_lang, t

ARCHETYPES = sorted(p.stem for p in (CONFIG_DIR / "group").glob("*.yaml"))
PLAYBOOKS = sorted(p.stem for p in (CONFIG_DIR / "strategy").glob("*.yaml"))
LOG_DAYS = 60  # event-log lines shown, latest first
charts.use_cjk_font()


def _warm_up() -> None:
    """Step a throwaway group once, so numba's kernels are loaded before the first Step click."""
    DashboardModel("interest", "none", 0, days=2).run_to(2)


threading.Thread(target=_warm_up, name="groupsim-warm-up", daemon=True).start()


def L(msgid: str, **fmt) -> str:
    """The page's text in the tab's language."""
    return t(msgid, lang.value, domain="dashboard", **fmt)


lang = solara.reactive(current_lang())
group = solara.reactive("interest")
strategy = solara.reactive("playbook")
seed = solara.reactive(0)
compare = solara.reactive(False)
editing = solara.reactive("A")
settings = {"A": solara.reactive(levers.playbook_settings("playbook")),
            "B": solara.reactive(levers.playbook_settings("playbook"))}
models: solara.Reactive[dict] = solara.reactive({})
redraws = solara.reactive(0)  # bumped after the models step in place
target_day = solara.reactive(30)
network_every = solara.reactive(10)
network_now = solara.reactive(0)
problem = solara.reactive("")  # why the last Reset was refused, if it was


def png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def build() -> None:
    """(Re)build the model(s) from the controls: Reset. A setting the model refuses is shown."""
    try:
        runs = {"A": DashboardModel(group.value, strategy.value, seed.value, settings["A"].value)}
        if compare.value:
            runs["B"] = DashboardModel(group.value, strategy.value, seed.value, settings["B"].value)
    except (ConfigError, ValueError) as exc:
        problem.set(str(exc))
        return
    problem.set("")
    for model in runs.values():
        model.tie_layout = charts.TieLayout()
    models.set(runs)
    redraws.set(redraws.value + 1)


def advance(to_day: int) -> None:
    for model in models.value.values():
        model.run_to(to_day)
    redraws.set(redraws.value + 1)


def advance_by(days: int) -> None:
    """Step every model ``days`` days from where it is now (read at the click, not at render)."""
    advance(max((m.day for m in models.value.values()), default=0) + days)


def pick_playbook(name: str) -> None:
    """A new playbook loads its own settings into both A and B."""
    strategy.set(name)
    for which in settings.values():
        which.set(levers.playbook_settings(name))


def start_compare(on: bool) -> None:
    """B starts as a copy of A: change B, Reset, and the columns differ by that change only."""
    if on:
        settings["B"].set(dict(settings["A"].value))
    else:
        editing.set("A")
    compare.set(on)
    build()  # show both columns (or one) at once, from day 0


# Controls ------------------------------------------------------------------------------
def _shown(knob: levers.Knob, value: float) -> str:
    shown = value * knob.scale
    number = f"{shown:,.0f}" if float(shown).is_integer() else f"{shown:g}"
    return f"{number} {L(knob.unit)}".strip() if knob.unit != "¥" else f"¥{number}"


@solara.component
def KnobSlider(knob: levers.Knob, chosen: solara.Reactive[dict]):
    value = chosen.value[knob.key]

    def set_value(shown: float) -> None:
        chosen.set({**chosen.value, knob.key: shown / knob.scale})

    label = L("{label}: {value}", label=L(knob.label), value=_shown(knob, value))
    if knob.integer or knob.scale != 1:
        solara.SliderInt(label, value=int(round(value * knob.scale)), min=int(knob.lo * knob.scale),
                         max=int(knob.hi * knob.scale), step=int(knob.step * knob.scale),
                         on_value=set_value)
    else:
        solara.SliderFloat(label, value=float(value), min=knob.lo, max=knob.hi, step=knob.step,
                           on_value=set_value)


@solara.component
def LeverBox(lever: levers.LeverControl, chosen: solara.Reactive[dict]):
    key = f"{lever.name}.enabled"
    on = bool(chosen.value[key])
    with solara.Div(classes=["groupsim-lever"], style={"margin-bottom": "6px"}):
        name = lever.term if L(lever.label) == lever.term else f"{lever.term} · {L(lever.label)}"
        solara.Switch(label=L("{label}: {value}", label=name, value=L("on") if on else L("off")),
                      value=on, on_value=lambda v: chosen.set({**chosen.value, key: bool(v)}))
        solara.Text(L(lever.help), style={"font-size": "0.8em", "color": "#555"})
        if on:
            for knob in lever.knobs:
                KnobSlider(knob, chosen)


@solara.component
def Controls():
    solara.ToggleButtonsSingle(value=lang, values=["zh", "en"])
    solara.Select(L("Group archetype"), values=ARCHETYPES, value=group)
    solara.Select(L("Playbook"), values=PLAYBOOKS, value=strategy.value, on_value=pick_playbook)
    solara.InputInt(L("Seed"), value=seed)
    solara.Switch(label=L("A/B: two settings, same seed"), value=compare.value, on_value=start_compare)
    if compare.value:
        solara.Text(L("Edit setting:"))
        solara.ToggleButtonsSingle(value=editing, values=["A", "B"])
    which = editing.value if compare.value else "A"
    chosen = settings[which]
    if compare.value:
        solara.Markdown(f"**{L('Setting')} {which}**", style={"color": "#6a1b9a"})
        solara.Div(classes=["groupsim-editing", f"groupsim-editing-{which}"])
    solara.Markdown(f"**{L('Budget')}**")
    for knob in levers.BUDGET:
        KnobSlider(knob, chosen)
    solara.Markdown(f"**{L('Levers')}** · {L('Controls act on Reset.')}")
    for lever in levers.LEVER_CONTROLS:
        LeverBox(lever, chosen)


# Panels --------------------------------------------------------------------------------
def today_line(model: DashboardModel) -> str:
    h = model.history
    return L("**Day {day}** · {members} members present · {messages} messages today · "
             "{conversions} conversions ({total} in all) · ¥{spent:,.0f} spent · ¥{revenue:,.0f} revenue",
             day=model.day, members=h["members"][-1], messages=h["messages"][-1],
             conversions=h["conversions"][-1], total=h["conversions_total"][-1],
             spent=h["spend_total"][-1], revenue=h["revenue_total"][-1])


def setting_line(model: DashboardModel) -> str:
    """What differs from the playbook, in words (the full overrides are in the docs)."""
    base = levers.playbook_settings(model.cfg.strategy.name)
    changes = []
    for key, value in model.settings.items():
        if base.get(key) == value:
            continue
        name, _, field = key.partition(".")
        lever = next((c for c in levers.LEVER_CONTROLS if c.name == name), None)
        if field == "enabled" and lever:
            changes.append(f"{lever_name(name, lang.value)} {L('on') if value else L('off')}")
        elif key in levers.KNOBS and (not lever or model.settings[f"{name}.enabled"]):
            knob = levers.KNOBS[key]
            where = f"{lever_name(name, lang.value)} " if lever else ""
            changes.append(f"{where}{L(knob.label)} {_shown(knob, value)}")
    what = L("; ").join(changes) or L("as the playbook has it")
    return L("Running: {group}, playbook {playbook}, seed {seed}. Changed: {changes}",
             group=model.cfg.group.name, playbook=model.cfg.strategy.name, seed=model.cfg.seed,
             changes=what)


def network_image(model: DashboardModel, every: int, asked: int, lang_now: str) -> tuple[int, bytes]:
    """The network picture and its day: redrawn every ``every`` days (0: never), or when asked."""
    drawn = getattr(model, "network_picture", None)  # (day, png, times asked, language)
    if (drawn is None or drawn[2:] != (asked, lang_now)
            or (every and model.day - drawn[0] >= every)):
        model.network_picture = (model.day, png(charts.tie_network(model, model.tie_layout, lang_now)),
                         asked, lang_now)
    return model.network_picture[:2]


@solara.component
def GroupPanel(model: DashboardModel, name: str):
    redraws.get()
    network_now.get()
    lang_now = lang.value
    options = solara.use_memo(lambda: charts.time_series(model, lang_now),
                              dependencies=[id(model), model.day, lang_now])
    day, image = network_image(model, network_every.value, network_now.value, lang_now)
    with solara.Div(classes=["groupsim-group", f"groupsim-group-{name}"]):
        if compare.value:
            solara.Markdown(f"### {L('Setting')} {name}")
        bold, _, rest = today_line(model).removeprefix("**").partition("**")
        solara.HTML(tag="div", classes=["groupsim-today"],
                    unsafe_innerHTML=f"<strong>{escape(bold)}</strong>{escape(rest)}")
        solara.Text(setting_line(model), classes=["groupsim-setting"])
        book = model.playbook
        if book.unaffordable:
            solara.Text(L("Skipped, out of money or hours: {levers}",
                          levers=", ".join(f"{lever_name(k, lang_now)} ×{v}"
                                           for k, v in book.unaffordable.items())))
        side_by_side = len(models.value) == 1  # in A/B each column is half as wide: stack them
        with solara.Div(style={"display": "grid", "grid-template-columns":
                               "1fr 1fr 1fr" if side_by_side else "1fr", "gap": "8px"}):
            for option in options:
                with solara.Div(classes=["groupsim-chart"]):
                    solara.FigureEcharts(option=option, attributes={"style": "height: 280px;"},
                                         responsive=True)
        with solara.Columns([1, 1]):
            with solara.Div():
                solara.Image(image, width="100%", classes=["groupsim-network"])
                solara.Text(L("Network as of day {day}", day=day), style={"font-size": "0.8em"})
            with solara.Div(classes=["groupsim-log"],
                            style={"max-height": "380px", "overflow-y": "auto", "font-size": "0.9em"}):
                days = sorted(model.events, reverse=True)[:LOG_DAYS]
                lines = [log_line(d, model.events[d], lang_now) for d in days] or [L("Nothing yet.")]
                # One HTML widget, not Markdown: parsing 60 lines of Markdown on every step is slow.
                solara.HTML(tag="div", unsafe_innerHTML=f"<b>{escape(L('Event log'))}</b><ul>"
                            + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>")


@solara.component
def RunBar():
    redraws.get()
    last = max((m.cfg.days for m in models.value.values()), default=0)
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(L("Reset"), on_click=build, color="primary")
        solara.Button(L("Step"), on_click=lambda: advance_by(1))
        solara.Button(L("+7 days"), on_click=lambda: advance_by(7))
        solara.InputInt(L("Run to day N"), value=target_day, style={"max-width": "130px"})
        solara.Button(L("Run to day {n}", n=target_day.value), on_click=lambda: advance(target_day.value))
        solara.Button(L("Run to the end (day {n})", n=last), on_click=lambda: advance(last))
    with solara.Row(style={"align-items": "center"}):
        solara.SliderInt(L("Draw the network every {n} days (0: only on demand)", n=network_every.value),
                         value=network_every, min=0, max=30)
        solara.Button(L("Draw the network now"), on_click=lambda: network_now.set(network_now.value + 1),
                      text=True)


CSS = ".groupsim-panels { padding-bottom: 48px; }"  # room below the last panel


@solara.component
def Page():
    solara.use_effect(lambda: None if models.value else build(), [])
    solara.Style(CSS)
    solara.Title(L("groupsim: one WeChat group, day by day"))
    with solara.Sidebar():
        Controls()
    with solara.Div(classes=["groupsim-panels"]):
        RunBar()
        if problem.value:
            solara.Error(L("Not reset: {problem}", problem=problem.value))
        runs = models.value
        if not runs:
            solara.Text(L("Building the group…"))
        elif len(runs) == 1:
            GroupPanel(runs["A"], "A")
        else:
            with solara.Columns([1, 1]):
                GroupPanel(runs["A"], "A")
                GroupPanel(runs["B"], "B")
