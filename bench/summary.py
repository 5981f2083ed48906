"""Merge the load generators' measurements and write the report: JSON, a Markdown table, and an
SVG chart of latency against load (drawn here, no plotting library needed)."""
from __future__ import annotations

import json
import os
import platform
import time
from collections import Counter
from pathlib import Path

from .buckets import BUCKETS, bucket_ms


def percentile(hist: list[int], q: float) -> float | None:
    total = sum(hist)
    if not total:
        return None
    rank, seen = q * total, 0
    for i, n in enumerate(hist):
        seen += n
        if seen >= rank:
            return bucket_ms(i)
    return bucket_ms(len(hist) - 1)


def _sum_hists(hists: list[list[int]]) -> list[int]:
    return [sum(col) for col in zip(*hists)] if hists else [0] * BUCKETS


def merge(sc, phases: list[dict], outs: list[dict], windows: list[dict]) -> dict:
    """One scenario's figures from every load generator's output, phase by phase."""
    result = {"name": sc.name, "label": sc.label, "mode": sc.mode, "async": sc.async_, "workers": sc.workers,
              "connections": sum(o["connected"] for o in outs),
              "held_at_end": sum(o["held_at_end"] for o in outs),
              "connect_errors": dict(sum((Counter(o["connect_errors"]) for o in outs), Counter())),
              "phases": []}
    for i, spec in enumerate(phases):
        got = [o["phases"][i] for o in outs]
        seconds = spec["seconds"]
        actions = sum(sum(g["actions"].values()) for g in got)
        lat = _sum_hists([g["latency"] for g in got])
        others = _sum_hists([g["latency_others"] for g in got])
        ack = _sum_hists([g["ack"] for g in got])
        errors = sum((Counter(g["errors"]) for g in got), Counter())
        refused = sum((Counter(g["refused"]) for g in got), Counter())
        result["phases"].append({
            "name": spec["name"], "multiple": spec["multiple"], "storm": spec["storm"], "seconds": seconds,
            "actions_per_s": round(actions / seconds, 1),
            "acked_per_s": round(sum(g["acked"] for g in got) / seconds, 1),
            "deliveries_per_s": round(sum(g["deliveries"] for g in got) / seconds, 1),
            "latency_samples": sum(lat),
            "p50_ms": percentile(lat, 0.50), "p95_ms": percentile(lat, 0.95), "p99_ms": percentile(lat, 0.99),
            "p99_others_ms": percentile(others, 0.99),
            "ack_p50_ms": percentile(ack, 0.50), "ack_p99_ms": percentile(ack, 0.99),
            "errors": sum(errors.values()), "error_kinds": dict(errors), "refused": dict(refused),
            **windows[i],
        })
        ph = result["phases"][-1]
        # What a server CPU-second buys, whatever share of the machine the server got: comparable
        # between runs on a busy machine, where the rates above are not.
        busy = (ph["cpu_pct"] or 0) / 100
        ph["cpu_ms_per_action"] = round(1000 * busy / ph["actions_per_s"], 2) if busy and ph["actions_per_s"] else None
        ph["deliveries_per_cpu_s"] = round(ph["deliveries_per_s"] / busy) if busy else None
    return result


def reported(scenario: dict) -> list[dict]:
    """The phases that count (not the warm-up)."""
    return [p for p in scenario["phases"] if p["name"] != "warmup"]


def _phase(results: list[dict], name: str, phase: str) -> dict | None:
    for r in results:
        if r["name"] == name:
            return next((p for p in r["phases"] if p["name"] == phase), None)
    return None


def targets(results: list[dict]) -> dict:
    """The issue's targets, as measured (reported, never asserted)."""
    out: dict = {}
    app = next((r for r in results if r["name"] == "app-eventlet-1w"), None)
    bare = next((r for r in results if r["name"] == "bare-eventlet-1w"), None)
    durable = next((r for r in results if r["name"] == "durable-eventlet-1w"), None)
    if app:
        x1 = _phase(results, app["name"], "x1")
        storm = _phase(results, app["name"], "storm")
        out["realistic_p99_ms"] = x1["p99_ms"]
        out["realistic_errors"] = x1["errors"] + sum(app["connect_errors"].values())
        out["connections"] = app["connections"]
        out["rss_peak_mb"] = app["rss_peak_mb"]
        if storm and x1["p99_others_ms"] and storm["p99_others_ms"]:
            out["storm_others_p99_ms"] = storm["p99_others_ms"]
            out["storm_ratio"] = round(storm["p99_others_ms"] / x1["p99_others_ms"], 2)
        out["app_saturation_deliveries_per_s"] = max(p["deliveries_per_s"] for p in reported(app))
    if bare:
        out["bare_saturation_deliveries_per_s"] = max(p["deliveries_per_s"] for p in reported(bare))
    if app and bare and out["bare_saturation_deliveries_per_s"]:  # none when nobody acted (--interval huge)
        out["saturation_ratio"] = round(out["app_saturation_deliveries_per_s"]
                                        / out["bare_saturation_deliveries_per_s"], 2)
        per_cpu = [max((p["deliveries_per_cpu_s"] or 0) for p in reported(r)) for r in (app, bare)]
        if all(per_cpu):
            out["deliveries_per_cpu_s_ratio"] = round(per_cpu[0] / per_cpu[1], 2)
    if durable:
        out["durable_saturation_deliveries_per_s"] = max(p["deliveries_per_s"] for p in reported(durable))
        if bare and out["bare_saturation_deliveries_per_s"]:
            out["durable_saturation_ratio"] = round(out["durable_saturation_deliveries_per_s"]
                                                    / out["bare_saturation_deliveries_per_s"], 2)
        if app and out["durable_saturation_deliveries_per_s"]:
            out["app_to_durable_ratio"] = round(out["app_saturation_deliveries_per_s"]
                                                / out["durable_saturation_deliveries_per_s"], 2)
    return out


def document(results: list[dict], args, seconds: float, load_at_start: tuple) -> dict:
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent).stdout.strip()
    return {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "seconds": round(seconds), "commit": commit,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "load_at_start": load_at_start, "load": os.getloadavg()},
            "meetings": args.meetings, "people": args.people, "loadgen_processes": args.procs,
            "realistic_rate": f"x1: one action per participant every {args.interval:g} s on average (hand 35%, "
                              f"chat 25%, react 25%, vote 15%); each facilitator calls the next person every "
                              f"{args.interval / 2:g} s; xN: N times that",
            "targets": targets(results), "scenarios": results}


def _fmt(v) -> str:
    return "-" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))


def markdown(doc: dict) -> str:
    lines = [f"Benchmark {doc['when']}: {doc['meetings']} meetings x {doc['people']} people, "
             f"{doc['machine']['cpus']} cores shared with everything else running (1-minute load average "
             f"{doc['machine']['load_at_start'][0]:.1f} at the start, {doc['machine']['load'][0]:.1f} at the end), "
             f"commit {doc['commit']}, {doc['seconds']} s in all.", "", doc["realistic_rate"] + ". Latency: chat messages, from "
             "sending to receipt at every member (bare: every relayed action).", "",
             "| scenario | phase | conns | actions/s | deliveries/s | p50 ms | p95 ms | p99 ms | p99 others ms "
             "| ack p99 ms | errors | server CPU % | CPU ms/action | deliveries/CPU-s | loadgen CPU % | server RSS MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in doc["scenarios"]:
        for p in reported(r):
            lines.append("| " + " | ".join(_fmt(v) for v in (
                r["name"], p["name"], r["connections"], p["actions_per_s"], p["deliveries_per_s"], p["p50_ms"],
                p["p95_ms"], p["p99_ms"], p["p99_others_ms"], p["ack_p99_ms"], p["errors"], p["cpu_pct"],
                p["cpu_ms_per_action"], p["deliveries_per_cpu_s"], p["loadgen_cpu_pct"], p["rss_peak_mb"])) + " |")
    for r in doc["scenarios"]:
        if "flood" in r:
            lines += ["", flood_markdown(r)]
    t = doc["targets"]
    lines += ["", "Targets (reported, not asserted):", ""]
    checks = [
        (f"{t.get('connections', '?')} connections ({doc['meetings']} meetings of {doc['people']}) on one worker, "
         "p99 < 150 ms at the realistic rate (the target is for 3000 in 100)",
         t.get("realistic_p99_ms"), lambda v: v < 150),
        ("zero errors at the realistic rate", t.get("realistic_errors"), lambda v: v == 0),
        ("saturation deliveries/s >= 60% of the bare stack (meaningful only if both saturated by x8)",
         t.get("saturation_ratio"), lambda v: v >= 0.6),
        ("peak RSS < 600 MB", t.get("rss_peak_mb"), lambda v: v < 600),
        ("reaction storm leaves the other meetings' p99 within 2x", t.get("storm_ratio"), lambda v: v <= 2),
    ]
    for text, value, ok in checks:
        mark = "n/a" if value is None else ("met" if ok(value) else "NOT met")
        lines.append(f"- {text}: {_fmt(value)} ({mark})")
    if "deliveries_per_cpu_s_ratio" in t:
        lines.append(f"- deliveries per server CPU-second, app / bare (independent of the machine's other load): "
                     f"{_fmt(t['deliveries_per_cpu_s_ratio'])}")
    if "bare_saturation_deliveries_per_s" in t:
        lines.append(f"- saturation deliveries/s: app {_fmt(t.get('app_saturation_deliveries_per_s'))}, "
                     f"bare {_fmt(t['bare_saturation_deliveries_per_s'])}"
                     + (f", durable relay {_fmt(t['durable_saturation_deliveries_per_s'])}"
                        if "durable_saturation_deliveries_per_s" in t else ""))
    if "durable_saturation_ratio" in t:
        lines.append(f"- the durable relay (one row committed per action, nothing else) / bare: "
                     f"{_fmt(t['durable_saturation_ratio'])}; app / durable relay: {_fmt(t.get('app_to_durable_ratio'))}")
    return "\n".join(lines) + "\n"


def flood_markdown(r: dict) -> str:
    """The sync-flood scenario (bench/flood.py): the bystander's latency, and ratios to the same run's before."""
    f = r["flood"]
    out = [f"{r['name']}: a bystander's `sync` while another participant of its meeting sends bursts of "
           f"pipelined `sync` (ratios against the bystander's own 'before' in this run):", "",
           "| phase | syncs | p50 ms | p95 ms | max ms | p50 / before | p95 / before | max / before | timeouts "
           "| disconnected |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, ph in f["phases"].items():
        out.append("| " + " | ".join(_fmt(v) for v in (
            name, ph["syncs"], ph["p50_ms"], ph["p95_ms"], ph["max_ms"], ph.get("p50_ratio"), ph.get("p95_ratio"),
            ph.get("max_ratio"), ph["timeouts"], ph["disconnected"])) + " |")
    fl = f["flood"]
    errors = ", ".join(f"{n} {code}" for code, n in sorted(fl["errors"].items())) or "none"
    out += ["", f"Flooder: {fl['bursts']} bursts, {fl['sent']} syncs sent, {fl['served']} answered ok, errors: "
                f"{errors}; closed by the server {fl['closed_by_server']} times. Bystander errors: "
                + (", ".join(f"{name} {ph['errors']}" for name, ph in f["phases"].items() if ph["errors"]) or "none")
                + "."]
    return "\n".join(out)


COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")


def svg(doc: dict) -> str:
    """p99 latency (log scale) against deliveries/s, one line per scenario."""
    import math

    w, h, left, bottom, top, right = 720, 420, 70, 50, 30, 200
    # Points in the order the load rose (x1, x2, ...): past saturation, more offered load can
    # deliver less, and the line turns back.
    series = [(r["name"], [(p["deliveries_per_s"], p["p99_ms"], p["name"]) for p in reported(r)
                           if p["p99_ms"] and not p["storm"]]) for r in doc["scenarios"]]
    series = [(n, pts) for n, pts in series if pts]
    xs = [x for _, pts in series for x, _, _ in pts] or [1]
    ys = [y for _, pts in series for _, y, _ in pts] or [1]
    xmax = max(xs) * 1.1
    ylo, yhi = math.log10(max(0.1, min(ys) / 1.5)), math.log10(max(ys) * 1.5)
    pw, ph = w - left - right, h - top - bottom

    def px(x):
        return left + pw * x / xmax

    def py(y):
        return top + ph * (1 - (math.log10(y) - ylo) / max(1e-9, yhi - ylo))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{left}" y="18" font-size="14">p99 action-to-delivery latency against load '
           f'({doc["meetings"]} meetings x {doc["people"]} people; xN: N times the realistic rate)</text>',
           f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="black"/>',
           f'<text x="{left + pw / 2}" y="{h - 10}" text-anchor="middle">deliveries per second</text>',
           f'<text x="15" y="{top + ph / 2}" transform="rotate(-90 15 {top + ph / 2})" '
           f'text-anchor="middle">p99 latency (ms, log)</text>']
    for k in range(5):
        x = xmax * k / 4
        out.append(f'<text x="{px(x):.0f}" y="{top + ph + 16}" text-anchor="middle">{x:,.0f}</text>')
    for e in range(math.floor(ylo), math.ceil(yhi) + 1):
        for m in (1, 2, 5):
            y = m * 10 ** e
            if ylo <= math.log10(y) <= yhi:
                out.append(f'<line x1="{left}" y1="{py(y):.1f}" x2="{left + pw}" y2="{py(y):.1f}" stroke="#ddd"/>')
                out.append(f'<text x="{left - 5}" y="{py(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
    for i, (name, pts) in enumerate(series):
        c = COLOURS[i % len(COLOURS)]
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y, _ in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
        for x, y, label in pts:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{c}"/>')
            out.append(f'<text x="{px(x) + 5:.1f}" y="{py(y) - 5:.1f}" font-size="10" fill="{c}">{label}</text>')
        out.append(f'<rect x="{w - right + 15}" y="{top + 20 * i}" width="12" height="12" fill="{c}"/>')
        out.append(f'<text x="{w - right + 32}" y="{top + 20 * i + 10}">{name}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write(doc: dict, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    stamp = doc["when"].replace(":", "").replace("-", "")
    md = markdown(doc)
    paths = {"json": out / f"{stamp}.json", "md": out / f"{stamp}.md", "svg": out / f"{stamp}.svg"}
    paths["json"].write_text(json.dumps(doc, indent=1))
    paths["md"].write_text(md)
    paths["svg"].write_text(svg(doc))
    for kind in ("json", "md", "svg"):
        (out / f"latest.{kind}").write_text(paths[kind].read_text())
    paths["md_text"] = md
    return paths
