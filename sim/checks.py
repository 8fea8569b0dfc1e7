"""Declarative range checks for structured configs.

A config field declares its allowed range once, in its metadata
(``field(default=..., metadata=between(0, 1))``); ``Checked.__post_init__``
enforces every declared range when OmegaConf turns the config into objects,
so bad input stops before any run starts with one line naming the field.

Every number is bounded on both sides: a range left open in the metadata
(``ranged(0.0, 0.0, None)``) takes its ceiling from ``CEILINGS``, by field
name, so ``inf``, ``nan`` and ``1e308`` never reach the model
(``tests/test_bounds.py`` fails for a numeric field with no finite bound).
Fields called ``name`` become folder names, so they must be safe ones.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from typing import Any


class ConfigError(ValueError):
    """A user-facing configuration error: one line, field name and allowed values."""


MAX_DAYS = 3650          # ten years: longer than any group study
MAX_MEMBERS = 1_000_000  # 2,000 times WeChat's cap of 500
MAX_YUAN = 1_000_000.0   # a million yuan per use, price or prize
CEILINGS: dict[str, float] = {
    # days
    "start_day": MAX_DAYS, "stop_day": MAX_DAYS, "owner_active_days": MAX_DAYS, "event_days": MAX_DAYS,
    "repurchase_days": MAX_DAYS, "quiet_days": MAX_DAYS, "novelty_days": MAX_DAYS,
    # people and messages
    "initial_members": MAX_MEMBERS, "member_cap": MAX_MEMBERS, "qr_join_limit": MAX_MEMBERS,
    "quiet_messages": MAX_MEMBERS, "attention_capacity": 100_000,
    # money (yuan)
    "money": MAX_YUAN, "price": MAX_YUAN, "fee": MAX_YUAN, "prize": MAX_YUAN,
    "reward_per_join": MAX_YUAN, "yuan_per_mark_unit": MAX_YUAN, "packet_min_grab": MAX_YUAN,
    "budget_money": 1000 * MAX_YUAN,
    # utilities: values, half-saturation points and costs of what is read
    "content_value": 1000.0, "chat_value": 1000.0, "tie_value": 1000.0, "reward_value": 1000.0,
    "content_half": 10_000.0, "chat_half": 10_000.0, "tie_half": 10_000.0,
    "noise_cost": 1000.0, "spam_cost": 1000.0, "quarrel_cost": 1000.0, "ad_cost": 1000.0,
}
SAFE_NAME = re.compile(r"^\w[\w.-]{0,63}$")  # one folder name: no '/', no leading '.', no '..'


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


def bounds(f) -> tuple[float | None, float | None] | None:
    """A field's (low, high), the high end from ``CEILINGS`` when the metadata leaves it open."""
    declared = f.metadata.get("range")
    if declared is None:
        return None
    lo, hi = declared
    return lo, CEILINGS.get(f.name) if hi is None else hi


def _num(x: float) -> str:
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", "_") if abs(x) >= 100_000 else str(int(x))
    return f"{x:g}"


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
            value = getattr(self, f.name)
            if f.name == "name" and isinstance(value, str) and not SAFE_NAME.match(value):
                raise ConfigError(f"{self.config_path(f.name)} names a folder: use letters, digits, "
                                  f"'_', '-' and '.' (not first), at most 64, got {value!r}")
            limits = bounds(f)
            if limits is None or value is None:
                continue
            lo, hi = limits
            bad = isinstance(value, float) and not math.isfinite(value)
            bad = bad or (lo is not None and value < lo) or (hi is not None and value > hi)
            if bad:
                raise ConfigError(
                    f"{self.config_path(f.name)} must be {describe_range(lo, hi)}, got {value!r}"
                )

    def config_path(self, name: str) -> str:
        prefix = getattr(type(self), "PREFIX", "")
        return f"{prefix}.{name}" if prefix else name
