"""The server processes' garbage-collector settings (facilitator.startup.tune_gc), each checked
in a fresh interpreter, since they change the whole process."""
from __future__ import annotations

import os
import subprocess
import sys

PROBE = ("import gc; from facilitator.startup import tune_gc; tune_gc(); "
         "print(gc.get_threshold(), gc.get_freeze_count() > 0)")


def run(env: dict, code: str = PROBE) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("GC_THRESHOLD", "GC_STATS")}
    return subprocess.run([sys.executable, "-c", code], env={**full, **env}, capture_output=True, text=True,
                          timeout=60)


def test_by_default_startup_objects_are_frozen_and_thresholds_raised():
    out = run({})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "(5000, 5, 1000) True"


def test_the_threshold_can_be_set_or_left_at_pythons_default():
    assert run({"GC_THRESHOLD": "20000,10,50"}).stdout.strip() == "(20000, 10, 50) True"
    assert run({"GC_THRESHOLD": "default"}).stdout.strip() == "(700, 10, 10) False"


def test_a_bad_threshold_stops_the_process_with_a_clear_message():
    for bad in ("50000,20", "a,b,c", "0,10,10"):
        out = run({"GC_THRESHOLD": bad})
        assert out.returncode != 0 and "GC_THRESHOLD must be three positive integers" in out.stderr, bad


def test_gc_stats_logs_each_generations_pauses_at_exit():
    out = run({"GC_STATS": "1"}, "from facilitator.startup import tune_gc; import gc; tune_gc(); gc.collect()")
    assert out.returncode == 0, out.stderr
    assert "gc generation 2: " in out.stderr and "collections" in out.stderr and "longest" in out.stderr
