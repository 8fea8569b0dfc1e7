"""Bad input stops before any run with one line naming the field and what is allowed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sim.api import compose_config
from sim.checks import ConfigError
from sim.cli import main

BAD_INPUTS = [
    (["strategy=nope"], "strategy: unknown option 'nope'; allowed: admission"),
    (["group=nope"], "group: unknown option 'nope'; allowed: brand, course, groupbuy, interest"),
    (["group.knows_owner=1.5"], "group.knows_owner must be [0, 1], got 1.5"),
    (["population.mute_rate=2"], "population.mute_rate must be [0, 1]"),
    (["group.invite_rate=-0.1"], "group.invite_rate must be [0, 1]"),
    (["strategy=red_packets", "strategy.budget_money=-5"], "strategy.budget_money must be [0, 1_000_000_000], got -5.0"),
    (["strategy=red_packets", "strategy.red_packets.money=-1"], "strategy.red_packets.money must be [0, 1_000_000], got -1.0"),
    (["group.initial_members=501"], "group.initial_members must be [2, 500]"),
    (["days=0"], "days must be [1, 3650], got 0"),
    (["days=-3"], "days must be [1, 3650]"),
    (["group.initial_members=abc"], "group.initial_members"),
    (["no_such_key=1"], "unknown key 'no_such_key'"),
    (["~group.need_profile.learning"], "group.need_profile must name learning"),
    (["strategy=checkin", "strategy.checkin.need=cooking"], "strategy.checkin.need must be one of"),
]


@pytest.mark.parametrize("overrides, message", BAD_INPUTS)
def test_bad_input_is_one_clear_error(overrides, message):
    with pytest.raises(ConfigError) as err:
        compose_config(overrides)
    text = str(err.value)
    assert message in text
    assert "\n" not in text


@pytest.mark.parametrize("overrides, message", BAD_INPUTS[:4])
def test_cli_exits_2_with_one_line_and_no_traceback(overrides, message, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(sys, "argv", ["groupsim", *overrides, f"hydra.run.dir={tmp_path}/r"])
    with pytest.raises(SystemExit) as stop:
        main()
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and message in err and "Traceback" not in err
    assert not (tmp_path / "r").exists(), "nothing may run before validation passes"


def test_console_script_reports_user_errors_without_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "sim.cli", "group.knows_owner=2",
                           f"hydra.run.dir={tmp_path}/r"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == "groupsim: error: group.knows_owner must be [0, 1], got 2.0"


def test_valid_defaults_compose():
    cfg = compose_config([])
    assert cfg.group.name == "interest" and cfg.strategy.name == "none" and cfg.days > 0
