"""How long the dashboard makes a trainee wait: one Step, and a 180-day run to the end.

Issue 14 measured 1.4-2.0 s per Step with the old page (a ~2 ms model step;
the rest was redrawing four figures and a fresh network layout), so a
180-day group took 4-5 minutes. Two measurements:

* server side (always): what the page computes for a Step (one model day,
  the charts' data, the network PNG on its every-10-days schedule) and for
  "Run to the end" (180 days without drawing, then one redraw);
* in the browser (``--browser``, needs /usr/bin/chromium): from the click to
  the new day's numbers on the page, through a real server, as a person waits.

    PYTHONPATH=. python benchmarks/bench_dashboard.py [--browser] [--lang zh]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

from sim.dashboard import charts
from sim.dashboard.run import DashboardModel

NETWORK_EVERY = 10  # the page's default


def png(figure) -> None:
    figure.savefig(io.BytesIO(), format="png")


def server_side(lang: str, steps: int) -> dict[str, float]:
    charts.use_cjk_font()
    DashboardModel("interest", "playbook", 0).run_to(2)  # numba compiles once per process
    model = DashboardModel("interest", "playbook", 1)
    layout = charts.TieLayout()
    png(charts.tie_network(model, layout, lang))
    times, drawn = [], 0
    for _ in range(steps):
        start = time.perf_counter()
        model.step()
        json.dumps(charts.time_series(model, lang))
        if model.day - drawn >= NETWORK_EVERY:
            png(charts.tie_network(model, layout, lang))
            drawn = model.day
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    whole = DashboardModel("interest", "playbook", 2)
    whole.run_to(whole.cfg.days)
    json.dumps(charts.time_series(whole, lang))
    png(charts.tie_network(whole, charts.TieLayout(), lang))
    return {"step_median": statistics.median(times), "step_max": max(times),
            "run_to_end": time.perf_counter() - start, "days": whole.cfg.days}


def in_browser(lang: str, steps: int) -> dict[str, float]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from dashboard_server import serving
    from playwright.sync_api import sync_playwright

    from sim.i18n import t

    def L(msgid: str, **fmt) -> str:
        return t(msgid, lang, domain="dashboard", **fmt)

    def wait_day(page, day: int) -> None:
        """Until the day's number is on the page, checked every animation frame (not expect's
        backoff polling, which would add up to a second to what we measure)."""
        shown = L("**Day {day}** · {members} members present · {messages} messages today · "
                  "{conversions} conversions ({total} in all) · ¥{spent:,.0f} spent · "
                  "¥{revenue:,.0f} revenue", day=day, members=0, messages=0, conversions=0, total=0,
                  spent=0, revenue=0).split("**")[1]
        page.wait_for_function(
            "shown => [...document.querySelectorAll('.groupsim-today strong')]"
            ".some(e => e.textContent === shown)", arg=shown, polling="raf", timeout=120_000)

    log = Path("/tmp") / f"bench_dashboard_{lang}.log"
    with serving(log, "--lang", lang) as (url, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--headless", "--no-sandbox", "--disable-gpu",
                                                   "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1500, "height": 1300})
        page.goto(url, timeout=120_000)
        wait_day(page, 0)
        times = []
        for day in range(1, steps + 1):
            start = time.perf_counter()
            page.get_by_role("button", name=L("Step"), exact=True).click()
            wait_day(page, day)
            times.append(time.perf_counter() - start)
        page.get_by_role("button", name=L("Reset")).click()
        wait_day(page, 0)
        start = time.perf_counter()
        page.get_by_role("button", name=L("Run to the end (day {n})", n=180)).click()
        wait_day(page, 180)
        page.locator(".groupsim-chart canvas").first.wait_for()
        end = time.perf_counter() - start
        browser.close()
    print("browser step times:", " ".join(f"{x:.2f}" for x in times), file=sys.stderr)
    return {"step_median": statistics.median(times), "step_max": max(times), "run_to_end": end,
            "days": 180}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="also time it in headless chromium")
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()
    rows = [("server side", server_side(args.lang, args.steps))]
    if args.browser:
        rows.append(("in the browser", in_browser(args.lang, args.steps)))
    print(f"{'':16}{'Step (median)':>15}{'Step (max)':>12}{'run to the end':>16}   goal: <0.3 s, <15 s")
    for name, r in rows:
        print(f"{name:16}{r['step_median']:>14.3f}s{r['step_max']:>11.3f}s"
              f"{r['run_to_end']:>11.2f}s ({r['days']} d)")


if __name__ == "__main__":
    main()
