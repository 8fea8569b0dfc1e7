"""Round trip: a simulated group written out as each export format and read back.

The daily members, joins, leaves and messages and every member's join day,
exit day (so tenure) and exit kind must come back exactly; inviters too
where the format shows them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.ingest import pseudonym
from sim.ingest.cli import read_group
from sim.ingest.synthetic import simulate, truth_of
from sim.ingest.writers import WRITERS

SALT = "test-salt"
OVERRIDES = ["days=60", "group.initial_members=30", "strategy=rules", "population.leave_threshold=0.2", "seed=3"]
SHOWS_INVITERS = {"wechat-csv", "telegram-json", "discord-csv", "messages-csv"}


@pytest.fixture(scope="module")
def simulated():
    run, counts = simulate(OVERRIDES)
    reasons = run.members["exit_reason"].value_counts().to_dict()
    assert reasons.get("removed", 0) >= 1 and sum(reasons.values()) > reasons.get("removed", 0)  # both kinds
    assert run.daily["joined"].sum() >= 1
    return run, counts, truth_of(run, counts)


def _slot_of(group, truth) -> dict[str, int]:
    """Ingested member_key → simulated slot (a member is keyed by account id, or by name if never seen posting)."""
    out = {}
    for slot, (raw, name) in enumerate(zip(truth.people["id"], truth.people["name"])):
        for candidate in (raw, f"name:{raw}", f"name:{name}"):
            out[pseudonym.keys([candidate], SALT)[0]] = slot
    return out


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_round_trip(fmt, simulated, tmp_path):
    run, counts, truth = simulated
    export, events = WRITERS[fmt](truth, tmp_path)
    group = read_group(export, fmt, events, tz=truth.tz, infer="off", salt=SALT)
    sim_daily = run.daily.set_index("day")
    founders = int((run.members["joined_day"] == 0).sum())
    day0 = group.daily.set_index("day").loc[0]
    assert (day0["members"], day0["joined"], day0["left"]) == (founders, founders - 1, 0)  # the owner was there
    got = group.daily.set_index("day").loc[1:]
    assert len(got) <= len(sim_daily) and got.index[0] == 1
    for column in ("members", "joined", "left", "messages"):
        np.testing.assert_array_equal(got[column].to_numpy(dtype=int),
                                      sim_daily[column].loc[got.index].to_numpy(), err_msg=column)
    # days after the export's last record must be quiet in the simulation
    tail = sim_daily.loc[got.index[-1] + 1:]
    assert (tail["messages"] == 0).all() and (tail["joined"] == 0).all() and (tail["left"] == 0).all()
    slot = group.members["member_key"].map(_slot_of(group, truth))
    assert slot.notna().all() and slot.is_unique
    sim = run.members.set_index("member_id").loc[slot.astype(int)]
    got_m = group.members
    np.testing.assert_array_equal(got_m["joined_day"], sim["joined_day"])
    pd.testing.assert_series_equal(got_m["exit_day"].reset_index(drop=True), sim["exit_day"].reset_index(drop=True),
                                   check_names=False, check_dtype=False)
    tenure_got = (got_m["exit_day"] - got_m["joined_day"]).reset_index(drop=True)
    tenure_sim = (sim["exit_day"] - sim["joined_day"]).reset_index(drop=True)
    pd.testing.assert_series_equal(tenure_got, tenure_sim, check_names=False, check_dtype=False)
    voluntary = sim["exit_reason"].notna() & (sim["exit_reason"] != "removed")
    expected_reason = sim["exit_reason"].where(~voluntary, "left").reset_index(drop=True)
    assert list(got_m["exit_reason"].fillna("-")) == list(expected_reason.fillna("-"))
    assert not got_m["exit_inferred"].any()
    # an export lists the operator's posts (owner persona, lectures) under the owner's account
    operator = np.where(sim.index == 0, run.daily["operator_messages"].sum(), 0)
    np.testing.assert_array_equal(got_m["messages"], sim["messages"] + operator)
    if fmt in SHOWS_INVITERS:
        inviter_slot = got_m["invited_by"].map(lambda i: None if pd.isna(i) else int(slot.iloc[int(i)]))
        assert list(inviter_slot.fillna(-1)) == list(sim["invited_by"].fillna(-1))
    kinds = set(group.messages["kind"])
    assert "system" in kinds or fmt in ("discord-csv", "messages-csv")


def test_round_trip_reply_latency(simulated, tmp_path):
    """Formats that link replies give each synthetic reply's target: the message just before it."""
    run, counts, truth = simulated
    export, events = WRITERS["telegram-json"](truth, tmp_path)
    group = read_group(export, "telegram-json", events, tz=truth.tz, infer="off", salt=SALT)
    replies = group.messages[group.messages["kind"] == "reply"]
    assert len(replies) == (truth.messages["kind"] == "reply").sum() > 0
    assert replies["reply_to"].notna().all()
    assert (group.messages["time"].loc[replies["reply_to"].astype(int)].to_numpy() <= replies["time"].to_numpy()).all()
