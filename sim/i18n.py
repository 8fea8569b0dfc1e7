"""Chinese and English text for reports and figures, from gettext ``.po`` catalogs.

Most trainers of new operators (社群运营) read Chinese first, analysts often
English, so every user-facing sentence is looked up by a stable message id
(``compare.title``) in ``sim/locale/<lang>/LC_MESSAGES/<domain>.po`` and
formatted with ``str.format``. The ``.po`` files are the source of truth and
are read directly with ``polib`` (no compiled ``.mo`` in git). A message
missing from the chosen language falls back to English, then to the id, so
a half-translated catalog never breaks a report.

The language: ``set_lang()`` (a command's ``--lang``), else ``GROUPSIM_LANG``,
else the locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``): ``zh``
when it is Chinese, else ``en``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGS = ("zh", "en")
DEFAULT_DOMAIN = "groupsim"
_chosen: str | None = None


def normalize(lang: str | None) -> str | None:
    """'zh_CN.UTF-8', 'zh-Hans', 'ZH' -> 'zh'; 'en_US' -> 'en'; anything else -> None."""
    if not lang:
        return None
    code = lang.strip().lower().replace("-", "_").split(".")[0].split("_")[0].split(":")[0]
    return code if code in LANGS else None


def set_lang(lang: str | None) -> None:
    """Fix the language for this process (a command's ``--lang``); None clears it."""
    global _chosen
    if lang is not None and normalize(lang) is None:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    _chosen = normalize(lang)


def current_lang() -> str:
    """``--lang``, else ``GROUPSIM_LANG``, else zh if the locale is Chinese, else en."""
    if _chosen:
        return _chosen
    explicit = normalize(os.environ.get("GROUPSIM_LANG"))
    if explicit:
        return explicit
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:  # the first one set decides, as in gettext
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


@lru_cache(maxsize=None)
def catalog(lang: str, domain: str = DEFAULT_DOMAIN) -> dict[str, str]:
    """msgid -> msgstr of one ``.po`` file (untranslated and fuzzy entries left out)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        return {}
    return {e.msgid: e.msgstr for e in polib.pofile(str(path))
            if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}


def has(msgid: str, lang: str | None = None, domain: str = DEFAULT_DOMAIN) -> bool:
    """Whether ``msgid`` is translated in ``lang`` (or English)."""
    return msgid in catalog(normalize(lang) or current_lang(), domain) or msgid in catalog("en", domain)


def t(msgid: str, lang: str | None = None, domain: str = DEFAULT_DOMAIN, **fmt) -> str:
    """The text of ``msgid`` in ``lang`` (default ``current_lang()``), formatted with ``fmt``."""
    lang = normalize(lang) or current_lang()
    text = catalog(lang, domain).get(msgid) or catalog("en", domain).get(msgid) or msgid
    return text.format(**fmt) if fmt else text
