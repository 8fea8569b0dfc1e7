"""``groupsim-validate --calibrate``: fits, deterministically, into files Hydra then loads.

Tiny scale: fake facts with a known optimum (read off the composed config, no
simulation) and one real calibrated fact at 2 seeds; the configs are copied
to a temporary folder so the repository's own default is never rewritten.
"""

from __future__ import annotations

import json
import math
import shutil

import pytest

from sim import api
from sim.validation import facts as registry
from sim.validation import fit as fitting
from sim.validation.facts import Fact, Finding, Scale
from sim.validation.report import main

BAND = (0.6, 0.7)   # the fake fact's band for population.norm_hesitation
START = 0.31        # a deliberately bad starting value, far below it


def _composed(scale: Scale, *overrides: str):
    """The config the fact's first run would get (scoped and extra overrides included)."""
    return api.compose_config(list(registry._seeds(scale, *overrides)[0]))


def _hesitation(scale: Scale) -> Finding:
    value = _composed(scale, "group=interest").population.norm_hesitation
    return Finding(value, *BAND, f"norm_hesitation {value:.3f}")


def _stir(scale: Scale) -> Finding:
    """Course groups get the fitted stir; an interest group's must stay untouched."""
    course = _composed(scale, "group=course").group.event_stir
    interest = _composed(scale, "group=interest").group.event_stir
    return Finding(course, 1.0, 2.0, f"event_stir {course:.2f}", also=interest == 0)


def _fake(key: str, measure) -> Fact:
    return Fact(key, "test", "a known optimum", "band", "calibrated", "none", (), measure, "test")


FAKE = [_fake("fake_hesitation", _hesitation), _fake("fake_stir", _stir)]
PARAMS = (fitting.Free("population.norm_hesitation", 0.3, 0.95, why="fake"),
          fitting.Free("group.event_stir", 0.0, 6.0, "course", "fake"))


@pytest.fixture
def configs(tmp_path, monkeypatch):
    """A copy of the configs with a bad starting value, used by every compose."""
    folder = tmp_path / "configs"
    shutil.copytree(api.CONFIG_DIR, folder)
    shutil.rmtree(folder / "calibrated", ignore_errors=True)
    population = folder / "population" / "default.yaml"
    text = population.read_text()
    assert "norm_hesitation:" in text
    population.write_text("\n".join(f"norm_hesitation: {START}" if line.startswith("norm_hesitation:")
                                    else line for line in text.splitlines()) + "\n")
    monkeypatch.setattr(api, "CONFIG_DIR", folder)
    assert api.compose_config([]).population.norm_hesitation == START
    return folder


@pytest.fixture
def fake_facts(monkeypatch):
    monkeypatch.setattr(registry, "FACTS", FAKE)
    monkeypatch.setattr(fitting, "FREE", PARAMS)


def _calibrate(out, trials=8) -> int:
    with pytest.raises(SystemExit) as done:
        main(["--calibrate", "--trials", str(trials), "--seeds", "2", "--recheck", "2",
              "--groups", "10", "--jobs", "1", "--out", str(out)])
    return done.value.code


def test_fit_moves_a_bad_start_toward_the_band_and_hydra_loads_it(configs, fake_facts, tmp_path):
    _calibrate(tmp_path / "out")
    fitted = json.loads((tmp_path / "out" / "fit.json").read_text())
    value = fitted["values"]["population.norm_hesitation"]
    centre = sum(BAND) / 2
    assert abs(value - centre) < abs(START - centre) / 2, value
    assert (tmp_path / "out" / "trials.csv").read_text().count("\n") == 9  # header + 8 trials
    # the default config now carries the fitted values, each where it belongs
    assert api.compose_config([]).population.norm_hesitation == value
    assert api.compose_config(["group=course"]).group.event_stir == fitted["values"]["group.event_stir"]
    assert api.compose_config(["group=interest"]).group.event_stir == 0
    # and the user's own overrides still win over them
    assert api.compose_config(["population.norm_hesitation=0.5"]).population.norm_hesitation == 0.5
    written = (configs / "calibrated" / "population" / "default.yaml").read_text()
    assert written.startswith("# Written by `groupsim-validate --calibrate --trials 8 --seeds 2")
    assert "fake_hesitation:" in written and "loss" in written
    assert "\nevent_stir:" not in written   # per-archetype values go to the archetype's file
    assert "event_stir:" in (configs / "calibrated" / "group" / "course.yaml").read_text()


def test_fit_is_deterministic(configs, fake_facts, tmp_path):
    outputs = []
    for name in ("first", "second"):
        _calibrate(tmp_path / name, trials=4)
        outputs.append([(tmp_path / name / f).read_text() for f in ("fit.json", "trials.csv")]
                       + [(configs / "calibrated" / "population" / "default.yaml").read_text()])
    assert outputs[0] == outputs[1]


def test_missed_facts_are_counted_and_named(configs, monkeypatch, tmp_path):
    unreachable = _fake("unreachable", lambda scale: Finding(0.0, 5.0, 6.0, "never"))
    monkeypatch.setattr(registry, "FACTS", [unreachable])
    monkeypatch.setattr(fitting, "FREE", PARAMS[:1])
    assert _calibrate(tmp_path / "out", trials=2) == 1
    header = (configs / "calibrated" / "population" / "default.yaml").read_text()
    assert "Not reached within the search ranges: unreachable" in header


def test_a_real_fact_fits_through_its_own_measure(configs, monkeypatch, tmp_path):
    """Yuan's packets at 2 seeds, 2 trials: the trial's values reach the runs."""
    yuan = next(f for f in registry.FACTS if f.key == "yuan_red_packets_sent_back")
    monkeypatch.setattr(registry, "FACTS", [yuan])
    monkeypatch.setattr(fitting, "FREE", tuple(p for p in fitting.FREE if "packet" in p.key))
    _calibrate(tmp_path / "out", trials=2)
    fitted = json.loads((tmp_path / "out" / "fit.json").read_text())
    assert set(fitted["values"]) == {"population.packet_lucky_send", "population.packet_other_send"}
    trials = (tmp_path / "out" / "trials.csv").read_text().splitlines()
    sent_back = [float(r.split(",")[trials[0].split(",").index(
        "simulated_yuan_red_packets_sent_back")]) for r in trials[1:]]
    assert len(set(sent_back)) == 2   # different values, different figures
    assert api.compose_config([]).population.packet_lucky_send == fitted["values"][
        "population.packet_lucky_send"]


def test_loss_is_zero_in_band_and_grows_with_distance():
    inside = fitting.fact_loss(Finding(0.65, 0.6, 0.7, ""))
    assert inside == pytest.approx(0.0, abs=1e-12)
    assert fitting.fact_loss(Finding(0.8, 0.6, 0.7, "")) == pytest.approx(1.0 + 0.1 * 1.5)
    assert fitting.fact_loss(Finding(0.15, 0.3, math.inf, "")) == pytest.approx(0.5)
    assert fitting.fact_loss(Finding(0.65, 0.6, 0.7, "", also=False)) == pytest.approx(1.0)
    assert fitting.fact_loss(Finding(math.nan, 0.6, 0.7, ""), weight=2) == 2 * fitting.NO_FIGURE


def test_every_free_parameter_is_named_by_a_calibrated_fact():
    named = " ".join(f.calibrated_by for f in registry.FACTS if f.status == "calibrated")
    for p in fitting.FREE:
        assert f"`{p.key}`" in named or f"`{p.name}`" in named, p.key


def test_archetype_values_reach_only_that_archetypes_runs_and_ablations_still_win():
    scale = Scale(seeds=1, extra=("group.event_stir=0",), scoped=(("course", "group.event_stir=2"),))
    course, interest, default = (registry._seeds(scale, *o)[0] for o in
                                 (("group=course",), ("group=interest",), ()))
    assert course.index("group.event_stir=2") < course.index("group.event_stir=0")
    assert "group.event_stir=2" not in interest and "group.event_stir=2" not in default
    assert registry._seeds(Scale(seeds=2, first_seed=5), "group=course")[1][-1] == "seed=6"
