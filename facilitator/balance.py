"""The turn-taking balance index.

We use 1 − Gini of talk time, normalised by the largest Gini possible for that many people, so
that 1 means everyone present has talked for the same time and 0 means one person did all the
talking. It is undefined (None) for fewer than two people or before anyone has spoken.
"""
from __future__ import annotations


def gini(values: list[float]) -> float:
    n = len(values)
    total = sum(values)
    if n == 0 or total <= 0:
        return 0.0
    diff = sum(abs(a - b) for a in values for b in values)
    return diff / (2 * n * total)


def balance_index(values: list[float]) -> float | None:
    """1 for perfectly even talk time, 0 when one person did all of it."""
    n = len(values)
    if n < 2 or sum(values) <= 0:
        return None
    return 1.0 - gini(values) / ((n - 1) / n)


def shares(values: dict) -> dict:
    total = sum(values.values())
    return {k: (v / total if total > 0 else 0.0) for k, v in values.items()}
