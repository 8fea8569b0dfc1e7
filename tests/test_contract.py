"""The output data contract (shared/DESIGN.md): files, columns, types, nulls."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from sim.metrics import DAILY_COLUMNS, MEMBER_COLUMNS, SUMMARY_KEYS
from conftest import simulate_cached

EXIT_REASONS = {"satisfied", "annoyed", "overload", "social", "removed"}


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run") / "course-red"
    cmd = [sys.executable, "-m", "sim.cli", "group=course", "strategy=red_packets", "seed=3",
           "days=40", f"hydra.run.dir={folder}"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return folder


def test_cli_writes_one_run_folder_per_the_contract(run_folder):
    for name in ("config.yaml", "daily.parquet", "members.parquet", "summary.json"):
        assert (run_folder / name).is_file(), name


def test_daily_table_has_contract_columns_one_row_per_day(run_folder):
    daily = pd.read_parquet(run_folder / "daily.parquet")
    assert list(daily.columns[: len(DAILY_COLUMNS)]) == DAILY_COLUMNS
    assert daily["day"].tolist() == list(range(1, 41))
    kinds = [c for c in DAILY_COLUMNS if c.startswith("msg_")]
    assert (daily[kinds].sum(axis=1) == daily["messages"]).all()
    assert (daily["members"] == daily["active"] + daily["lurkers"] + daily["muted"]).all()


def test_member_table_has_contract_columns_and_nulls(run_folder):
    members = pd.read_parquet(run_folder / "members.parquet")
    assert list(members.columns[: len(MEMBER_COLUMNS)]) == MEMBER_COLUMNS
    assert members["member_id"].is_unique
    stayed = members["exit_day"].isna()
    assert members.loc[stayed, "exit_reason"].isna().all()
    assert set(members.loc[~stayed, "exit_reason"]) <= EXIT_REASONS
    muted_then_left = members.dropna(subset=["muted_day", "exit_day"])
    assert (muted_then_left["muted_day"] <= muted_then_left["exit_day"]).all()


def test_summary_has_contract_keys_and_definitions(run_folder):
    summary = json.loads((run_folder / "summary.json").read_text())
    assert set(SUMMARY_KEYS) <= set(summary)
    assert "died" in summary["definitions"] and "lifetime_days" in summary["definitions"]


def test_config_yaml_is_the_resolved_config_with_seed(run_folder):
    text = (run_folder / "config.yaml").read_text()
    assert "seed: 3" in text and "name: course" in text and "red_packets:" in text


def test_api_returns_the_same_tables_as_the_cli(run_folder):
    run = simulate_cached("group=course", "strategy=red_packets", "seed=3", "days=40")
    pd.testing.assert_frame_equal(run.daily, pd.read_parquet(run_folder / "daily.parquet"))
    pd.testing.assert_frame_equal(run.members, pd.read_parquet(run_folder / "members.parquet"))


def test_totals_in_summary_match_the_daily_table():
    run = simulate_cached("seed=1", "days=60", "strategy=playbook")
    s, d = run.summary, run.daily
    assert s["total_messages"] == d["messages"].sum()
    assert s["total_conversions"] == d["conversions"].sum() == run.members["purchases"].sum()
    assert s["spend_money"] == pytest.approx(d["spend_money"].sum())
    assert s["final_members"] == d["members"].iloc[-1]
    assert d["left"].sum() == run.members["exit_day"].notna().sum()
