"""A Temporal workflow whose one activity never ends by itself, for the worker's shutdown tests.

`StuckActivity.stuck` waits until it is cancelled; with `holds_on=True` it then goes on until
`release()` (an activity that does not end when told to, as the worker sees one whose
cancellation cannot be reported to an unreachable Temporal)."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.common import RetryPolicy


@workflow.defn(name="StuckForShutdown")
class StuckWorkflow:
    @workflow.run
    async def run(self) -> None:
        await workflow.execute_activity(
            "stuck",
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=RetryPolicy(maximum_attempts=1),
        )


class StuckActivity:
    def __init__(self, *, holds_on: bool = False) -> None:
        self.holds_on = holds_on
        self.started = asyncio.Event()
        self.released = asyncio.Event()
        self.cancelled_at: float | None = None
        self.ended_at: float | None = None

    @activity.defn(name="stuck")
    async def stuck(self) -> None:
        self.started.set()
        try:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                self.cancelled_at = time.monotonic()
                if not self.holds_on:
                    raise
                await self.released.wait()
        finally:
            self.ended_at = time.monotonic()

    def release(self) -> None:
        self.released.set()
