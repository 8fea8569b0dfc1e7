"""Chinese and English text for what people read: ``t(msgid)`` looks it up in a .po catalog.

Most trainees read Chinese first, so every label goes through here. The
catalogs are gettext ``.po`` files under ``sim/locale/{zh,en}/LC_MESSAGES/``,
one per domain, read with polib (no compile step). A missing or empty entry
falls back to the msgid, which is the English text.
"""

from __future__ import annotations

import locale
import os
from functools import lru_cache
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGS = ("zh", "en")


def current_lang() -> str:
    """``GROUPSIM_LANG`` if set to zh or en, else the system locale (zh_* means zh), else en."""
    chosen = os.environ.get("GROUPSIM_LANG", "").strip().lower()[:2]
    if chosen in LANGS:
        return chosen
    for value in (os.environ.get("LC_ALL"), os.environ.get("LC_MESSAGES"), os.environ.get("LANG"),
                  locale.getlocale()[0]):
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


@lru_cache(maxsize=None)
def catalog(lang: str, domain: str) -> dict[str, str]:
    """msgid -> msgstr for one language and domain (empty when there is no file)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return {}
    return {entry.msgid: entry.msgstr for entry in polib.pofile(str(path))
            if entry.msgstr and not entry.obsolete}


def t(msgid: str, lang: str | None = None, domain: str = "groupsim", **fmt: object) -> str:
    """The text for ``msgid`` in ``lang`` (default: ``current_lang()``), formatted with ``fmt``."""
    text = catalog(lang or current_lang(), domain).get(msgid) or msgid
    return text.format(**fmt) if fmt else text
