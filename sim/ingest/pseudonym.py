"""Stable pseudonymous member keys: a salted hash of the account id, never the name.

The same salt gives the same keys for a later export of the same group, so
two ingests can be joined on ``member_key``; without the salt the keys do
not lead back to accounts. The salt comes from ``--salt`` or from a file
``.groupsim-salt`` in the folder that holds the output folder (created
with a random salt on first use, readable only by its owner). Keep it out
of anything you share.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

SALT_FILE = ".groupsim-salt"
KEY_CHARS = 16


def salt_for(out: Path, given: str | None) -> str:
    if given:
        return given
    path = out.resolve().parent / SALT_FILE
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_hex(16)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(salt + "\n")
    return salt


def keys(raw_ids: list[str], salt: str) -> list[str]:
    return [hashlib.sha256(f"{salt}\0{raw}".encode()).hexdigest()[:KEY_CHARS] for raw in raw_ids]
