"""Numbers in words, in the reader's language: levels, differences, intervals, metric names.

Shared by ``groupsim-compare`` and ``groupsim-experiment`` so that both say
"+3.2 points" (not "+0.032") for a share and name an outcome the same way.
Unit words and metric names come from the catalog (``sim.i18n``).
"""

from __future__ import annotations

import pandas as pd

from sim.i18n import current_lang, has, t

NUMBER = {"share": "{:.1f}", "days": "{:.1f}", "people": "{:.1f}", "orders": "{:.1f}",
          "yuan": "{:,.0f}", "hours": "{:.1f}", "messages": "{:,.0f}", "index": "{:.3g}"}


def number(value: float, unit: str, signed: bool = False) -> str:
    """The bare number as the unit is read (shares in percent), optionally with its sign."""
    scaled = 100 * value if unit == "share" else value
    text = NUMBER.get(unit, "{:.3g}").format(abs(scaled) if signed else scaled)
    return (("−" if scaled < 0 else "+") + text) if signed else text.replace("-", "−")


def fmt(value: float, unit: str, lang: str | None = None) -> str:
    """A level in its unit: '12.5%', '3.0 people' / '3.0 人'."""
    if pd.isna(value):
        return t("unit.na", lang)
    return t(f"unit.{unit}", lang, value=number(value, unit))


def fmt_diff(value: float, unit: str, lang: str | None = None) -> str:
    """A difference with its sign: percentage points for shares, the unit otherwise."""
    if pd.isna(value):
        return t("unit.na", lang)
    return t("unit.points" if unit == "share" else f"unit.{unit}", lang, value=number(value, unit, True))


def ci_text(low: float, high: float, unit: str, pairs: int = 2, lang: str | None = None) -> str:
    """'95% CI +1.0 to +2.2 people', or why there is no interval."""
    if pairs < 2:
        return t("ci.one_pair", lang)
    if low == high:
        return t("ci.same_every_seed", lang)
    return t("ci.range", lang, low=number(low, unit, True), high=fmt_diff(high, unit, lang))


def metric_label(name: str, lang: str | None = None) -> str:
    """An outcome's name with its unit, for axes and tables ('members at the end (people)')."""
    return t(f"metric.{name}", lang) if has(f"metric.{name}", lang) else name


def metric_short(name: str, lang: str | None = None) -> str:
    """An outcome's name in a sentence ('members at the end')."""
    return t(f"metric.{name}.short", lang) if has(f"metric.{name}.short", lang) else name


def sentences(parts: list[str], lang: str | None = None) -> str:
    """Sentences one after another: a space between them in English, none after Chinese '。'."""
    return ("" if (lang or current_lang()) == "zh" else " ").join(p for p in parts if p)
