"""Every number in the config is bounded on both sides, and out-of-range input is one line."""

from __future__ import annotations

import dataclasses
import math
import typing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.api import compose_config
from sim.checks import ConfigError, bounds
from sim.config import RunConfig


def numeric_fields(cls: type = RunConfig, prefix: str = ""):
    """(dotted key, dataclass field) for every int/float field reachable from ``cls``."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        kind = hints[f.name]
        if dataclasses.is_dataclass(kind):
            yield from numeric_fields(kind, f"{prefix}{f.name}.")
        elif kind in (int, float):
            yield f"{prefix}{f.name}", f, kind


FIELDS = {key: f for key, f, _ in numeric_fields()}
FLOATS = sorted(key for key, _, kind in numeric_fields() if kind is float)
INTS = sorted(key for key, _, kind in numeric_fields() if kind is int)


def test_every_numeric_field_has_a_finite_range():
    """A new field without bounds fails here: declare ``ranged(default, lo, hi)`` or a CEILINGS entry."""
    assert len(FIELDS) > 100
    open_ended = [key for key, f in FIELDS.items()
                  if bounds(f) is None or not all(b is not None and math.isfinite(b) for b in bounds(f))]
    assert not open_ended, f"fields without a finite [low, high]: {', '.join(open_ended)}"


def test_defaults_are_inside_their_ranges():
    cfg = RunConfig()
    for key, f in FIELDS.items():
        lo, hi = bounds(f)
        value = cfg
        for part in key.split("."):
            value = getattr(value, part)
        assert lo <= value <= hi, key


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(FLOATS),
       value=st.sampled_from(["inf", "-inf", "nan", "1e308", "-1e308", "1e300", "1e20"]))
def test_any_float_field_given_a_non_finite_or_huge_value_is_refused_in_one_line(key, value):
    lo, hi = bounds(FIELDS[key])
    if value not in ("inf", "-inf", "nan") and lo <= float(value) <= hi:
        return
    with pytest.raises(ConfigError) as error:
        compose_config([f"{key}={value}"])
    assert key in str(error.value) and "\n" not in str(error.value)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(INTS),
       value=st.sampled_from([10**12, -(10**12), 2**63]))
def test_any_int_field_given_a_huge_value_is_refused_in_one_line(key, value):
    with pytest.raises(ConfigError) as error:
        compose_config([f"{key}={value}"])
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("name", ["a/../../b", "../up", ".hidden", "a b", "", "x" * 65])
@pytest.mark.parametrize("key", ["group.name", "strategy.name", "platform.name"])
def test_names_that_become_folders_must_be_safe(key, name):
    with pytest.raises(ConfigError, match=key):
        compose_config([f"{key}='{name}'"])


def test_safe_names_including_chinese_are_fine():
    assert compose_config(["group.name='课程群-2024.v1'"]).group.name == "课程群-2024.v1"


def test_seed_plus_replications_must_stay_32_bit():
    with pytest.raises(ConfigError, match="seed \\+ replications"):
        compose_config(["seed=4294967295", "replications=2"])
