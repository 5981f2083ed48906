"""The balance index is the same number in the console (static/js/balance.js `balanceIndex`) and in
the report (facilitator/balance.py `balance_index`), on the same talk times: edge cases (nobody,
one person, zeros, everyone equal, one person doing all the talking, very large and very small
values) and random vectors."""
from __future__ import annotations

import random

import pytest

from facilitator.balance import balance_index

pytestmark = pytest.mark.e2e

_RUN = """async (vectors) => {
    const { balanceIndex } = await import('/static/js/balance.js');
    return vectors.map((v) => balanceIndex(v));
}"""

EDGES = [
    [], [0], [42.5], [0, 0], [0, 0, 0, 0], [10, 10], [3, 3, 3, 3, 3], [60, 0], [600, 0, 0, 0, 0, 0],
    [1, 0, 0], [59.9, 60.1], [1e-9, 2e-9, 3e-9], [1e9, 1, 1], [8 * 3600.0] * 12, [8 * 3600.0, 0.1],
    [1e15, 1e15 + 1], [0.1, 0.2, 0.3], [300, 120, 45, 0, 0, 610.5], list(range(200)),
]


def _vectors() -> list[list[float]]:
    rng = random.Random(18)
    out = [list(v) for v in EDGES]
    for n in (2, 3, 5, 8, 13, 40):
        for _ in range(5):
            out.append([round(rng.expovariate(1 / 120), 1) if rng.random() > 0.2 else 0.0 for _ in range(n)])
    return out


def test_javascript_and_python_give_the_same_balance_index(browser, live_server):
    vectors = _vectors()
    page = browser.new_page()
    try:
        page.goto(live_server.url("/"))
        got = page.evaluate(_RUN, vectors)
    finally:
        page.close()
    differ = []
    for values, js in zip(vectors, got, strict=True):
        py = balance_index(values)
        if (py is None) != (js is None) or (py is not None and (js != pytest.approx(py, rel=1e-12, abs=1e-12)
                                                                or f"{js:.2f}" != f"{py:.2f}")):
            differ.append((values[:6], py, js))
    assert differ == []
    # The edges say what they should: undefined, equal, one voice.
    by = dict(zip(map(tuple, vectors), got))
    assert by[()] is None and by[(42.5,)] is None and by[(0, 0)] is None
    assert by[(10, 10)] == 1 and by[(3, 3, 3, 3, 3)] == 1
    assert by[(60, 0)] == 0 and by[(600, 0, 0, 0, 0, 0)] == pytest.approx(0, abs=1e-12)
