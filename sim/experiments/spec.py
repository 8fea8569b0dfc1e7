"""An experiment spec (``experiments/NAME.yaml``): one operator's question, as arms to run.

A spec names the question, the anecdote behind it, the shared setup
(``base`` overrides), the arms (label and overrides each), the baseline arm,
how many seeds, the metric that answers the question and the ones that
qualify it, and what to tell the operator for each kind of outcome. Nothing
in it is a result: every number in a report comes from the runs.
"""

from __future__ import annotations

import dataclasses
import math
import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from sim.api import compose_config
from sim.checks import ConfigError
from sim.config import RunConfig
from sim.experiments.outcomes import METRICS

EXPERIMENTS_DIR = Path(__file__).resolve().parents[2] / "experiments"
OUTCOMES = ("better", "worse", "no_difference", "unclear")
REQUIRED_ADVICE = ("better", "worse", "unclear")
ARM_KEY = re.compile(r"^[a-z0-9][a-z0-9_]*$")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")  # a file and folder name: no '/', no '..'
PLACEHOLDERS = ("best", "baseline", "more_seeds")  # what the report fills into verdict and next texts
MAX_SEEDS = 1000  # per arm: beyond, the answer no longer changes and the disk fills


class SpecError(ValueError):
    """A spec that cannot be run: one line naming the experiment and the problem."""


@dataclass(frozen=True)
class Arm:
    key: str            # folder-safe name: runs/<key>/seed<k>
    label: str          # what the operator reads in figures and sentences
    overrides: tuple[str, ...]


@dataclass(frozen=True)
class Experiment:
    name: str
    question: str
    why: str
    base: tuple[str, ...]
    arms: tuple[Arm, ...]
    baseline: str
    seeds: int
    primary: str
    also: tuple[str, ...]
    min_effect: float
    verdict: dict[str, str]
    next: dict[str, str]
    survival: bool = False
    path: Path = field(default=Path(), compare=False)
    fitted: str | None = None  # the fitted.yaml whose group is the base (``with_fitted``)

    @property
    def metrics(self) -> tuple[str, ...]:
        return (self.primary, *(m for m in self.also if m != self.primary))

    def arm(self, key: str) -> Arm:
        return next(a for a in self.arms if a.key == key)

    def overrides(self, arm: Arm, days: int | None = None) -> list[str]:
        """Base overrides, then the arm's (so an arm may change the base), then ``days``."""
        return [*self.base, *arm.overrides, *([f"days={days}"] if days is not None else [])]

    def configs(self, days: int | None = None) -> dict[str, RunConfig]:
        """Every arm's validated config (seed left at its default): fails before any run."""
        configs = {}
        for arm in self.arms:
            try:
                configs[arm.key] = _compose(tuple(self.overrides(arm, days)))
            except ConfigError as exc:
                raise SpecError(f"{self.name}: arm {arm.key!r}: {exc}") from None
        return configs


def override_key(text: str) -> str:
    """The config key an override sets: ``group.chat_propensity=0.4`` -> ``group.chat_propensity``."""
    return text.split("=", 1)[0].strip().lstrip("+~")


def with_fitted(experiment: Experiment, fitted: list[str], source: str) -> Experiment:
    """The experiment run on a fitted group: the fitted overrides are the base, the arms' levers on top.

    The spec's ``base`` keeps only keys the fit does not set, except ``days``:
    the experiment's horizon (the spec's or ``--days``) replaces the fitted
    record's length. A fitted key that an arm varies is refused, since the
    arm would silently undo the fit (or the fit the arm).
    """
    keys = {override_key(o) for o in fitted} - {"days"}
    for arm in experiment.arms:
        clash = sorted(keys & {override_key(o) for o in arm.overrides})
        if clash:
            raise SpecError(f"{experiment.name}: arm {arm.key!r} varies {', '.join(clash)}, which "
                            f"{source} fixes; pick an experiment that does not vary it, or refit without it")
    base = [o for o in fitted if override_key(o) != "days"]
    base += [o for o in experiment.base if override_key(o) not in keys]
    return dataclasses.replace(experiment, base=tuple(base), fitted=source)


@lru_cache(maxsize=256)
def _compose(overrides: tuple[str, ...]) -> RunConfig:
    """Composing costs ~0.1 s (Hydra); validation and planning ask for the same arms twice."""
    return compose_config(list(overrides))


def available() -> list[str]:
    return sorted(p.stem for p in EXPERIMENTS_DIR.glob("*.yaml"))


def check_seeds(seeds: Any, where: str = "'seeds'") -> int:
    """Seeds per arm: a whole number from 2 (pairs need two) to ``MAX_SEEDS``."""
    if isinstance(seeds, bool) or not isinstance(seeds, int) or not 2 <= seeds <= MAX_SEEDS:
        raise ValueError(f"{where} must be a whole number from 2 (pairs need two) to {MAX_SEEDS}, "
                         f"got {seeds!r}")
    return seeds


def _read(name: str, path: Path) -> dict[str, Any]:
    """The spec file as a mapping; syntax and encoding errors said with their line."""
    try:
        raw = yaml.safe_load(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise SpecError(f"{name}: {path.name} is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SpecError(f"{name}: {path.name} is not valid YAML{where}: "
                        f"{getattr(exc, 'problem', None) or exc}") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise SpecError(f"{name}: {path.name} must be a mapping (question:, arms:, ...), "
                        f"got {type(raw).__name__} {raw!r}"[:300])
    return raw


def load_experiment(name: str) -> Experiment:
    """Read and check ``experiments/NAME.yaml`` (not its overrides: see ``Experiment.configs``)."""
    if not isinstance(name, str) or not NAME.match(name):
        raise SpecError(f"experiment names are letters, digits, '_' and '-', got {name!r}; "
                        f"available: {', '.join(available())}")
    path = EXPERIMENTS_DIR / f"{name}.yaml"
    if not path.is_file():
        raise SpecError(f"unknown experiment {name!r}; available: {', '.join(available())}")
    raw = _read(name, path)
    try:
        return _parse(name, raw, path)
    except (KeyError, TypeError, ValueError) as exc:
        raise SpecError(f"{name}: {exc}") from None


def _fields(text: str, where: str) -> None:
    """Only the placeholders the report fills, and well-formed braces."""
    try:
        used = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError as exc:
        raise ValueError(f"{where}: {exc} (write {{{{ and }}}} for literal braces)") from None
    unknown = sorted(used - set(PLACEHOLDERS))
    if unknown:
        raise ValueError(f"{where}: unknown placeholder {{{unknown[0]}}}; allowed: "
                         f"{', '.join('{' + p + '}' for p in PLACEHOLDERS)}")


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key!r} must be non-empty text")
    return " ".join(value.split())


def _overrides(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and "=" in v for v in value):
        raise ValueError(f"{where} must be a list of KEY=VALUE overrides")
    return tuple(value)


def _parse(name: str, raw: dict[str, Any], path: Path) -> Experiment:
    unknown = set(raw) - {"question", "why", "base", "arms", "baseline", "seeds", "primary", "also",
                          "min_effect", "verdict", "next", "survival"}
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
    if not isinstance(raw.get("arms"), dict) or len(raw["arms"]) < 2:
        raise ValueError("'arms' must map at least two arm keys to {label, overrides}")
    arms = []
    for key, arm in raw["arms"].items():
        if not ARM_KEY.match(str(key)):
            raise ValueError(f"arm key {key!r} must be lower-case letters, digits and _")
        if not isinstance(arm, dict) or set(arm) - {"label", "overrides"}:
            raise ValueError(f"arm {key!r} must have only 'label' and 'overrides'")
        arms.append(Arm(str(key), _text(arm, "label"), _overrides(arm.get("overrides"), f"arm {key!r}")))
    baseline = raw.get("baseline")
    if baseline not in raw["arms"]:
        raise ValueError(f"baseline {baseline!r} is not an arm ({', '.join(raw['arms'])})")
    seeds = check_seeds(raw.get("seeds", 20))
    min_effect = raw.get("min_effect", 0.0)
    if isinstance(min_effect, bool) or not isinstance(min_effect, int | float) \
            or not math.isfinite(min_effect) or min_effect < 0:
        raise ValueError(f"'min_effect' must be a finite number >= 0, got {min_effect!r}")
    primary, also = raw.get("primary"), raw.get("also", [])
    for metric in [primary, *also]:
        if metric not in METRICS:
            raise ValueError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")
    if METRICS[primary].better == 0:
        raise ValueError(f"primary metric {primary!r} has no better direction; pick one that does")
    advice = {k: " ".join(str(v).split()) for k, v in (raw.get("next") or {}).items()}
    verdict = {k: " ".join(str(v).split()) for k, v in (raw.get("verdict") or {}).items()}
    for what, texts in (("next", advice), ("verdict", verdict)):
        missing = [k for k in REQUIRED_ADVICE if k not in texts]
        if missing or set(texts) - set(OUTCOMES):
            raise ValueError(f"{what!r} must give text for {', '.join(REQUIRED_ADVICE)} "
                             f"(and optionally no_difference), got {', '.join(texts) or 'none'}")
        for outcome, text in texts.items():
            _fields(text, f"{what}.{outcome}")
    return Experiment(
        name=name, question=_text(raw, "question"), why=_text(raw, "why"),
        base=_overrides(raw.get("base", []), "'base'"), arms=tuple(arms), baseline=baseline,
        seeds=seeds, primary=primary, also=tuple(also), min_effect=float(min_effect),
        verdict=verdict, next=advice, survival=bool(raw.get("survival", False)), path=path)
