"""The benchmark's report arithmetic (bench/summary.py): the targets and ratios it prints are
computed from the phases it is given, and a run in which nobody acted reports no ratio rather
than crashing. No timing is measured or asserted here."""
from __future__ import annotations

from types import SimpleNamespace

from bench import summary


def _phase(name, deliveries, cpu_pct, *, p99=40.0):
    return {"name": name, "deliveries_per_s": deliveries, "deliveries_per_cpu_s": round(deliveries / (cpu_pct / 100)),
            "p50_ms": p99 / 4, "p95_ms": p99 / 2, "p99_ms": p99, "p99_others_ms": p99, "ack_p99_ms": p99, "errors": 0,
            "actions_per_s": deliveries / 30, "cpu_pct": cpu_pct, "cpu_ms_per_action": 1.0, "loadgen_cpu_pct": 20.0,
            "rss_peak_mb": 300.0}


def _scenario(name, phases):
    return {"name": name, "connections": 3100, "connect_errors": {}, "rss_peak_mb": 300.0,
            "phases": [_phase("warmup", 99999, 50)] + phases}


def _results(app_sat=5000.0, bare_sat=20000.0, durable_sat=12000.0, x1=3000.0):
    app = _scenario("app-eventlet-1w", [_phase("x1", x1, 60, p99=90.0), _phase("storm", x1, 70, p99=150.0),
                                        _phase("x2", app_sat, 95), _phase("x8", app_sat / 2, 97)])
    bare = _scenario("bare-eventlet-1w", [_phase("x1", x1, 30), _phase("x8", bare_sat, 96)])
    durable = _scenario("durable-eventlet-1w", [_phase("x1", x1, 40), _phase("x4", durable_sat, 97)])
    return [app, bare, durable]


def test_targets_take_the_best_reported_phase_and_leave_out_the_warm_up():
    t = summary.targets(_results())
    assert t["realistic_p99_ms"] == 90.0
    assert t["storm_ratio"] == round(150 / 90, 2)
    # The warm-up's 99999 deliveries/s is not a reported phase, so it is nobody's saturation.
    assert t["app_saturation_deliveries_per_s"] == 5000.0
    assert t["bare_saturation_deliveries_per_s"] == 20000.0
    assert t["saturation_ratio"] == 0.25


def test_the_durable_relay_is_compared_with_both_the_bare_stack_and_the_app():
    t = summary.targets(_results())
    assert t["durable_saturation_deliveries_per_s"] == 12000.0
    assert t["durable_saturation_ratio"] == 0.6
    assert t["app_to_durable_ratio"] == round(5000 / 12000, 2)
    doc = {"when": "now", "meetings": 100, "people": 30, "commit": "abc", "seconds": 1, "realistic_rate": "x1",
           "machine": {"cpus": 2, "load_at_start": (1.0, 1.0, 1.0), "load": (1.0, 1.0, 1.0)}, "targets": t,
           "scenarios": _results()}
    text = summary.markdown(doc)
    assert "durable relay 12000" in text
    assert "/ bare: 0.6; app / durable relay: 0.42" in text
    assert ("saturation deliveries/s >= 60% of the bare stack (meaningful only if both saturated by x8): "
            "0.25 (NOT met)") in text


def test_a_run_where_nobody_acted_reports_no_ratio():
    t = summary.targets(_results(app_sat=0.0, bare_sat=0.0, durable_sat=0.0, x1=0.0))
    assert "saturation_ratio" not in t
    assert "durable_saturation_ratio" not in t
    assert "app_to_durable_ratio" not in t


def test_merge_adds_up_the_load_generators_phase_by_phase():
    sc = SimpleNamespace(name="bare-eventlet-1w", label="bare", mode="bare", async_="eventlet", workers=1)
    lat = [0] * summary.BUCKETS
    lat[summary.BUCKETS // 2] = 10

    def out(n):
        return {"connected": 10, "held_at_end": 10, "connect_errors": {"ClientError": n},
                "phases": [{"actions": {"relay": 50}, "acked": 50, "deliveries": 500, "latency": lat,
                            "latency_others": lat, "ack": lat, "errors": {}, "refused": {}}]}

    windows = [{"cpu_pct": 50.0, "rss_peak_mb": 100.0, "loadgen_cpu_pct": 10.0}]
    merged = summary.merge(sc, [{"name": "x1", "multiple": 1, "storm": 0, "seconds": 10}], [out(1), out(2)], windows)
    ph = merged["phases"][0]
    assert merged["connections"] == 20 and merged["connect_errors"] == {"ClientError": 3}
    assert ph["actions_per_s"] == 10.0 and ph["deliveries_per_s"] == 100.0
    assert ph["latency_samples"] == 20
    assert ph["cpu_ms_per_action"] == 50.0      # half a core for 10 actions a second
    assert ph["deliveries_per_cpu_s"] == 200    # 100 deliveries a second on half a core
