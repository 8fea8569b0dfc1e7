"""Gift contagion (sim/gifts.py): members send red-packet money back, mostly the luckiest.

Yuan et al. (Management Science 2024): recipients send about 18% of the
red-packet money they received back to the group within 24 hours, most of it
from the luckiest recipient (手气最佳).
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import over_seeds

PACKETS = ("strategy=red_packets", "days=60")


def _pooled(runs, key):
    return sum(r.summary["red_packets"][key] or 0.0 for r in runs)


@pytest.fixture(scope="module")
def runs():
    return over_seeds(*PACKETS, seeds=range(6))


def test_recipients_send_back_about_a_fifth(runs):
    ratio = _pooled(runs, "sent_back") / _pooled(runs, "received")
    assert 0.1 <= ratio <= 0.3, ratio


def test_most_money_back_comes_from_the_luckiest(runs):
    shares = [r.summary["red_packets"]["luckiest_share"] for r in runs]
    assert np.mean(shares) > 0.5, shares


def test_no_gifts_back_when_nobody_reciprocates():
    runs = over_seeds(*PACKETS, "population.packet_lucky_send=0", "population.packet_other_send=0",
                      seeds=range(2))
    assert _pooled(runs, "sent_back") == 0
    assert all(r.summary["red_packets"]["return_ratio"] == 0 for r in runs)


def test_no_packets_no_ledger():
    (run,) = over_seeds("strategy=none", "days=30", seeds=range(1))
    assert run.summary["red_packets"]["return_ratio"] is None
