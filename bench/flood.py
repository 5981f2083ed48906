"""The `sync` flood scenario (issue 17, finding 3): what one connection pipelining `sync` does to
everyone else on its worker.

A bystander (one participant of the first seeded meeting) asks for `sync` every `interval`
seconds through three phases: before (nobody floods), during (another participant of the same
meeting sends bursts of `burst` pipelined `sync` events on a raw websocket, reading until it has
every answer or the server closes it, and reconnecting after a one-second pause), and after. The
bystander's latency in each phase is reported (every answer, an error such as `busy` included), and during/before and after/before ratios of the
same run, so the figure does not depend on how fast the machine is that day. Nothing is asserted.

Run by `bench.run` (scenario `app-flood-1w`) as `python -m bench.flood PLAN.json`; prints JSON.
"""
from __future__ import annotations

import asyncio
import json
import sys
import time

import aiohttp

from .sio import Client, SioError


def quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


async def bystander(session, url: str, token: str, plan: dict, phase_of, out: dict) -> None:
    client: Client | None = None
    loop = asyncio.get_running_loop()
    while (name := phase_of(loop.time())) is not None:
        stats = out[name]
        if client is None or client.closed.is_set():
            client = Client(lambda env, t: None)
            try:
                await client.connect(session, url, {"token": token})
            except Exception:
                stats["connect_errors"] += 1
                client = None
                await asyncio.sleep(1)
                continue
            stats["connects"] += 1
        t0 = loop.time()
        try:
            ack = await client.call("sync", {}, timeout=30)
        except asyncio.TimeoutError:
            stats["timeouts"] += 1
            continue
        except (SioError, ConnectionError, aiohttp.ClientError):
            stats["disconnected"] += 1
            continue
        stats["ms"].append(1000 * (loop.time() - t0))  # an error answer (`busy`) took its time too
        if not ack.get("ok"):
            code = ack.get("error", {}).get("code", "?")
            stats["errors"][code] = stats["errors"].get(code, 0) + 1
        await asyncio.sleep(max(0.0, plan["interval"] - (loop.time() - t0)))
    if client is not None:
        await client.close()


async def flooder(session, url: str, token: str, plan: dict, start: float, end: float, out: dict) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, start - loop.time()))
    ws_url = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
    while loop.time() < end:
        try:
            ws = await session.ws_connect(ws_url, autoping=False, max_msg_size=0)
            await ws.receive_str()
            await ws.send_str("40" + json.dumps({"token": token}))
            while not (await ws.receive_str()).startswith(("40", "44")):
                pass
        except Exception:
            out["connect_errors"] += 1
            await asyncio.sleep(1)
            continue
        out["bursts"] += 1
        try:
            for i in range(plan["burst"]):
                await ws.send_str(f'42{i}["sync",{{}}]')
            out["sent"] += plan["burst"]
            answered = 0
            while answered < plan["burst"] and loop.time() < end + 30:
                msg = await asyncio.wait_for(ws.receive(), timeout=60)
                if msg.type != aiohttp.WSMsgType.TEXT or msg.data == "1":
                    out["closed_by_server"] += 1
                    break
                if msg.data == "2":
                    await ws.send_str("3")
                elif msg.data.startswith("43"):
                    answered += 1
                    ack = json.loads(msg.data[msg.data.index("["):])[0]
                    if ack.get("ok"):
                        out["served"] += 1
                    else:
                        code = ack.get("error", {}).get("code", "?")
                        out["errors"][code] = out["errors"].get(code, 0) + 1
        except (asyncio.TimeoutError, aiohttp.ClientError, ConnectionError):
            out["closed_by_server"] += 1
        finally:
            await ws.close()
        await asyncio.sleep(1)


async def main(plan: dict) -> dict:
    loop = asyncio.get_running_loop()
    t0 = loop.time() + 0.5
    bounds = []
    for name in ("before", "during", "after"):
        bounds.append((name, t0, t0 + plan["seconds"][name]))
        t0 += plan["seconds"][name]

    def phase_of(now: float) -> str | None:
        return next((name for name, a, b in bounds if a <= now < b), "before" if now < bounds[0][1] else None)

    phases = {name: {"ms": [], "timeouts": 0, "disconnected": 0, "connects": 0, "connect_errors": 0, "errors": {}}
              for name, _, _ in bounds}
    flood = {"bursts": 0, "sent": 0, "served": 0, "errors": {}, "closed_by_server": 0, "connect_errors": 0}
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(
            bystander(session, plan["url"], plan["bystander"], plan, phase_of, phases),
            flooder(session, plan["url"], plan["flooder"], plan, bounds[1][1], bounds[1][2], flood))
    report = {"flood": flood, "phases": {}}
    for name, stats in phases.items():
        ms = stats.pop("ms")
        report["phases"][name] = {**stats, "syncs": len(ms), "p50_ms": quantile(ms, 0.5),
                                  "p95_ms": quantile(ms, 0.95), "max_ms": round(max(ms), 2) if ms else None}
    base = report["phases"]["before"]
    for name in ("during", "after"):
        ph = report["phases"][name]
        for key in ("p50_ms", "p95_ms", "max_ms"):
            ph[key.replace("_ms", "_ratio")] = (round(ph[key] / base[key], 2) if ph[key] is not None and base[key]
                                                else None)
    return report


if __name__ == "__main__":
    started = time.monotonic()
    result = asyncio.run(main(json.loads(open(sys.argv[1]).read())))
    result["seconds"] = round(time.monotonic() - started, 1)
    json.dump(result, sys.stdout)
