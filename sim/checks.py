"""Declarative range checks for structured configs.

A config field declares its allowed range once, in its metadata
(``field(default=..., metadata=between(0, 1))``); ``Checked.__post_init__``
enforces every declared range when OmegaConf turns the config into objects,
so bad input stops before any run starts with one line naming the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any


class ConfigError(ValueError):
    """A user-facing configuration error: one line, field name and allowed values."""


def between(lo: float | None = None, hi: float | None = None) -> dict[str, Any]:
    """Field metadata for a closed range; ``None`` leaves that side open."""
    return {"range": (lo, hi)}


def probability() -> dict[str, Any]:
    return between(0.0, 1.0)


def non_negative() -> dict[str, Any]:
    return between(0.0, None)


def ranged(default: Any, lo: float | None = None, hi: float | None = None):
    """A dataclass field with a default and a checked range."""
    return field(default=default, metadata=between(lo, hi))


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def describe_range(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"[{_num(lo)}, {_num(hi)}]"
    if lo is not None:
        return f">= {_num(lo)}"
    return f"<= {_num(hi)}"


@dataclass
class Checked:
    """Base for config dataclasses: validates declared ranges on creation.

    Subclasses set a ``PREFIX`` class attribute (``"group"``) so errors name
    the full key, ``group.initial_members``, as the user typed it.
    """

    def __post_init__(self) -> None:
        for f in fields(self):
            bounds = f.metadata.get("range")
            value = getattr(self, f.name)
            if bounds is None or value is None:
                continue
            lo, hi = bounds
            bad = isinstance(value, float) and math.isnan(value)
            bad = bad or (lo is not None and value < lo) or (hi is not None and value > hi)
            if bad:
                raise ConfigError(
                    f"{self.config_path(f.name)} must be {describe_range(lo, hi)}, got {value!r}"
                )

    def config_path(self, name: str) -> str:
        prefix = getattr(type(self), "PREFIX", "")
        return f"{prefix}.{name}" if prefix else name
