"""The dashboard's parts without a browser: controls, model wrapper, event log, charts, texts.

The browser test (``test_dashboard_browser.py``) checks the page as a person
uses it; the guard test (``test_dashboard_guard.py``) the server's command
line and its Host/Origin check.
"""

from __future__ import annotations

import io
import warnings

import pytest

from sim.dashboard import charts, levers
from sim.dashboard.events import log_line
from sim.dashboard.msgids import all_msgids
from sim.dashboard.run import DashboardModel
from sim.i18n import catalog, current_lang, t


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


# Controls ------------------------------------------------------------------------------
def test_controls_start_from_the_playbook_and_are_all_sent():
    playbook = levers.playbook_settings("playbook")
    assert playbook["rules.enabled"] is True and playbook["red_packets.enabled"] is False
    assert playbook["budget_money"] == 8000 and playbook["topics.every"] == 3
    sent = levers.overrides(playbook)
    assert len(sent) == len(playbook)  # nothing left implicit
    assert "strategy.rules.enabled=true" in sent and "strategy.red_packets.enabled=false" in sent
    with pytest.raises(KeyError, match="unknown dashboard control"):
        levers.overrides({"red_packets": 50})


def test_a_playbook_lever_can_be_switched_off():
    """The old page could not: a control at 0 meant "keep the playbook's setting"."""
    settings = levers.playbook_settings("rules") | {"rules.enabled": False}
    off = DashboardModel("interest", "rules", 4, settings)
    on = DashboardModel("interest", "rules", 4)
    assert "rules" not in off.cfg.strategy.lever_params()
    assert "rules" in on.cfg.strategy.lever_params()
    off.run_to(20)
    on.run_to(20)
    assert off.playbook.uses["rules"] == 0 and on.playbook.uses["rules"] == 20


def test_a_knob_changes_the_run():
    settings = levers.playbook_settings("red_packets")
    cheap = DashboardModel("interest", "red_packets", 2, settings)
    rich = DashboardModel("interest", "red_packets", 2, settings | {"red_packets.money": 100.0,
                                                                    "red_packets.every": 2})
    cheap.run_to(14)
    rich.run_to(14)
    assert cheap.history["spend_total"][-1] == 2 * 20  # days 1 and 8
    assert rich.history["spend_total"][-1] == 7 * 100  # days 1, 3, ..., 13


def test_every_lever_has_a_control_with_a_chinese_term_and_help():
    for lever in levers.LEVER_CONTROLS:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in lever.term), lever.name
        assert t(lever.help, "zh", domain="dashboard") != lever.help, lever.name


# The model wrapper -----------------------------------------------------------------------
def test_history_has_one_row_a_day_copied_from_the_recorder():
    model = DashboardModel("course", "none", 3, levers.playbook_settings("none") | {
        "red_packets.enabled": True, "red_packets.every": 2, "red_packets.money": 50.0,
        "budget_money": 1000.0, "hours_per_day": 1.0})
    model.run_to(10)
    daily = model.recorder.daily()
    assert model.history["day"] == list(range(11))  # day 0 is the founding
    assert model.history["members"][1:] == daily["members"].tolist()
    assert model.history["spend_total"][-1] == daily["spend_money"].sum() == 5 * 50
    assert model.playbook.uses["red_packets"] == 5


def test_run_to_stops_at_the_last_day():
    model = DashboardModel("interest", "none", 0, days=12)
    model.run_to(500)
    assert model.day == 12 and model.finished and not model.running


def test_same_settings_and_seed_give_the_same_group_and_different_settings_do_not():
    """A/B: the columns differ only through the settings."""
    base = levers.playbook_settings("playbook")
    a, b = DashboardModel("interest", "playbook", 5, base), DashboardModel("interest", "playbook", 5, base)
    c = DashboardModel("interest", "playbook", 5, base | {"hard_sell.enabled": True,
                                                          "hard_sell.posts": 10})
    for model in (a, b, c):
        model.run_to(30)
    assert a.history == b.history
    assert charts.time_series(a, "en") == charts.time_series(b, "en")
    assert a.history["msg_ad"] != c.history["msg_ad"]
    assert charts.time_series(a, "en")[1] != charts.time_series(c, "en")[1]


# Event log -------------------------------------------------------------------------------
def test_event_log_reads_what_the_model_recorded_in_both_languages():
    settings = levers.playbook_settings("red_packets")
    model = DashboardModel("interest", "red_packets", 1, settings)
    model.run_to(8)
    assert {1, 8} <= set(model.events)
    msgid, numbers = model.events[8][0]
    row = {k: int(v) for k, v in model.recorder.daily().set_index("day").loc[8].items()}
    assert numbers["money"] == 20 and numbers["thanks"] == row["msg_thanks"]
    assert 0 < numbers["grabbed"] <= settings.get("red_packets.shares", 30)
    zh, en = log_line(8, model.events[8], "zh"), log_line(8, model.events[8], "en")
    assert zh.startswith(f"第8天：红包 ¥20，{numbers['grabbed']}人抢，{row['msg_thanks']}人道谢")
    assert en.startswith(f"day 8: red packet ¥20, {numbers['grabbed']} grabbed, "
                         f"{row['msg_thanks']} thanks")
    packet_days = [day for day, events in model.events.items()
                   if any(msgid.startswith("red packet") for msgid, _ in events)]
    assert packet_days == [1, 8], "the operator's packet only on its days (weekly from day 1)"


# Charts ----------------------------------------------------------------------------------
def _series(option: dict, name: str) -> list:
    return next(line["data"] for line in option["series"] if line["name"] == name)


def test_charts_follow_the_history_and_day_zero_has_a_plain_axis():
    model = DashboardModel("interest", "playbook", 0)
    options = charts.time_series(model, "en")
    for option in options:
        assert option["xAxis"]["name"] == "day" and option["xAxis"]["min"] == 0
    assert options[0]["yAxis"][0]["max"] is None, "the founders are there on day 0"
    for axis in options[1]["yAxis"] + options[2]["yAxis"]:  # no messages or money yet
        assert (axis["min"], axis["max"], axis["minInterval"]) == (0, 1, 1), "no ±0.045 on day 0"
    model.run_to(5)
    status, kinds, money = charts.time_series(model, "en")
    assert _series(status, "active") == [[d, v] for d, v in enumerate(model.history["active"])]
    assert _series(kinds, "thanks") == [[d, v] for d, v in enumerate(model.history["msg_thanks"])]
    assert status["xAxis"]["max"] == 5 and status["yAxis"][0]["max"] is None
    assert money["yAxis"][1]["minInterval"] == 1, "whole conversions"
    assert charts.time_series(model, "zh")[0]["title"]["text"] == "成员状态"
    import json
    json.dumps(charts.time_series(model, "zh"))  # what the browser receives


def test_network_layout_is_kept_between_drawings():
    model = DashboardModel("interest", "playbook", 0)
    model.run_to(5)
    layout = charts.TieLayout()
    xy = layout.positions(model)
    assert xy.shape == (model.members.n, 2) and xy[model.members.present].std() > 0
    assert layout.positions(model) is xy  # cached until the day changes
    picture = _png(charts.tie_network(model, layout, "en"))
    model.run_to(15)
    assert _png(charts.tie_network(model, layout, "en")) != picture


def test_the_chinese_network_draws_every_glyph():
    charts.use_cjk_font()
    model = DashboardModel("interest", "playbook", 0)
    model.run_to(3)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
        figure = charts.tie_network(model, charts.TieLayout(), "zh")
        _png(figure)
    assert figure.axes[0].get_title().startswith("在群")


# Texts -----------------------------------------------------------------------------------
def test_every_dashboard_text_is_in_both_catalogs():
    shown = all_msgids()
    zh, en = catalog("zh", "dashboard"), catalog("en", "dashboard")
    assert shown - set(zh) == set(), "missing Chinese"
    assert shown - set(en) == set(), "missing English"
    for msgid in shown:
        fields = sorted(part.split("}")[0].split(":")[0] for part in msgid.split("{")[1:])
        assert sorted(p.split("}")[0].split(":")[0] for p in zh[msgid].split("{")[1:]) == fields, msgid


def test_language_comes_from_the_environment_then_the_locale(monkeypatch):
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.setenv("GROUPSIM_LANG", "zh")
    assert current_lang() == "zh"
    monkeypatch.setenv("GROUPSIM_LANG", "")
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert current_lang() == "zh"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert current_lang() == "en"
    assert t("Reset", "zh", domain="dashboard") == "重置"
    assert t("no such text", "zh", domain="dashboard") == "no such text"


def test_a_setting_the_model_refuses_is_said_not_raised():
    from sim.dashboard import app

    app.seed.set(-3)
    try:
        app.build()
        assert "seed" in app.problem.value and not app.models.value
        app.seed.set(3)
        app.build()
        assert app.problem.value == "" and app.models.value["A"].cfg.seed == 3
    finally:
        app.seed.set(0)


def test_red_packets_members_send_back_are_logged_as_the_ledger_has_them():
    settings = levers.playbook_settings("red_packets") | {"red_packets.money": 200.0}
    model = DashboardModel("interest", "red_packets", 0, settings)
    model.run_to(20)
    logged = sum(numbers["money"] for events in model.events.values() for msgid, numbers in events
                 if msgid.startswith("members sent red packets back"))
    assert model.gifts.sent > 0 and logged == pytest.approx(model.gifts.sent)
