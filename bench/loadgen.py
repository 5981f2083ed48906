"""One load-generator process: holds the connections of some meetings and acts in them.

Reads its plan (JSON) from the file named on the command line, connects every client, prints
`ready N`, waits for `go <start>` on stdin (a time.monotonic() value shared by all processes on
this machine), runs the phases, and prints its measurements as one JSON line.

Every member of a meeting is in the same process, so the time an action was sent is known where
its deliveries arrive. Latency (action sent -> event received, at every member) is measured on
every chat message (the text carries a key to the send time) and, against the bare relay, on
every relayed action.
"""
from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from collections import Counter, defaultdict

import aiohttp

from .buckets import BUCKETS, bucket
from .sio import Client, SioError

REACTIONS = ("thumbs_up", "clap", "heart", "laugh", "agree", "disagree")
# The realistic mix of a participant's actions (weights).
MIX = (("hand", 35), ("chat", 25), ("react", 25), ("vote", 15))
# Errors the app gives on purpose in a busy meeting (a hand called as it was lowered, a reaction
# over the limit): counted as refusals, not as errors.
REFUSALS = {"already_raised", "not_raised", "speaking", "rate_limited", "no_hands", "queue_empty", "empty_queue",
            "nobody_waiting", "no_speaker", "conflict"}


class Phase:
    def __init__(self, spec: dict, start: float):
        self.name, self.rate, self.storm = spec["name"], spec["rate"], spec.get("storm", 0.0)
        self.start, self.end = start, start + spec["seconds"]
        self.actions = Counter()       # sent, by kind
        self.acked = 0
        self.refused = Counter()       # by code
        self.errors = Counter()        # by kind: timeout, disconnected, internal, ...
        self.deliveries = 0
        self.latency = [0] * BUCKETS           # action -> delivery, every member, all meetings
        self.latency_others = [0] * BUCKETS    # the same, leaving out the storm meeting
        self.ack = [0] * BUCKETS               # action -> its ack, at the actor

    def dump(self) -> dict:
        return {"name": self.name, "seconds": self.end - self.start, "actions": dict(self.actions),
                "acked": self.acked, "refused": dict(self.refused), "errors": dict(self.errors),
                "deliveries": self.deliveries, "latency": self.latency, "latency_others": self.latency_others,
                "ack": self.ack}


class Run:
    def __init__(self, plan: dict):
        self.plan = plan
        self.mode = plan["mode"]
        self.phases: list[Phase] = []
        self.sent: dict[str, tuple[float, bool]] = {}   # chat key -> (send time, from the storm meeting)
        self.connect_errors = Counter()
        self.clients: list[Client] = []

    def phase_at(self, t: float) -> Phase | None:
        for p in self.phases:
            if p.start <= t < p.end:
                return p
        return None

    # -- receiving --------------------------------------------------------------------------
    def receiver(self, storm_meeting: bool, state: dict):
        def on_event(env: dict, t: float) -> None:
            phase = self.phase_at(t)
            if env.get("type") == "hand" and "raised" in env.get("data", {}):
                state["raised"] = env["data"]["raised"]
            if phase is None:
                return
            phase.deliveries += 1
            if self.mode == "bare":
                sent = env.get("t")
            else:
                sent = None
                if env.get("type") == "chat" and env.get("op") == "posted":
                    sent = self.sent.get(env["data"]["text"], (None,))[0]
            if sent is not None:
                b = bucket(t - sent)
                phase.latency[b] += 1
                if not storm_meeting:
                    phase.latency_others[b] += 1
        return on_event

    # -- acting -----------------------------------------------------------------------------
    async def act(self, client: Client, name: str, data: dict, phase: Phase, kind: str) -> dict | None:
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        phase.actions[kind] += 1
        try:
            ack = await client.call(name, data, timeout=30)
        except asyncio.TimeoutError:
            phase.errors["timeout"] += 1
            return None
        except (SioError, ConnectionError, aiohttp.ClientError):
            phase.errors["disconnected"] += 1
            return None
        phase.ack[bucket(loop.time() - t0)] += 1
        if ack.get("ok"):
            phase.acked += 1
        else:
            code = ack.get("error", {}).get("code", "unknown")
            (phase.refused if code in REFUSALS else phase.errors)[code] += 1
        return ack

    @staticmethod
    async def pause(seconds: float, phase: Phase) -> bool:
        """Wait for the next action; False (at the phase's end) if it would fall after it. Arrivals
        are memoryless, so cutting a wait at the boundary keeps the next phase's rate exact."""
        loop = asyncio.get_running_loop()
        wake = loop.time() + seconds
        if wake >= phase.end:
            await asyncio.sleep(max(0.0, phase.end - loop.time()))
            return False
        await asyncio.sleep(wake - loop.time())
        return True

    async def participant(self, client: Client, meeting: dict, person: dict, state: dict, storm_meeting: bool):
        loop = asyncio.get_running_loop()
        rng = random.Random(person["id"])
        kinds = [k for k, w in MIX for _ in range(w)]
        n = 0
        for phase in self.phases:
            await asyncio.sleep(max(0.0, phase.start - loop.time()))
            storm = phase.storm if storm_meeting else 0.0
            rate = storm or phase.rate
            while await self.pause(rng.expovariate(rate), phase):
                n += 1
                if self.mode == "bare":
                    await self.act(client, "act", {"room": meeting["room"], "t": loop.time(), "k": n}, phase, "relay")
                    continue
                kind = "react" if storm else rng.choice(kinds)
                if kind == "hand":
                    raised = state.get("raised", False)
                    ack = await self.act(client, "hand.lower" if raised else "hand.raise",
                                         {} if raised else {"kind": "new"}, phase, kind)
                    if ack is not None:
                        code = ack.get("error", {}).get("code")
                        state["raised"] = (not raised) if ack.get("ok") else (code == "already_raised")
                elif kind == "chat":
                    key = f"{person['id']}:{n}"
                    self.sent[key] = (loop.time(), storm_meeting)
                    await self.act(client, "chat.send", {"channel": "main", "text": key}, phase, kind)
                elif kind == "react":
                    await self.act(client, "reaction.send", {"kind": rng.choice(REACTIONS)}, phase, kind)
                else:
                    await self.act(client, "poll.vote", {"poll_id": meeting["poll"],
                                                        "choices": [rng.choice(meeting["options"])]}, phase, kind)

    async def facilitator(self, client: Client, meeting: dict):
        """Calls the next person in the queue every 10 s (on average, scaled with the load)."""
        loop = asyncio.get_running_loop()
        rng = random.Random(meeting["id"])
        for phase in self.phases:
            await asyncio.sleep(max(0.0, phase.start - loop.time()))
            while await self.pause(rng.expovariate(phase.rate * self.plan["turn_ratio"]), phase):
                await self.act(client, "floor.next", {}, phase, "turn")

    # -- the whole run ------------------------------------------------------------------------
    async def connect_all(self, session: aiohttp.ClientSession) -> list:
        urls = self.plan["urls"]
        gate = asyncio.Semaphore(self.plan.get("connect_concurrency", 50))
        jobs = []
        counter = 0

        async def one(auth: dict, url: str, storm_meeting: bool, headers: dict | None):
            state: dict = {}
            client = Client(self.receiver(storm_meeting, state))
            async with gate:
                for attempt in range(3):
                    try:
                        await client.connect(session, url, auth, headers=headers)
                        self.clients.append(client)
                        return client, state
                    except Exception as exc:  # counted, then retried: a refused connection is an error
                        self.connect_errors[type(exc).__name__] += 1
                        await asyncio.sleep(0.5 * (attempt + 1))
            return None, state

        plan = []
        for meeting in self.plan["meetings"]:
            storm_meeting = meeting.get("storm", False)
            if self.mode == "app":
                fac_headers = {"Cookie": self.plan["cookie"], "User-Agent": self.plan["ua"]}
                plan.append(("fac", meeting, None, {"meeting_id": meeting["id"]}, storm_meeting, fac_headers))
            for person in meeting["people"]:
                auth = {"room": meeting["room"]} if self.mode == "bare" else {"token": person["token"]}
                plan.append(("person", meeting, person, auth, storm_meeting, None))
        for role, meeting, person, auth, storm_meeting, headers in plan:
            url = urls[counter % len(urls)]
            counter += 1
            jobs.append((role, meeting, person, storm_meeting, one(auth, url, storm_meeting, headers)))
        results = await asyncio.gather(*(j[-1] for j in jobs))
        return [(role, meeting, person, storm_meeting, client, state)
                for (role, meeting, person, storm_meeting, _), (client, state) in zip(jobs, results)]

    async def main(self) -> dict:
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        async with aiohttp.ClientSession(connector=connector) as session:
            t0 = time.monotonic()
            members = await self.connect_all(session)
            connected = sum(1 for m in members if m[4] is not None)
            connect_seconds = time.monotonic() - t0
            print(f"ready {connected}", flush=True)
            line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
            start = float(line.split()[1])
            at = start
            for spec in self.plan["phases"]:
                self.phases.append(Phase(spec, at))
                at += spec["seconds"]
            tasks = []
            for role, meeting, person, storm_meeting, client, state in members:
                if client is None:
                    continue
                if role == "fac":
                    tasks.append(self.facilitator(client, meeting))
                else:
                    tasks.append(self.participant(client, meeting, person, state, storm_meeting))
            await asyncio.gather(*tasks)
            await asyncio.sleep(1.0)  # the last deliveries of the last phase
            held = sum(1 for c in self.clients if not c.closed.is_set())
            await asyncio.gather(*(c.close() for c in self.clients), return_exceptions=True)
        return {"connected": connected, "held_at_end": held, "connect_seconds": round(connect_seconds, 2),
                "connect_errors": dict(self.connect_errors), "phases": [p.dump() for p in self.phases]}


def main() -> None:
    with open(sys.argv[1]) as fh:
        plan = json.load(fh)
    result = asyncio.run(Run(plan).main())
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
