"""Every msgid the dashboard shows, found in its source, so a test can hold the catalogs to it."""

from __future__ import annotations

import ast
from pathlib import Path

from sim.dashboard import levers

HERE = Path(__file__).resolve().parent
CALLS = {"L", "_l", "t"}


def in_source() -> set[str]:
    """String literals passed first to ``L``, ``_l`` or ``t`` in sim/dashboard/*.py, and log msgids."""
    found: set[str] = set()
    for path in HERE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in CALLS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
            if (isinstance(node, ast.Tuple) and len(node.elts) == 2  # events: (msgid, {numbers})
                    and isinstance(node.elts[0], ast.Constant) and isinstance(node.elts[1], ast.Dict)
                    and isinstance(node.elts[0].value, str)):
                found.add(node.elts[0].value)
    return found


def in_controls() -> set[str]:
    """Lever labels, helps, knob labels and units."""
    from sim.dashboard.charts import KIND_LABELS, STATUS_LABELS

    found = {*KIND_LABELS.values(), *STATUS_LABELS.values()}
    found |= {unit for unit in (k.unit for k in levers.KNOBS.values()) if unit not in ("¥", "%")}
    found |= {k.label for k in levers.KNOBS.values()}
    for lever in levers.LEVER_CONTROLS:
        found |= {lever.label, lever.help}
    return found


def all_msgids() -> set[str]:
    return in_source() | in_controls()
