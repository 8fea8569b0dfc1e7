"""The model against published facts (``groupsim-validate``): a change that breaks one fails here.

The checks are the report's own (``sim.validation``), run at a smaller scale
than the report's default (8 seeds per arm, 100 groups in the Qiu et al.
population instead of 16 and 200). Every run has a fixed seed, so each
verdict is deterministic: it changes only when the model does.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.validation import FACTS, Fact, Finding
from sim.validation import report as validation
from sim.validation.facts import Scale

CI_SCALE = Scale(seeds=8, groups=100, jobs=2)


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    """Every fact checked once, its report written: (report folder, echoed lines, findings by key)."""
    out = tmp_path_factory.mktemp("validation")
    lines: list[str] = []
    checked = validation.validate(CI_SCALE, out, echo=lines.append)
    return out, lines, {fact.key: finding for fact, finding in checked}


@pytest.mark.parametrize("key", [fact.key for fact in FACTS])
def test_published_fact_is_reproduced(validated, key):
    _, _, findings = validated
    finding = findings[key]
    assert finding.passed, f"{key}: simulated {finding.shown}, band [{finding.low}, {finding.high}]"


def test_each_fact_prints_pass_or_fail_beside_the_published_figure(validated):
    _, lines, _ = validated
    assert len(lines) == len(FACTS)
    for fact, line in zip(FACTS, lines):
        assert line.startswith(("PASS  ", "FAIL  ")) and f" {fact.key}: simulated " in line
        assert f"published {fact.published} ({fact.source})" in line


def test_report_names_what_each_fact_constrains_and_draws_its_figures(validated):
    out, _, findings = validated
    text = (out / "report.md").read_text()
    passed = sum(f.passed for f in findings.values())
    assert f"{passed} of {len(FACTS)} facts reproduced" in text
    for fact in FACTS:
        assert f"- **{fact.key}** ({fact.source}): {fact.constrains}." in text
    for figure in ("lifetimes.png", "overload.png"):
        assert f"]({figure})" in text and (out / figure).stat().st_size > 10_000
    table = pd.read_csv(out / "facts.csv")
    assert table["fact"].tolist() == [f.key for f in FACTS]
    assert table["constrains"].str.len().min() > 10


def test_qiu_population_is_the_archetype_mix_watched_for_34_days(validated):
    _, _, findings = validated
    table = findings["qiu_silent_in_a_week"].data
    assert len(table) == CI_SCALE.groups
    assert table["group"].value_counts(normalize=True).round(2).to_dict() == {
        "course": 0.5, "brand": 0.4, "interest": 0.05, "groupbuy": 0.05}



@pytest.mark.parametrize("groups", [10, 30, 77])
def test_population_quotas_add_up_to_the_groups_asked_for(groups):
    from sim.validation.facts import population
    assert len(population(Scale(groups=groups))) == groups


def test_exit_status_counts_failed_facts(tmp_path, monkeypatch, capsys):
    failing = Fact("always_fails", "test", "a claim no model meets", "1", "nothing",
                   lambda scale: Finding(0.0, 1.0, 1.0, "0"))
    monkeypatch.setattr(validation, "FACTS", [failing])
    with pytest.raises(SystemExit) as stop:
        validation.main(["--out", str(tmp_path), "--jobs", "1"])
    out = capsys.readouterr().out
    assert stop.value.code == 1
    assert "FAIL  always_fails: simulated 0; published 1 (test)" in out
    assert "0/1 facts reproduced" in out and "**FAIL**" in (tmp_path / "report.md").read_text()


@pytest.mark.parametrize("argv, says", [
    (["--only", "no_such_fact"], "--only: unknown fact no_such_fact; allowed: qiu_silent_in_a_week"),
    (["--seeds", "1"], "--seeds must be at least 2"),
])
def test_bad_arguments_are_one_line_and_exit_2(tmp_path, capsys, argv, says):
    with pytest.raises(SystemExit) as stop:
        validation.main([*argv, "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.count("\n") == 1 and says in err
    assert not (tmp_path / "out").exists()
