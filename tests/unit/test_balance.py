"""The turn-taking balance index (1 − Gini of talk time, normalised) on hand-made cases."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import needs_service

from facilitator.balance import balance_index, gini, shares

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("values", [[60, 60], [5, 5, 5], [1.5] * 7, [300] * 12])
def test_everyone_equal_is_perfectly_balanced(values):
    assert balance_index(values) == pytest.approx(1.0)
    assert gini(values) == pytest.approx(0.0)


@pytest.mark.parametrize("n", [2, 3, 5, 12])
def test_one_person_did_all_the_talking_is_least_balanced(n):
    values = [0.0] * (n - 1) + [240.0]
    assert balance_index(values) == pytest.approx(0.0, abs=1e-12)
    # not normalised, the same case would read (n-1)/n: the normalisation is what makes it 0
    assert gini(values) == pytest.approx((n - 1) / n)


def test_two_people_three_to_one():
    # Gini = sum|a-b| / (2 n total) = (2 + 2) / (2 * 2 * 4) = 0.25; the largest possible for two
    # people is 1/2, so the normalised Gini is 0.5 and the index 1 - 0.5 = 0.5.
    assert gini([3, 1]) == 0.25
    assert balance_index([3, 1]) == 0.5
    assert balance_index([1, 3]) == 0.5, "order does not matter"
    assert balance_index([90, 30]) == 0.5, "only proportions matter, not the unit"


def test_three_people_hand_computed():
    # [0, 1, 2]: sum|a-b| = 2*(1 + 2 + 1) = 8; Gini = 8 / (2*3*3) = 4/9; max for 3 is 2/3;
    # normalised 2/3; index 1/3.
    assert balance_index([0, 1, 2]) == pytest.approx(1 / 3)
    assert balance_index([2, 0, 1]) == pytest.approx(1 / 3)


def test_more_even_is_higher():
    assert balance_index([10, 10, 0]) > balance_index([20, 0, 0])
    assert balance_index([10, 9, 8]) > balance_index([20, 5, 2])


@pytest.mark.parametrize("values", [[], [42.0], [0, 0], [0.0, 0.0, 0.0], [0]])
def test_undefined_below_two_people_or_with_no_talk(values):
    assert balance_index(values) is None


def test_shares():
    assert shares({1: 30, 2: 10}) == {1: 0.75, 2: 0.25}
    assert shares({1: 0, 2: 0}) == {1: 0.0, 2: 0.0}
    assert shares({}) == {}


def test_the_console_chart_computes_the_same_index():
    """static/js/balance.js mirrors facilitator/balance.py; the chart must show the same number."""
    needs_service("node")  # a failure, not a skip, under CI=true
    cases = [[60, 60], [0, 0, 240], [3, 1], [0, 1, 2], [12.5, 3, 7, 0], [], [5], [0, 0]]
    script = (
        f"import {{ balanceIndex }} from {json.dumps((ROOT / 'static/js/balance.js').as_uri())};\n"
        f"console.log(JSON.stringify({json.dumps(cases)}.map(balanceIndex)));\n"
    )
    out = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True,
                         timeout=30, check=True).stdout
    got = json.loads(out)
    for values, js in zip(cases, got):
        py = balance_index(values)
        assert (js is None) == (py is None), values
        if py is not None:
            assert js == pytest.approx(py, abs=1e-12), values
