"""A lean Socket.IO v4 client (Engine.IO v4 over one websocket, JSON packets only) on aiohttp.

python-socketio's AsyncClient costs far more per received message than a load generator on a
shared two-core machine can spare; this one parses just what the benchmark needs: the open
packet, connect, events, acks and pings.
"""
from __future__ import annotations

import asyncio
import itertools
import json
from typing import Callable

import aiohttp


class SioError(Exception):
    pass


class Client:
    def __init__(self, on_event: Callable[[dict, float], None]):
        self.on_event = on_event
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)
        self._acks: dict[int, asyncio.Future] = {}
        self._reader: asyncio.Task | None = None
        self.closed = asyncio.Event()

    async def connect(self, session: aiohttp.ClientSession, url: str, auth: dict, headers: dict | None = None,
                      timeout: float = 60) -> None:
        ws_url = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.ws = await session.ws_connect(ws_url, headers=headers, timeout=aiohttp.ClientWSTimeout(ws_close=5),
                                           autoping=False, max_msg_size=0)
        opened = await asyncio.wait_for(self.ws.receive_str(), timeout)
        if not opened.startswith("0"):
            raise SioError(f"no open packet: {opened[:80]}")
        await self.ws.send_str("40" + json.dumps(auth))
        while True:
            msg = await asyncio.wait_for(self.ws.receive_str(), timeout)
            if msg == "2":
                await self.ws.send_str("3")
            elif msg.startswith("40"):
                break
            elif msg.startswith("44"):
                raise SioError(f"connect refused: {msg[2:200]}")
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        loop = asyncio.get_running_loop()
        ws = self.ws
        try:
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    break
                data = msg.data
                if data == "2":
                    await ws.send_str("3")
                elif data.startswith("42"):
                    name, payload = json.loads(data[2:])[:2]
                    if name == "event":
                        self.on_event(payload, loop.time())
                elif data.startswith("43"):
                    bracket = data.index("[")
                    fut = self._acks.pop(int(data[2:bracket]), None)
                    if fut is not None and not fut.done():
                        fut.set_result(json.loads(data[bracket:])[0])
                elif data.startswith("41"):
                    break
        except (aiohttp.ClientError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self.closed.set()
            for fut in self._acks.values():
                if not fut.done():
                    fut.set_exception(SioError("disconnected"))
            self._acks.clear()

    async def call(self, name: str, data: dict, timeout: float = 30) -> dict:
        """Emit with an ack and wait for it."""
        if self.closed.is_set():
            raise SioError("disconnected")
        ack_id = next(self._ids)
        fut = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = fut
        await self.ws.send_str(f"42{ack_id}" + json.dumps([name, data], separators=(",", ":")))
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            self._acks.pop(ack_id, None)

    async def close(self) -> None:
        if self.ws is not None and not self.ws.closed:
            try:
                await self.ws.send_str("41")
            except Exception:
                pass
            await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
