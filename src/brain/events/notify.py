"""PostgreSQL LISTEN, so a commit in one process wakes the relay and readers of another."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from brain.kernel.db import Database

log = logging.getLogger(__name__)


async def listen(
    database: Database, channel: str, callback: Callable[[], None], stop: asyncio.Event
) -> None:
    """Call `callback` on each `NOTIFY channel` until `stop`, reconnecting when the link drops."""

    def on_notify(*_: Any) -> None:
        callback()

    while not stop.is_set():
        try:
            async with database.engine.connect() as conn:
                raw = await conn.get_raw_connection()
                driver = raw.driver_connection
                if driver is None:
                    raise RuntimeError("the pooled connection has no driver connection")
                await driver.add_listener(channel, on_notify)
                try:
                    callback()
                    await stop.wait()
                finally:
                    with contextlib.suppress(Exception):
                        await driver.remove_listener(channel, on_notify)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("LISTEN %s lost its connection (%s); timers cover meanwhile", channel, exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)
