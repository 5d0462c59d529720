"""The release's activities: thin adapters from Temporal to `ReleaseSteps`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from temporalio import activity
from temporalio.exceptions import ApplicationError

from brain.course_content.releases import ReleaseRefused, ReleaseSteps
from brain.course_content.workflows import ReleaseFailure, ReleasePlan, ReleaseRef, ReleaseResult


@contextlib.asynccontextmanager
async def heartbeating(every: float) -> AsyncIterator[None]:
    """Heartbeat while the body runs (it awaits git in a thread and the database): a worker that
    dies stops heartbeating, and Temporal retries the activity elsewhere after the timeout."""

    async def beat() -> None:
        while True:
            activity.heartbeat()
            await asyncio.sleep(every)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


class ReleaseActivities:
    def __init__(self, steps: ReleaseSteps) -> None:
        self.steps = steps

    def all(self) -> list[object]:
        return [self.begin_release, self.publish_release, self.fail_release]

    @activity.defn(name="begin_release")
    async def begin_release(self, ref: ReleaseRef) -> ReleasePlan:
        try:
            return await self.steps.begin(ref)
        except ReleaseRefused as exc:
            raise ApplicationError(str(exc), type="ReleaseRefused", non_retryable=True) from exc

    @activity.defn(name="publish_release")
    async def publish_release(self, ref: ReleaseRef) -> ReleaseResult:
        async with heartbeating(max(ref.release.heartbeat_seconds / 3, 0.2)):
            try:
                return await self.steps.publish(ref)
            except ReleaseRefused as exc:
                raise ApplicationError(str(exc), type="ReleaseRefused", non_retryable=True) from exc

    @activity.defn(name="fail_release")
    async def fail_release(self, failure: ReleaseFailure) -> None:
        await self.steps.fail(failure)
