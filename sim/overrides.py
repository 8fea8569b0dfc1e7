"""Command-line overrides, checked before anything runs.

Hydra accepts ``+any.new.key=1`` silently and checks a sweep only when each
job starts; here every key must exist in the schema (else: did you mean…?),
and every combination of a sweep is composed and validated up front, so a
bad value anywhere in ``-m`` stops the command before the first run.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import math
import typing
from collections.abc import Iterator

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from hydra.errors import HydraException

from sim.checks import ConfigError

GROUPS = ("group", "population", "platform", "strategy")  # folders of configs/
MAX_CHECKED = 5_000  # combinations validated one by one; beyond, each value is checked alone


def as_list(overrides) -> list[str]:
    """Overrides must be a list of ``KEY=VALUE`` strings (a lone string is a common slip)."""
    if overrides is None:
        return []
    if isinstance(overrides, str) or not all(isinstance(o, str) for o in overrides):
        raise ConfigError(f"overrides must be a list of 'KEY=VALUE' strings, e.g. ['days=5'], "
                          f"got {overrides!r}")
    return list(overrides)


def parse(overrides: list[str]) -> list[Override]:
    """Hydra's parse, with its multi-line lexer errors said in one line."""
    parser = OverridesParser.create()
    parsed = []
    for text in overrides:
        try:
            parsed.extend(parser.parse_overrides([text]))
        except HydraException:
            key, _, value = text.partition("=")
            odd = next((c for c in text if not c.isascii()), None)
            if odd and odd in key:
                hint = f"character {odd!r} in a key: keys are ASCII, e.g. group.name"
            elif odd:
                hint = (f"character {odd!r} is not allowed unquoted: write numbers in ASCII digits "
                        f"and quote text, e.g. {key}='{value}'")
            else:
                hint = "expected KEY=VALUE (see `groupsim --help`)"
            raise ConfigError(f"cannot read override {text!r}: {hint}") from None
    return parsed


def schema_keys() -> tuple[set[str], set[str]]:
    """Every dotted key of the schema, and the keys holding free-form dicts (any subkey goes)."""
    from sim.config import RunConfig

    keys, open_dicts = set(), set()

    def walk(cls: type, prefix: str) -> None:
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            key = f"{prefix}{f.name}"
            keys.add(key)
            kind = hints[f.name]
            if dataclasses.is_dataclass(kind):
                walk(kind, f"{key}.")
            elif typing.get_origin(kind) is dict:
                open_dicts.add(key)

    walk(RunConfig, "")
    return keys, open_dicts


def check_keys(parsed: list[Override]) -> None:
    """Refuse a key the schema does not have, suggesting the closest ones."""
    keys, open_dicts = schema_keys()
    for o in parsed:
        key = o.key_or_group
        if o.is_hydra_override() or "/" in key or o.package is not None:
            continue
        if key in keys or any(key.startswith(f"{d}.") for d in open_dicts):
            continue
        close = difflib.get_close_matches(key, sorted(keys), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; see `groupsim --cfg job`"
        raise ConfigError(f"unknown key {key!r}{hint}")


def combinations(parsed: list[Override]) -> Iterator[list[str]]:
    """Each job's override list, as Hydra's basic sweeper forms it (``KEY=VALUE`` strings)."""
    choices = []
    for o in parsed:
        if o.is_sweep_override():
            prefix = o.get_key_element()
            choices.append([f"{prefix}={v}" for v in o.sweep_string_iterator()])
        else:
            choices.append([o.input_line])
    return (list(c) for c in itertools.product(*choices))


def sweep_size(parsed: list[Override]) -> int:
    sizes = [len(list(o.sweep_string_iterator())) for o in parsed if o.is_sweep_override()]
    return math.prod(sizes)


def one_value_at_a_time(values: list[Override]) -> list[list[str]]:
    """For sweeps too large to enumerate: every swept value once, the others at their first."""
    first = [next(combinations([o])) for o in values]
    jobs = [sum(first, [])]
    for i, o in enumerate(values):
        if o.is_sweep_override():
            jobs += [sum(first[:i], []) + v + sum(first[i + 1:], []) for v in combinations([o])]
    return jobs


def _settable(text: str) -> str:
    """``+key=v`` as ``++key=v``: values are set again and again on one composed config."""
    return f"+{text}" if text.startswith("+") and not text.startswith("++") else text


def check_sweep(overrides: list[str]):
    """Validate every job of a sweep before any starts; returns the job count and the
    job needing the most memory (a ``RunConfig``).

    Config groups (``strategy=a,b``) and fixed values are composed with Hydra
    once per choice of groups; each combination of swept values is then set
    on that config in place and validated (a few ms a job, against the ~100 ms
    Hydra spends composing each job anyway), so cross-field rules (members
    under the cap) are checked for every combination that will actually run.
    """
    from hydra._internal.config_loader_impl import ConfigLoaderImpl

    from sim.api import compose_dict, one_line
    from sim.config import load_config
    from sim.resources import estimate_bytes

    parsed = parse(overrides)
    check_keys(parsed)
    size = sweep_size(parsed)
    chooses = [o for o in parsed if o.key_or_group in GROUPS or "/" in o.key_or_group]
    fixed = [o.input_line for o in parsed if o not in chooses and not o.is_sweep_override()]
    swept = [o for o in parsed if o not in chooses and o.is_sweep_override()]
    jobs = list(combinations(swept)) if size <= MAX_CHECKED else one_value_at_a_time(swept)
    parser, cache = OverridesParser.create(), {}
    largest = None
    for groups in combinations(chooses):
        cfg = compose_dict(groups + fixed)
        for job in jobs:
            try:
                for text in job:
                    if text not in cache:
                        cache[text] = parser.parse_overrides([_settable(text)])
                    ConfigLoaderImpl._apply_overrides_to_config(cache[text], cfg)
            except Exception as exc:
                raise ConfigError(f"{' '.join(groups + job)}: {one_line(exc)}") from None
            try:
                config = load_config(cfg)
            except ConfigError as exc:
                where = " ".join(j for j in groups + job if j not in fixed)
                raise ConfigError(f"{exc} (in the run {where})" if where else str(exc)) from None
            if largest is None or estimate_bytes(config) > estimate_bytes(largest):
                largest = config
    return size, largest
