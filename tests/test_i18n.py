"""The zh/en catalogs: complete, consistent placeholders, language choice, and Chinese that draws."""

from __future__ import annotations

import re
import warnings

import matplotlib
import polib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sim import i18n  # noqa: E402
from sim.fonts import cjk_rc  # noqa: E402
from sim.i18n import LOCALE_DIR, current_lang, set_lang, t  # noqa: E402

FIELD = re.compile(r"\{(\w+)")


def entries(lang, domain="groupsim"):
    return {e.msgid: e.msgstr for e in polib.pofile(str(LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"))
            if e.msgid}


def test_both_languages_hold_every_message_with_the_same_placeholders():
    zh, en = entries("zh"), entries("en")
    assert set(zh) == set(en), set(zh) ^ set(en)
    for msgid in en:
        assert zh[msgid] and en[msgid], msgid
        assert set(FIELD.findall(zh[msgid])) == set(FIELD.findall(en[msgid])), msgid


def test_chinese_text_is_chinese_and_uses_the_seeds_terms():
    zh = entries("zh")
    assert zh["term.red_packets"] == "红包" and zh["term.lurkers"] == "潜水党"
    untranslated = [k for k, v in zh.items() if not re.search(r"[\u4e00-\u9fff]", v)
                    and not k.startswith("unit.")]
    assert len(untranslated) <= 0.05 * len(zh), untranslated


@pytest.fixture
def clean_lang(monkeypatch):
    for var in ("GROUPSIM_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    set_lang(None)
    yield monkeypatch
    set_lang(None)


def test_language_follows_flag_then_variable_then_locale(clean_lang):
    assert current_lang() == "en"
    clean_lang.setenv("LANG", "zh_CN.UTF-8")
    assert current_lang() == "zh" and t("term.owner") == "群主"
    clean_lang.setenv("GROUPSIM_LANG", "en")
    assert current_lang() == "en" and t("term.owner") == "group owner"
    set_lang("zh")
    assert t("term.owner") == "群主" and t("term.owner", lang="en") == "group owner"
    with pytest.raises(ValueError):
        set_lang("fr")


def test_missing_message_falls_back_to_english_then_to_the_id(clean_lang, tmp_path):
    clean_lang.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.catalog.cache_clear()
    (tmp_path / "en" / "LC_MESSAGES").mkdir(parents=True)
    po = polib.POFile()
    po.append(polib.POEntry(msgid="x.hello", msgstr="hello {name}"))
    po.save(str(tmp_path / "en" / "LC_MESSAGES" / "dashboard.po"))
    try:
        assert t("x.hello", lang="zh", domain="dashboard", name="Li") == "hello Li"
        assert t("x.unknown", lang="zh", domain="dashboard") == "x.unknown"
    finally:
        i18n.catalog.cache_clear()


def test_a_chinese_title_draws_without_missing_glyphs():
    with warnings.catch_warnings(), matplotlib.rc_context(cjk_rc()):
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
        fig, ax = plt.subplots()
        ax.set_title(t("term.red_packets", lang="zh") + "、" + t("term.lurkers", lang="zh") + " −3")
        fig.canvas.draw()
        plt.close(fig)


def test_the_default_font_would_miss_the_glyphs():
    """The check above can fail: without the CJK font, drawing Chinese warns."""
    with warnings.catch_warnings(record=True) as caught, \
            matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title("红包")
        fig.canvas.draw()
        plt.close(fig)
    assert any("missing" in str(w.message) for w in caught)
