"""Fonts that draw Chinese in figures, shipped through pip (``mplfonts``: Noto Sans CJK SC).

Matplotlib's default DejaVu Sans has no CJK glyphs and silently draws boxes.
``cjk_rc()`` registers Noto Sans CJK SC and lists it after DejaVu Sans, so
Latin text looks as before and every Chinese glyph falls back to Noto.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from matplotlib import font_manager

FAMILY = "Noto Sans CJK SC"


@cache
def register() -> str:
    """Add the bundled CJK font to matplotlib's font manager; returns its family name."""
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def cjk_rc() -> dict:
    """rcParams that draw Chinese and English (for ``sns.set_theme(rc=...)`` or ``rcParams.update``)."""
    family = ["DejaVu Sans", register()]  # glyph fallback needs the families in font.family itself
    return {"font.family": family, "font.sans-serif": family, "axes.unicode_minus": True}
