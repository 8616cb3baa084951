"""Signals over Redis pub/sub. Reconnects after Redis restarts, then emits `CatchUp`."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from redis.asyncio import Redis

from events.bus import CHANNEL, BackgroundBus, log
from events.signals import CatchUp, pack, unpack


class RedisBus(BackgroundBus):
    name = "redis"

    def __init__(self, redis_url: str) -> None:
        super().__init__()
        self._url = redis_url

    async def _listen_forever(self) -> None:
        delay = 0.1
        first = True
        while True:
            client: Any = Redis.from_url(self._url, socket_connect_timeout=5, health_check_interval=5)
            try:
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(CHANNEL)
                self._connected.set()
                if not first:
                    self._listeners.emit(CatchUp())
                first, delay = False, 0.1
                while True:
                    message = await pubsub.get_message(timeout=5.0)
                    if message is None:
                        await pubsub.ping()  # notices a dead link between messages
                        continue
                    data = message.get("data")
                    if isinstance(data, bytes):
                        for signal in unpack(data.decode("ascii", "replace")):
                            self._listeners.emit(signal)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("Redis subscription lost (%s); reconnecting", exc)
                self._connected.clear()
                first = False
            finally:
                with contextlib.suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def _publish_forever(self) -> None:
        client: Any = Redis.from_url(self._url, socket_connect_timeout=5)
        try:
            while True:
                batch = await self._next_batch()
                for attempt in range(2):
                    try:
                        async with client.pipeline(transaction=False) as pipe:
                            for message in pack(batch):
                                pipe.publish(CHANNEL, message)
                            await pipe.execute()
                        break
                    except asyncio.CancelledError:
                        raise
                    except Exception as exc:
                        log.warning("PUBLISH failed (%s)%s", exc, "; retrying" if attempt == 0 else "; dropped")
                self._sent()
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()
