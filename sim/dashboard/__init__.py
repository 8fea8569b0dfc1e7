"""``groupsim-dashboard``: one group on Mesa's SolaraViz, stepped day by day in a browser.

``app`` is the page (solara serves it as ``sim.dashboard.app``); ``assets``
gets solara's own JavaScript and CSS through npm when its CDN is out of reach.
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Serve the dashboard. It listens on this machine only unless ``--host`` says otherwise."""
    parser = argparse.ArgumentParser(prog="groupsim-dashboard",
                                     description="Serve the interactive groupsim dashboard.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8765, help="port (default: %(default)s)")
    parser.add_argument("--open", action="store_true", help="open it in a web browser")
    args = parser.parse_args(argv)

    import solara.server.settings as settings
    from solara.__main__ import cli

    from sim.dashboard import assets

    if "SOLARA_TELEMETRY_MIXPANEL_ENABLE" not in os.environ:  # a local tool reports to no one
        settings.telemetry.mixpanel_enable = False
    if still_missing := assets.fetch():
        print(f"groupsim-dashboard: npm could not fetch {', '.join(still_missing)}; "
              "solara will try its CDN", file=sys.stderr)
    print(f"groupsim dashboard: http://{args.host}:{args.port}/", flush=True)
    cli(["run", "sim.dashboard.app", "--host", args.host, "--port", str(args.port), "--production",
         "--open" if args.open else "--no-open"], prog_name="groupsim-dashboard")
