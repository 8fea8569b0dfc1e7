"""``groupsim-dashboard``: one group (or two, A/B) stepped day by day in a browser.

``app`` is the page (solara serves it as ``sim.dashboard.app``); ``levers``
the controls, ``run`` the model wrapper, ``events`` the event log,
``charts`` the pictures, ``guard`` the Host/Origin check, ``msgids`` the texts
the catalogs must hold, ``assets`` solara's (and ECharts') JavaScript through
npm when the CDN is out of reach.
"""

from __future__ import annotations

import argparse
import os
import sys

from sim.errors import entry_point

WILDCARD_HOSTS = ("0.0.0.0", "::")


def fail(message: str) -> None:
    """One line on stderr and exit 2 (a usage error), not a traceback."""
    print(f"groupsim-dashboard: {message}", file=sys.stderr)
    raise SystemExit(2)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="groupsim-dashboard",
                                     description="Serve the interactive groupsim dashboard.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument("--port", default="8765", help="port, 1-65535 (default: %(default)s)")
    parser.add_argument("--lang", choices=("zh", "en"),
                        help="page language (default: $GROUPSIM_LANG, else the system locale)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="another name the page may be reached by (repeatable), e.g. behind a proxy")
    parser.add_argument("--open", action="store_true", help="open it in a web browser")
    args = parser.parse_args(argv)
    try:
        args.port = int(args.port)
    except ValueError:
        fail(f"--port must be a whole number from 1 to 65535, not {args.port!r}")
    if not 1 <= args.port <= 65535:
        fail(f"--port must be from 1 to 65535, not {args.port}")
    return args


def host_warning(host: str) -> str | None:
    """One line for a server that every network interface can reach, else None."""
    if host in WILDCARD_HOSTS:
        return (f"groupsim-dashboard: warning: --host {host} serves every network interface; "
                "anyone who can reach this machine can use the page")
    return None


@entry_point("groupsim-dashboard")
def main(argv: list[str] | None = None) -> None:
    """Serve the dashboard. It listens on this machine only unless ``--host`` says otherwise."""
    args = parse(argv)
    if args.lang:
        os.environ["GROUPSIM_LANG"] = args.lang  # the page reads it through sim.i18n.current_lang
    if warning := host_warning(args.host):
        print(warning, file=sys.stderr, flush=True)

    os.environ["SOLARA_APP"] = "sim.dashboard.app"  # read when solara's server module loads
    import solara.server.settings as settings
    import solara.server.starlette as server
    from solara.__main__ import cli

    from sim.dashboard import assets
    from sim.dashboard.guard import HostOriginGuard, allowed_hosts

    if "SOLARA_TELEMETRY_MIXPANEL_ENABLE" not in os.environ:  # a local tool reports to no one
        settings.telemetry.mixpanel_enable = False
    settings.theme.show_banner = False  # its "runs on Solara" banner covered the last panel
    if still_missing := assets.fetch():
        print(f"groupsim-dashboard: npm could not fetch {', '.join(still_missing)}; "
              "solara will try its CDN", file=sys.stderr)
    # uvicorn imports this same module object by name, so the guard wraps what it serves.
    server.app.add_middleware(HostOriginGuard,
                              hosts=allowed_hosts(args.host, args.port, tuple(args.allow_host)))
    shown = "127.0.0.1" if args.host in WILDCARD_HOSTS else args.host
    print(f"groupsim dashboard: http://{shown}:{args.port}/", flush=True)
    cli(["run", "sim.dashboard.app", "--host", args.host, "--port", str(args.port), "--production",
         "--open" if args.open else "--no-open"], prog_name="groupsim-dashboard")
