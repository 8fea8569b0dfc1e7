"""The dashboard as a trainee uses it, in Chinese and in English, in headless chromium.

Debian's chromium, driven by Playwright, loads the page, switches a
playbook's lever off and another on, moves a slider (its value is on its
label), resets, steps, runs to a day, reads the event log, and runs A/B:
the two columns are the same picture with the same settings and differ once
B's differ. The last screenshot is kept in the test's ``tmp_path`` (and at
``$GROUPSIM_SCREENSHOT_<LANG>`` when set).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from sim.dashboard.events import lever_name
from sim.i18n import t
from dashboard_server import serving

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags chromium dials out at start, and a closed
# network refuses it.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
UI_TIMEOUT_MS = 60_000
TODAY = ("**Day {day}** · {members} members present · {messages} messages today · {conversions} "
         "conversions ({total} in all) · ¥{spent:,.0f} spent · ¥{revenue:,.0f} revenue")
NUMBERS = re.compile(r"\d+")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's chromium: apt-get install chromium")


def _today(page, column: int = 0) -> tuple[int, int, int]:
    """(day, members present, messages today): the first three numbers of the day's line."""
    text = page.locator(".groupsim-today").nth(column).inner_text()
    day, members, messages = (int(n) for n in NUMBERS.findall(text)[:3])
    return day, members, messages


def _wait_for_day(page, day: int, lang: str, columns: int = 1) -> None:
    from playwright.sync_api import expect

    shown = t(TODAY, lang, domain="dashboard", day=day, members=0, messages=0, conversions=0, total=0,
              spent=0, revenue=0).split("**")[1]  # "Day 3" / "第3天"
    for column in range(columns):
        expect(page.locator(".groupsim-today").nth(column)).to_contain_text(shown, timeout=UI_TIMEOUT_MS)


def _images(page, css: str) -> list[bytes]:
    images = page.locator(css)
    return [images.nth(i).screenshot() for i in range(images.count())]


def _columns_until(page, holds, timeout_s: float = 20) -> bool:
    """Whether ``holds(A's charts, B's charts)`` comes true (the browser draws a moment later)."""
    deadline = time.monotonic() + timeout_s
    while True:
        a = _images(page, ".groupsim-group-A .groupsim-chart")
        b = _images(page, ".groupsim-group-B .groupsim-chart")
        if len(set(a)) == len(set(b)) == 3 and holds(a, b):  # three charts drawn in each
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)


def _switch(page, term: str):
    return page.locator(".groupsim-lever", has_text=term).first


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard_in_a_headless_browser(lang, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    def L(msgid: str, **fmt) -> str:
        return t(msgid, lang, domain="dashboard", **fmt)

    with serving(tmp_path / "server.log", "--lang", lang) as (url, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1900})
        try:
            page.set_default_timeout(UI_TIMEOUT_MS)
            page.goto(url, timeout=UI_TIMEOUT_MS)
            _wait_for_day(page, 0, lang)
            expect(page.get_by_text(L("Group archetype")).first).to_be_visible()
            assert "This website runs on" not in page.inner_text("body")
            _, founders, _ = _today(page)

            # Another archetype; the playbook's rules off; hard selling on, at 6 ads a day.
            page.locator(".v-select", has_text=L("Group archetype")).click()
            page.get_by_role("option", name="course", exact=True).click()
            rules = _switch(page, "群规")
            expect(rules).to_contain_text(L("on"))
            rules.locator("label").first.click()
            expect(rules).to_contain_text(L("{label}: {value}", label="", value=L("off")).strip())
            ads = _switch(page, "硬广")
            ads.locator("label").first.click()
            expect(ads).to_contain_text(L("{label}: {value}", label=L("Ads"), value=f"4 {L('a day')}"))
            slider = ads.get_by_role("slider")
            slider.focus()
            slider.press("ArrowRight")
            slider.press("ArrowRight")
            expect(ads).to_contain_text(L("{label}: {value}", label=L("Ads"), value=f"6 {L('a day')}"))

            page.get_by_role("button", name=L("Reset")).click()
            setting = page.locator(".groupsim-setting")
            expect(setting).to_contain_text("course")
            expect(setting).to_contain_text(f"{lever_name('rules', lang)} {L('off')}")
            expect(setting).to_contain_text(f"{lever_name('hard_sell', lang)} {L('on')}")
            day, members, messages = _today(page)
            assert (day, messages) == (0, 0)
            assert members != founders, "the course archetype starts with another number of members"
            expect(page.locator(".groupsim-chart canvas")).to_have_count(3)
            before = _images(page, ".groupsim-chart")

            for step in (1, 2, 3):
                page.get_by_role("button", name=L("Step"), exact=True).click()
                _wait_for_day(page, step, lang)
            day, members, messages = _today(page)
            assert day == 3 and members > 0 and messages >= 6, "six ads a day at least"
            deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
            while _images(page, ".groupsim-chart") == before:
                assert time.monotonic() < deadline, "the charts did not change after three steps"
                time.sleep(0.5)

            page.get_by_role("button", name=L("Run to day {n}", n=30)).click()
            _wait_for_day(page, 30, lang)
            log = page.locator(".groupsim-log")
            expect(log).to_contain_text(L("day {day}: {events}", day=1, events="").rstrip())

            # A/B: the same settings draw the same pictures; B with hard selling off differs.
            page.get_by_text(L("A/B: two settings, same seed")).click()
            page.get_by_role("button", name=L("Reset")).click()
            _wait_for_day(page, 0, lang, columns=2)
            page.get_by_role("button", name=L("Run to day {n}", n=30)).click()
            _wait_for_day(page, 30, lang, columns=2)
            assert _columns_until(page, lambda a, b: a == b), "same settings, same seed: the same group"
            page.get_by_role("button", name="B", exact=True).click()
            expect(page.locator(".groupsim-editing-B")).to_have_count(1)  # B's controls are shown
            _switch(page, "硬广").locator("label").first.click()
            page.get_by_role("button", name=L("Reset")).click()
            _wait_for_day(page, 0, lang, columns=2)
            page.get_by_role("button", name=L("Run to day {n}", n=30)).click()
            _wait_for_day(page, 30, lang, columns=2)
            expect(page.locator(".groupsim-group-B .groupsim-setting")).not_to_contain_text(
                lever_name("hard_sell", lang))
            assert _columns_until(page, lambda a, b: a != b), "hard selling in A only: the charts differ"
        finally:
            if not page.is_closed():
                page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
                if target := os.environ.get(f"GROUPSIM_SCREENSHOT_{lang.upper()}"):
                    shutil.copy(tmp_path / "dashboard.png", target)
            browser.close()
