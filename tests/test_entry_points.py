"""Every command answers bad input, bad paths and missing memory with one line and a documented code.

One table per command: the arguments, the exit code (``sim.errors``) and a
piece of the one line the user reads. Each case runs in-process and fails
before any simulation starts, so the whole table takes seconds.
"""

from __future__ import annotations

import importlib
import sys
import tomllib
from pathlib import Path

import pytest

import sim.experiments.spec as spec
import sim.resources
from sim.errors import EXIT_CODES, INTERRUPTED, SETUP, USAGE

ROOT = Path(__file__).resolve().parents[1]
# Owned by another engineer (issue 11, compare and dashboard part); they join the table when wrapped.
PENDING: set[str] = set()


def scripts() -> dict[str, str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]


def load(target: str):
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("command", sorted(scripts()))
def test_every_command_is_wrapped_in_the_shared_error_handler(command):
    wrapped = getattr(load(scripts()[command]), "entry_point", None) == command
    assert wrapped or command in PENDING, (
        f"{command}: decorate its main with @sim.errors.entry_point({command!r})")


def test_the_exit_codes_are_distinct_and_documented():
    readme = (ROOT / "README.md").read_text()
    assert len(EXIT_CODES) == len(set(EXIT_CODES)) == 5
    for code in EXIT_CODES:
        assert f"| {code} |" in readme


def expect(main, argv, code, says, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    err = capsys.readouterr().err
    assert stop.value.code == code, err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert says in last, last
    return last


def groupsim(monkeypatch):
    from sim.cli import main

    def run(argv):
        monkeypatch.setattr(sys, "argv", ["groupsim", *argv])
        main()
    return run


GROUPSIM = [
    (["strategy=red_packets", "strategy.budget_money=inf", "strategy.red_packets.money=inf", "days=30"],
     USAGE, "strategy.red_packets.money must be [0, 1_000_000], got inf"),
    (["group=brand", "strategy=hard_sell", "group.price=inf", "days=30"], USAGE, "group.price"),
    (["group=brand", "strategy=hard_sell", "group.price=1e308"], USAGE, "group.price"),
    (["strategy=red_packets", "strategy.red_packets.money=1e20", "strategy.budget_money=1e300"],
     USAGE, "strategy.red_packets.money"),
    (["platform.member_cap=100000000", "group.initial_members=50000000", "days=3"], USAGE,
     "must be [2, 1_000_000]"),
    (["seed=4294967295", "replications=2", "days=10"], USAGE, "seed + replications - 1"),
    (["-m", "seed=4294967295", "replications=2", "days=10"], USAGE, "seed + replications - 1"),
    (["strategy="], USAGE, "strategy: no option given; allowed: admission"),
    (["days=３０"], USAGE, "ASCII digits"),
    (["group=微信"], USAGE, "quote text"),
    (["+strategy.red_packets.evry=3"], USAGE, "did you mean strategy.red_packets.every"),
    (["strategy.red_packets.evry=3"], USAGE, "did you mean strategy.red_packets.every"),
    (["+foo=1"], USAGE, "unknown key 'foo'"),
    (["group.name=a/../../b"], USAGE, "group.name names a folder"),
    (["-m", "platform=stress,wechat", "group.initial_members=100,600"], USAGE,
     "got 600 (in the run platform=wechat group.initial_members=600)"),
    (["-m", "seed=0,1.5,3"], USAGE, "seed=1.5"),
    (["-m", "strategy=none,nope"], USAGE, "unknown option 'nope'"),
    (["hydra.run.dir=/proc/nope/run", "days=2"], SETUP, "run folder /proc/nope/run cannot be written"),
    (["hydra.run.dir={file}", "days=2"], SETUP, "is a file, not a folder"),
    (["-m", "seed=0,1", "hydra.sweep.dir={file}"], SETUP, "sweep folder"),
]


@pytest.mark.parametrize(("argv", "code", "says"), GROUPSIM, ids=[" ".join(a) for a, _, _ in GROUPSIM])
def test_groupsim(argv, code, says, tmp_path, monkeypatch, capsys):
    (tmp_path / "a-file").write_text("")
    argv = [a.replace("{file}", str(tmp_path / "a-file")) for a in argv]
    monkeypatch.chdir(tmp_path)
    expect(groupsim(monkeypatch), argv, code, says, capsys)
    assert not list(tmp_path.rglob("summary.json"))


def test_groupsim_refuses_a_run_that_would_not_fit_in_memory(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sim.resources, "available_bytes", lambda: 2**29)
    monkeypatch.chdir(tmp_path)
    expect(groupsim(monkeypatch), ["platform=stress", "group.initial_members=20000", "days=3"],
           SETUP, "needs about", capsys)
    expect(groupsim(monkeypatch), ["-m", "platform=stress", "group.initial_members=100,20000"],
           SETUP, "needs about", capsys)
    assert not (tmp_path / "results").exists() or not list(tmp_path.rglob("summary.json"))


def test_ctrl_c_is_one_line_and_exit_130(tmp_path, monkeypatch, capsys):
    import sim.cli

    def interrupted(cfg, keep_model=True):
        raise KeyboardInterrupt

    monkeypatch.setattr(sim.cli, "run", interrupted)
    last = expect(groupsim(monkeypatch), ["days=2", f"hydra.run.dir={tmp_path}/run"], INTERRUPTED,
                  "interrupted", capsys)
    assert last.startswith("groupsim: interrupted")


def test_simulate_wants_a_list_of_overrides():
    from sim.api import simulate
    from sim.checks import ConfigError

    with pytest.raises(ConfigError, match=r"list of 'KEY=VALUE' strings, e.g. \['days=5'\]"):
        simulate("days=5")


# --- groupsim-calibrate ---------------------------------------------------------------------

WEEK = "".join(f"{d},{50 + d},{5}\n" for d in range(1, 8))
CALIBRATE = [
    ("day,members,messages\n1,50,5\n\n2,51,5\n3,52,4\n\n4,53,3\n5,1,1\n6,1,x\n7,1,1\n", [], USAGE,
     "line 9: messages must be a whole number, got 'x'"),
    ("Exported from my group\nday,members,messages\n" + WEEK, [], USAGE,
     "line 1 is not the header: it is on line 2"),
    ("day,members,messages,joined,left\n1,1,5,10,0\n" + WEEK.replace("1,51,5\n", "", 1).replace(",5\n", ",5,0,0\n"),
     [], USAGE, "line 2: the group starts with -9 members"),
    ("day,members,messages\n" + WEEK.replace("1,51,", "1,900,"), [], USAGE,
     "line 2 gives the founding members: group.initial_members must be [2, 500]"),
    ("day,members,messages\n" + WEEK + "9000,60,1\n", [], USAGE, "spans 9,000 days"),
    ("day,members,messages\n" + WEEK, ["--out", "/proc/nope"], SETUP, "/proc/nope cannot be written"),
    ("day,members,messages\n" + WEEK, ["--trials", "0"], USAGE, "--trials: must be at least 1"),
    ("day,members,messages\n" + WEEK, ["--trials", "1", "--", "strategy=nope"], USAGE,
     "strategy: unknown option 'nope'"),
    ("day,members,messages\n" + WEEK, ["--trials", "1", "--", "+strategy.content.pots=2"], USAGE,
     "did you mean strategy.content.posts"),
]


@pytest.mark.parametrize(("text", "argv", "code", "says"), CALIBRATE, ids=[c[3][:40] for c in CALIBRATE])
def test_groupsim_calibrate(text, argv, code, says, tmp_path, capsys):
    from sim.calibrate import main

    data = tmp_path / "data.csv"
    data.write_text(text)
    expect(main, [str(data), "--quiet", *argv], code, says, capsys)
    assert not (tmp_path / "results").exists()


# --- groupsim-experiment --------------------------------------------------------------------

GOOD = (spec.EXPERIMENTS_DIR / "red_packets.yaml").read_text()
EXPERIMENT = [
    (None, ["../experiments/red_packets"], USAGE, "experiment names are letters"),
    (None, ["red_packets", "--days", "0"], USAGE, "--days: must be 1 to 3650, got 0"),
    (None, ["red_packets", "--seeds", "1"], USAGE, "--seeds: must be 2 to 1000"),
    (None, ["red_packets", "--jobs", "0"], USAGE, "--jobs: must be 1 to 256"),
    (None, ["red_packets", "--days", "3", "--out", "/proc/nope"], SETUP, "/proc/nope cannot be written"),
    ("question: [unclosed\n", ["spec"], USAGE, "spec.yaml is not valid YAML at line 2"),
    (b"question: \xff\xfe caf\xe9\n", ["spec"], USAGE, "spec.yaml is not UTF-8 text"),
    ("42\n", ["spec"], USAGE, "must be a mapping (question:, arms:, ...), got int 42"),
    (GOOD.replace("min_effect: 3", "min_effect: .nan"), ["spec"], USAGE, "'min_effect' must be a finite"),
    (GOOD.replace("{best} kept", "{winner} kept"), ["spec"], USAGE, "unknown placeholder {winner}"),
    (GOOD.replace("seeds: 20", "seeds: 1000000000"), ["spec"], USAGE, "'seeds' must be a whole number from 2"),
    (GOOD.replace("days=120", "days=0"), ["spec"], USAGE, "days must be [1, 3650]"),
]


@pytest.mark.parametrize(("text", "argv", "code", "says"), EXPERIMENT, ids=[c[3][:40] for c in EXPERIMENT])
def test_groupsim_experiment(text, argv, code, says, tmp_path, monkeypatch, capsys):
    from sim.experiments import main

    if text is not None:
        folder = tmp_path / "specs"
        folder.mkdir()
        path = folder / "spec.yaml"
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text)
        monkeypatch.setattr(spec, "EXPERIMENTS_DIR", folder)
    expect(main, [*argv, "--out", str(tmp_path / "out")] if "--out" not in argv else argv, code, says, capsys)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("summary.json"))


# --- groupsim-sensitivity and groupsim-validate ------------------------------------------------

PARAM = ["--param", "group.invite_rate=0:0.01"]
SENSITIVITY = [
    ([*PARAM, "--seeds", "0"], USAGE, "--seeds: must be 1 to 1000, got 0"),
    ([*PARAM, "--samples", "0"], USAGE, "--samples: must be 2 to 10000, got 0"),
    ([*PARAM, "--samples", "-3"], USAGE, "--samples: must be 2 to 10000, got -3"),
    (["--param", "group.invite_rate=0:inf"], USAGE, "group.invite_rate must be [0, 1], got inf"),
    ([*PARAM, "--out", "/proc/nope"], SETUP, "/proc/nope cannot be written"),
    ([*PARAM, "--", "+foo=1"], USAGE, "unknown key 'foo'"),
]


@pytest.mark.parametrize(("argv", "code", "says"), SENSITIVITY, ids=[c[2][:40] for c in SENSITIVITY])
def test_groupsim_sensitivity(argv, code, says, capsys):
    from sim.analysis.sensitivity import main

    expect(main, argv, code, says, capsys)


VALIDATE = [
    (["--jobs", "0"], USAGE, "--jobs: must be a count of processes >= 1, or -1"),
    (["--seeds", "1"], USAGE, "--seeds must be 2 to 1000"),
    (["--only", "nope"], USAGE, "unknown fact nope"),
    (["--out", "/proc/nope"], SETUP, "/proc/nope cannot be written"),
]


@pytest.mark.parametrize(("argv", "code", "says"), VALIDATE, ids=[c[2][:40] for c in VALIDATE])
def test_groupsim_validate(argv, code, says, capsys):
    from sim.validation.report import main

    expect(main, argv, code, says, capsys)
