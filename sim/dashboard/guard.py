"""Accept requests only for the host and origin the dashboard was started for.

Without this check a web page on any site could open the dashboard's
WebSocket from a visitor's browser (any ``Origin``), and DNS rebinding could
reach it under a foreign ``Host`` name. Both are refused with 403, before
solara sees them. A request with no ``Origin`` (curl, the server's own
health checks) is judged by its ``Host`` alone.
"""

from __future__ import annotations

import ipaddress
import socket

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARDS = ("0.0.0.0", "::", "")


def allowed_hosts(host: str, port: int, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """``Host`` header values to accept (``name:port``) for a server bound to ``host``.

    A loopback server accepts its loopback names; one bound to every
    interface also accepts this machine's name and addresses; ``extra``
    names (``--allow-host``) are added as given.
    """
    names = {host, *extra}
    if host in WILDCARDS or _is_loopback(host):
        names.update(LOOPBACK_NAMES)
    if host in WILDCARDS:
        hostname = socket.gethostname()
        names.update({hostname, socket.getfqdn()})
        try:
            names.update(info[4][0] for info in socket.getaddrinfo(hostname, None))
        except OSError:
            pass
    names.discard("")
    bracketed = {f"[{n}]" if ":" in n and not n.startswith("[") else n for n in names}
    return frozenset(f"{name}:{port}".lower() for name in bracketed)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


class HostOriginGuard:
    """ASGI middleware: 403 for a foreign ``Host`` or ``Origin``, on HTTP and WebSocket alike."""

    def __init__(self, app, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts
        self.origins = frozenset(f"{scheme}://{h}" for h in hosts for scheme in ("http", "https"))

    def allows(self, headers: dict[bytes, bytes]) -> bool:
        host = headers.get(b"host", b"").decode("latin-1").lower()
        origin = headers.get(b"origin")
        if host not in self.hosts:
            return False
        return origin is None or origin.decode("latin-1").lower().rstrip("/") in self.origins

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] in ("http", "websocket") and not self.allows(dict(scope["headers"])):
            if scope["type"] == "websocket":  # closing before accepting makes the server answer 403
                await send({"type": "websocket.close", "code": 1008})
                return
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
            await send({"type": "http.response.body", "body": b"403: host or origin not allowed\n"})
            return
        await self.app(scope, receive, send)
