"""The dashboard server's command line and its Host/Origin check (issue 11).

A page on another site must not reach the dashboard through a visitor's
browser: a WebSocket upgrade with a foreign ``Origin``, or any request under
a foreign ``Host`` (DNS rebinding), gets 403 from a real server on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys

import pytest

from dashboard_server import serving
from sim.dashboard import host_warning
from sim.dashboard.guard import allowed_hosts

UPGRADE = ("GET /jupyter/api/kernels/test-kernel/channels?session_id=x HTTP/1.1\r\n"
           "Host: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
           "Origin: {origin}\r\n\r\n")


@pytest.mark.parametrize("port", ["99999", "-1", "0", "http"])
def test_a_bad_port_is_one_line_and_exit_2(port):
    done = subprocess.run([sys.executable, "-m", "sim.dashboard", "--port", port],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--port" in lines[0] and "Traceback" not in done.stderr, done.stderr


def test_every_interface_is_warned_about_and_loopback_is_not():
    assert "every network interface" in host_warning("0.0.0.0")
    assert host_warning("::") is not None
    assert host_warning("127.0.0.1") is None


def test_allowed_hosts_are_the_ones_started_for():
    local = allowed_hosts("127.0.0.1", 8765)
    assert {"127.0.0.1:8765", "localhost:8765"} <= local
    assert "evil.example:8765" not in local and "127.0.0.1:80" not in local
    assert allowed_hosts("127.0.0.1", 8765, ("groups.example.org",)) >= {"groups.example.org:8765"}
    assert f"{socket.gethostname().lower()}:8765" in allowed_hosts("0.0.0.0", 8765)


def _status(port: int, host: str, origin: str | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": host} | ({"Origin": origin} if origin else {})
    connection.request("GET", "/", headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def _upgrade_status(port: int, host: str, origin: str) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(UPGRADE.format(host=host, origin=origin).encode())
        return int(conn.recv(1024).split(b" ", 2)[1])


def test_foreign_host_and_origin_get_403(tmp_path):
    with serving(tmp_path / "server.log") as (_, port):
        own = f"127.0.0.1:{port}"
        assert _status(port, own) == 200
        assert _status(port, f"localhost:{port}") == 200
        assert _status(port, own, f"http://{own}") == 200
        assert _status(port, "evil.example") == 403, "DNS rebinding"
        assert _status(port, f"evil.example:{port}") == 403
        assert _status(port, own, "http://evil.example") == 403
        assert _upgrade_status(port, own, "http://evil.example") == 403
        assert _upgrade_status(port, "evil.example", f"http://{own}") == 403
        assert _upgrade_status(port, own, f"http://{own}") == 101, "the page's own socket still opens"
