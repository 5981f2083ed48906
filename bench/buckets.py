"""The latency histogram shared by the load generator (which fills it) and the report (which reads
it): log-spaced buckets, 5% wide, from 0.1 ms. Kept apart from the load generator so that the
report, and its tests, need none of the load generator's network libraries."""
from __future__ import annotations

import math

BUCKETS = 420


def bucket(seconds: float) -> int:
    """The bucket a latency falls in."""
    ms = seconds * 1000.0
    if ms <= 0.1:
        return 0
    return min(BUCKETS - 1, int(math.log(ms / 0.1, 1.05)) + 1)


def bucket_ms(i: int) -> float:
    """The upper edge of a bucket, in milliseconds."""
    return 0.1 if i == 0 else round(0.1 * 1.05 ** i, 2)
