"""`make bench`: load the real server (gunicorn, PostgreSQL, Redis) with M meetings of P people
acting at a realistic rate, and the bare Flask-SocketIO stack with the same fan-out; report
connections, actions/s, deliveries/s, action-to-delivery latency at every member, errors,
server CPU and peak RSS. Writes bench/results/<stamp>.json, .md and .svg (and latest.*).

    python -m bench.run                 # 100 meetings x 30 people, every scenario (a few minutes)
    python -m bench.run --quick         # 10 x 10, short phases: checks the machinery in about a minute
    python -m bench.run --only app-eventlet-1w,bare-eventlet-1w

Ports: 5700-5709 (BENCH_PORT to move them). PostgreSQL: a scratch database made on the server
named by BENCH_PG (default postgresql+psycopg2://postgres@127.0.0.1:5432/test) and dropped after.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import summary

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
UA = "facilitator-bench/1"
# A participant acts every 30 s on average: in a meeting of 30 that is an action a second (a
# hand, a message, a reaction or a vote), busier than a real support group or team meeting.
INTERVAL = 30.0
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Scenario:
    name: str
    label: str
    module: str = "facilitator.wsgi:app"
    mode: str = "app"
    async_: str = "eventlet"
    workers: int = 1
    # Given the scratch database's DATABASE_URL even though it is not the app (the durable relay).
    database: bool = False
    # (phase name, seconds, multiple of the realistic rate, storm reactions/s per person in meeting 0)
    phases: list = field(default_factory=list)


def scenarios(quick: bool) -> list[Scenario]:
    long, short = (5, 4) if quick else (15, 8)
    # Each run starts with a warm-up at x1 (caches, pools, first connections), left out of the report.
    warm = ("warmup", 3 if quick else 5, 1, 0)
    ladder = [warm, ("x1", long, 1, 0), ("x2", short, 2, 0), ("x4", short, 4, 0), ("x8", short, 8, 0)]
    return [
        Scenario("app-eventlet-1w", "Facilitator, eventlet, 1 worker",
                 phases=ladder[:2] + [("storm", long, 1, 10)] + ladder[2:]),
        Scenario("bare-eventlet-1w", "bare Flask-SocketIO relay, eventlet, 1 worker", module="bench.bare:app",
                 mode="bare", phases=ladder),
        Scenario("durable-eventlet-1w", "durable relay: the bare relay plus one row committed per action, eventlet, "
                 "1 worker", module="bench.durable:app", mode="bare", database=True, phases=ladder),
        Scenario("app-gevent-1w", "Facilitator, gevent, 1 worker", async_="gevent",
                 phases=[warm, ladder[1], ladder[3]]),
        Scenario("app-eventlet-2w", "Facilitator, eventlet, 2 workers on Redis + PostgreSQL", workers=2,
                 phases=[warm, ladder[1], ladder[3]]),
        # bench/flood.py: a bystander's sync latency before, during and after one connection's sync flood
        Scenario("app-flood-1w", "Facilitator, eventlet, 1 worker: a sync flood from one connection", mode="flood",
                 database=True, phases=[("before", 5 if quick else 10, 0, 0), ("during", long, 0, 0),
                                        ("after", 5 if quick else 10, 0, 0)]),
    ]


# ---- processes ------------------------------------------------------------------------------

def wait_http(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited ({proc.returncode}) before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no answer from {url}")


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_rss(pid: int) -> tuple[int, int]:
    """CPU ticks used so far and resident memory (bytes) of one process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        rss = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        return int(stat[11]) + int(stat[12]), rss
    except OSError:
        return 0, 0


class Sampler(threading.Thread):
    """Samples CPU and RSS of the server workers and the load generators twice a second."""

    def __init__(self, servers: list[int], loaders: list[int]):
        super().__init__(daemon=True)
        self.servers, self.loaders, self.samples, self.stop = servers, loaders, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            srv = [cpu_rss(p) for p in self.servers]
            gen = [cpu_rss(p) for p in self.loaders]
            self.samples.append((time.monotonic(), sum(c for c, _ in srv), sum(r for _, r in srv),
                                 sum(c for c, _ in gen)))
            self.stop.wait(0.5)

    def window(self, start: float, end: float) -> dict:
        inside = [s for s in self.samples if start <= s[0] <= end]
        if len(inside) < 2:
            return {"cpu_pct": None, "rss_peak_mb": None, "loadgen_cpu_pct": None}
        wall = inside[-1][0] - inside[0][0]
        return {"cpu_pct": round(100 * (inside[-1][1] - inside[0][1]) / TICK / wall, 1),
                "rss_peak_mb": round(max(s[2] for s in inside) / 2**20, 1),
                "loadgen_cpu_pct": round(100 * (inside[-1][3] - inside[0][3]) / TICK / wall, 1)}


class Bench:
    def __init__(self, args):
        self.args = args
        self.port = int(os.environ.get("BENCH_PORT", "5700"))
        self.work = Path(args.out) / "tmp"
        self.work.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SOCKETIO_MESSAGE_QUEUE")}
        self.env.update({"SECRET_KEY": "bench-" + uuid.uuid4().hex, "FACILITATOR_INSTANCE": str(self.work),
                         "PYTHONUNBUFFERED": "1", "PYTHONWARNINGS": "ignore", "LOG_LEVEL": "warning",
                         "GC_STATS": "1"})
        self.seeded: dict | None = None
        self.db_url: str | None = None

    # -- database -------------------------------------------------------------------------------
    def make_database(self) -> None:
        import sqlalchemy as sa

        admin_url = os.environ.get("BENCH_PG", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
        self.db_name = f"fac_bench_{uuid.uuid4().hex[:8]}"
        self.admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{self.db_name}"'))
        self.db_url = admin_url.rsplit("/", 1)[0] + "/" + self.db_name
        env = dict(self.env, DATABASE_URL=self.db_url)
        subprocess.run([str(BIN / "flask"), "--app", "facilitator", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        t0 = time.monotonic()
        out = subprocess.run([sys.executable, "-m", "bench.seed", str(self.args.meetings), str(self.args.people)],
                             cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        self.seeded = json.loads(out.stdout)
        print(f"  seeded {self.args.meetings} meetings x {self.args.people} people in {time.monotonic() - t0:.0f}s",
              flush=True)

    def drop_database(self) -> None:
        import sqlalchemy as sa

        with self.admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": self.db_name})
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.db_name}"'))
        self.admin.dispose()

    # -- servers --------------------------------------------------------------------------------
    def start_servers(self, sc: Scenario) -> list[tuple[subprocess.Popen, str]]:
        servers = []
        channel = f"bench-{uuid.uuid4().hex[:8]}"
        for i in range(sc.workers):
            port = self.port + i
            env = dict(self.env, PORT=str(port), FACILITATOR_ASYNC=sc.async_, MAX_CONNECTIONS="10000",
                       FACILITATOR_WORKERS=str(sc.workers))
            # Every simulated person connects from 127.0.0.1, where real people come from addresses
            # of their own: the cap on sessions still signing in, per address, would turn the load
            # generators' concurrent connects away (429) and measure that instead.
            env.setdefault("TRANSPORT_LIMITS", json.dumps({"unauthenticated_per_address": 100000}))
            if sc.mode == "app" or sc.database:
                env["DATABASE_URL"] = self.db_url
            if sc.workers > 1:
                env.update(SOCKETIO_MESSAGE_QUEUE="redis://127.0.0.1:6379/0", SOCKETIO_CHANNEL=channel)
            log = open(self.work / f"{sc.name}-{port}.log", "wb")
            proc = subprocess.Popen([str(BIN / "gunicorn"), "-c", "python:facilitator.gunicorn_conf", sc.module],
                                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            url = f"http://127.0.0.1:{port}"
            servers.append((proc, url))
        for proc, url in servers:
            wait_http(url + "/", proc)
        return servers

    def login_cookie(self, url: str) -> str:
        import requests

        s = requests.Session()
        s.headers["User-Agent"] = UA
        page = s.get(url + "/login", timeout=10).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        s.post(url + "/login", data={"email": self.seeded["email"], "password": self.seeded["password"],
                                     "csrf_token": token}, timeout=30)
        return "; ".join(f"{c.name}={c.value}" for c in s.cookies)

    def profile(self, sc: Scenario, pid: int, seconds: float) -> subprocess.Popen | None:
        """With --profile, sample the (first) worker with py-spy for the whole run: collapsed
        stacks in <out>/profile-<scenario>.txt, and the top functions printed after."""
        if not self.args.profile or sc.mode != "app":
            return None
        self.profile_path = Path(self.args.out) / f"profile-{sc.name}.txt"
        return subprocess.Popen([str(BIN / "py-spy"), "record", "--pid", str(pid), "--format", "raw", "--nonblocking",
                                 "--rate", "200", "--duration", str(int(seconds) + 1), "-o", str(self.profile_path)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # -- one scenario ---------------------------------------------------------------------------
    def meetings_for(self, sc: Scenario) -> list[dict]:
        if sc.mode == "bare":
            return [{"id": m, "room": f"m{m}", "people": [{"id": m * 1000 + i} for i in range(self.args.people)]}
                    for m in range(self.args.meetings)]
        return [dict(m, room=None, storm=(i == 0)) for i, m in enumerate(self.seeded["meetings"])]

    def run_flood(self, sc: Scenario) -> dict:
        """bench/flood.py against one app worker: two participants of the first seeded meeting."""
        servers = self.start_servers(sc)
        try:
            people = self.seeded["meetings"][0]["people"]
            plan = {"url": servers[0][1], "bystander": people[0]["token"], "flooder": people[1]["token"],
                    "interval": 0.25, "burst": 1500, "seconds": {name: secs for name, secs, _, _ in sc.phases}}
            path = self.work / f"plan-{sc.name}.json"
            path.write_text(json.dumps(plan))
            out = subprocess.run([sys.executable, "-m", "bench.flood", str(path)], cwd=ROOT, capture_output=True,
                                 text=True, timeout=600)
            if out.returncode != 0:
                raise SystemExit(f"bench.flood failed:\n{out.stderr}")
            report = json.loads(out.stdout)
            for name, ph in report["phases"].items():
                print(f"  {name:>6}: bystander sync p50 {ph['p50_ms']} p95 {ph['p95_ms']} max {ph['max_ms']} ms "
                      f"({ph['syncs']} syncs, {ph['timeouts']} timeouts, {ph['disconnected']} disconnected)"
                      + (f"; ratio to before: p50 {ph['p50_ratio']} p95 {ph['p95_ratio']}" if name != "before" else ""),
                      flush=True)
            print(f"  flooder: {report['flood']}", flush=True)
            return {"name": sc.name, "label": sc.label, "mode": sc.mode, "async": sc.async_, "workers": sc.workers,
                    "connections": 2, "held_at_end": None, "connect_errors": {}, "phases": [], "flood": report}
        finally:
            stop_servers(servers)

    def run(self, sc: Scenario) -> dict:
        print(f"== {sc.label}", flush=True)
        if sc.mode == "flood":
            return self.run_flood(sc)
        servers = self.start_servers(sc)
        loaders: list[subprocess.Popen] = []
        try:
            urls = [u for _, u in servers]
            cookie = self.login_cookie(urls[0]) if sc.mode == "app" else ""
            meetings = self.meetings_for(sc)
            n = max(1, min(self.args.procs, len(meetings)))
            phases = [{"name": name, "seconds": secs, "rate": mult / self.args.interval, "storm": storm,
                       "multiple": mult}
                      for name, secs, mult, storm in sc.phases]
            for i in range(n):
                plan = {"mode": sc.mode, "urls": urls, "cookie": cookie, "ua": UA, "turn_ratio": 2.0,
                        "meetings": meetings[i::n], "phases": phases}
                path = self.work / f"plan-{sc.name}-{i}.json"
                path.write_text(json.dumps(plan))
                loaders.append(subprocess.Popen([sys.executable, "-m", "bench.loadgen", str(path)], cwd=ROOT,
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
            t0 = time.monotonic()
            ready = [int(p.stdout.readline().split()[1]) for p in loaders]
            print(f"  {sum(ready)} connections in {time.monotonic() - t0:.1f}s", flush=True)
            worker_pids = [c for proc, _ in servers for c in children(proc.pid)]
            sampler = Sampler(worker_pids, [p.pid for p in loaders])
            sampler.start()
            start = time.monotonic() + 1.0
            profiler = self.profile(sc, worker_pids[0], sum(ph["seconds"] for ph in phases))
            for p in loaders:
                p.stdin.write(f"go {start}\n")
                p.stdin.flush()
            outs = [json.loads(p.stdout.readline()) for p in loaders]
            for p in loaders:
                p.wait(timeout=60)
            sampler.stop.set()
            sampler.join()
            if profiler is not None:
                profiler.wait(timeout=60)
            windows, at = [], start
            for ph in phases:
                windows.append(sampler.window(at, at + ph["seconds"]))
                at += ph["seconds"]
            whole = sampler.window(start, at)
            result = summary.merge(sc, phases, outs, windows)
            result["rss_peak_mb"] = whole["rss_peak_mb"]
            for ph in result["phases"]:
                print(f"  {ph['name']:>6}: {ph['actions_per_s']:7.1f} actions/s {ph['deliveries_per_s']:8.0f} "
                      f"deliveries/s  p50 {ph['p50_ms']} p99 {ph['p99_ms']} ms  errors {ph['errors']}  "
                      f"cpu {ph['cpu_pct']}%", flush=True)
            return result
        finally:
            for p in loaders:
                if p.poll() is None:
                    p.kill()
            stop_servers(servers)


def stop_servers(servers: list[tuple[subprocess.Popen, str]]) -> None:
    """Ask every server to stop, then wait for each (killing one that does not stop in 20 s)."""
    for proc, _ in servers:
        proc.terminate()
    for proc, _ in servers:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--meetings", type=int)
    ap.add_argument("--people", type=int)
    ap.add_argument("--quick", action="store_true", help="10 x 10 people, short phases")
    ap.add_argument("--only", help="comma-separated scenario names")
    ap.add_argument("--interval", type=float, default=INTERVAL,
                    help="seconds between one participant's actions at the realistic rate (x1)")
    ap.add_argument("--procs", type=int, default=2, help="load-generator processes")
    ap.add_argument("--profile", action="store_true", help="py-spy the app's worker (bench extra)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = ap.parse_args()
    args.meetings = args.meetings or (10 if args.quick else 100)
    args.people = args.people or (10 if args.quick else 30)
    chosen = [s for s in scenarios(args.quick) if not args.only or s.name in args.only.split(",")]
    bench = Bench(args)
    t0, load_at_start = time.monotonic(), os.getloadavg()
    results = []
    needs_db = any(s.mode == "app" or s.database for s in chosen)
    if needs_db:
        bench.make_database()
    try:
        for sc in chosen:
            results.append(bench.run(sc))
    finally:
        if needs_db:
            bench.drop_database()
    doc = summary.document(results, args, time.monotonic() - t0, load_at_start)
    paths = summary.write(doc, Path(args.out))
    print("\n" + paths["md_text"])
    print(f"written: {paths['json']}, {paths['md']}, {paths['svg']}")


if __name__ == "__main__":
    main()
