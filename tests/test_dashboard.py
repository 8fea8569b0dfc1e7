"""The dashboard (``groupsim-dashboard``), as a person uses it, in a real headless browser.

The server runs as ``python -m sim.dashboard`` on a free port of 127.0.0.1.
Debian's chromium, driven by Playwright, loads the page, picks another
archetype and moves a lever slider, resets, steps, and checks that the
numbers on the page and the plots change. The last screenshot is kept in the
test's ``tmp_path`` (and at ``$GROUPSIM_SCREENSHOT`` when that is set).
The model wrapper is also tested directly, without a browser.
"""

from __future__ import annotations

import inspect
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sim.dashboard.app import MODEL_PARAMS, DashboardModel, strategy_overrides

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags chromium dials out at start, and a closed
# network refuses it.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = 300  # the first start may fetch solara's page assets with npm
UI_TIMEOUT_MS = 60_000
TODAY = re.compile(r"Day (\d+) · (\d+) members present · (\d+) messages today")


# Without a browser ---------------------------------------------------------------------
def test_controls_at_zero_leave_the_playbook_alone_and_others_switch_levers_on():
    assert strategy_overrides({"red_packet_money": 0, "strict_rules": False, "kols": 0}) == []
    chosen = {"red_packet_money": 50, "strict_rules": True, "hours_per_day": 2.5}
    assert strategy_overrides(chosen) == [
        "strategy.red_packets.enabled=true", "strategy.red_packets.money=50",
        "strategy.rules.enabled=true", "strategy.hours_per_day=2.5",
    ]
    with pytest.raises(TypeError, match="unknown dashboard control"):
        strategy_overrides({"red_packets": 50})


def test_every_input_is_a_model_argument_with_the_same_default():
    """SolaraViz rebuilds the model from the inputs' values: names and defaults must agree."""
    arguments = inspect.signature(DashboardModel.__init__).parameters
    assert set(arguments) - {"self"} == set(MODEL_PARAMS)
    for name, widget in MODEL_PARAMS.items():
        assert str(arguments[name].default) == str(widget.get("value")), name


def test_dashboard_model_collects_one_row_a_day_from_the_recorder():
    model = DashboardModel(group="course", strategy="none", seed="3", red_packet_money=50,
                           red_packet_every=2, budget_money=1000, hours_per_day=1.0)
    for _ in range(10):
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    daily = model.recorder.daily()
    assert frame["day"].tolist() == list(range(11))  # day 0 is the founding
    assert frame["members"].iloc[1:].tolist() == daily["members"].tolist()
    assert frame["spend ¥ (total)"].iloc[-1] == daily["spend_money"].sum() == 5 * 50
    assert model.playbook.uses["red_packets"] == 5
    xy = model.tie_layout.positions(model)
    assert xy.shape == (model.members.n, 2) and xy[model.members.present].std() > 0


# In a browser ----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_serving(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"dashboard exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"dashboard not serving after {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def dashboard_url(tmp_path):
    """A dashboard server of our own, stopped with everything it started."""
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "sim.dashboard", "--port", str(port)],
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_until_serving(url, server, log)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _today(page) -> tuple[int, int, int]:
    """(day, members present, messages today) as the page shows them."""
    match = TODAY.search(page.locator(".groupsim-today").inner_text())
    assert match, page.locator(".groupsim-today").inner_text()
    return tuple(int(x) for x in match.groups())


def _plots(page) -> list[bytes]:
    images = page.locator(".groupsim-panels img")
    return [images.nth(i).screenshot() for i in range(images.count())]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium")
def test_dashboard_in_a_headless_browser(dashboard_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1900})
        try:
            page.set_default_timeout(UI_TIMEOUT_MS)
            page.goto(dashboard_url, timeout=UI_TIMEOUT_MS)
            today = page.locator(".groupsim-today")
            expect(today).to_contain_text("Day 0 ·", timeout=UI_TIMEOUT_MS)
            _, founders, _ = _today(page)

            # Move two controls: another archetype, and five hard-sell ads a day.
            page.locator(".v-select", has_text="Group archetype").click()
            page.get_by_role("option", name="course", exact=True).click()
            ads = page.locator(".v-slider", has_text="Hard-sell ads a day").get_by_role("slider")
            ads.focus()
            for _ in range(5):
                ads.press("ArrowRight")
            expect(ads).to_have_attribute("aria-valuenow", "5")

            page.get_by_role("button", name="Reset").click()
            expect(today).to_contain_text("group=course", timeout=UI_TIMEOUT_MS)
            expect(today).to_contain_text("strategy.hard_sell.posts=5")
            day, members, messages = _today(page)
            assert (day, messages) == (0, 0)
            assert members != founders, "the course archetype starts with another number of members"
            expect(page.locator(".groupsim-panels img")).to_have_count(4)
            before = _plots(page)

            for step in (1, 2, 3):
                page.get_by_role("button", name="Step").click()
                expect(today).to_contain_text(f"Day {step} ·", timeout=UI_TIMEOUT_MS)
            day, members, messages = _today(page)
            assert day == 3 and members > 0 and messages >= 5, "five ads a day at least"
            expect(today).to_contain_text("hard_sell ×3")

            deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
            while (after := _plots(page)) and any(a == b for a, b in zip(before, after)):
                assert time.monotonic() < deadline, "a plot did not change after three steps"
                time.sleep(0.5)
            assert len(after) == 4
        finally:
            if not page.is_closed():
                page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
                if target := os.environ.get("GROUPSIM_SCREENSHOT"):
                    shutil.copy(tmp_path / "dashboard.png", target)
            browser.close()
