"""A stopping worker ends within `BRAIN_WORKER_SHUTDOWN_SECONDS`: what finishes in time finishes,
Temporal activities are cancelled after their share of it, and what still runs at the end is
cancelled (a real Temporal dev server and a real SQLite database; the e2e test
`tests/e2e/test_worker_shutdown.py` does the same to a `brain worker` process)."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from pathlib import Path

import pytest

from brain.bootstrap import ACTIVITY_GRACE_SHARE, build_platform, run_worker
from brain.kernel import migrations
from brain.kernel.web import Wired
from brain.modules import Module, Parts, Services, TemporalWorker
from tests.conftest import make_settings
from tests.support.stuck_work import StuckActivity, StuckWorkflow

BOUND = 2.0
MARGIN = 1.5
"""Beyond the bound: cancelling, the last wait for what was cancelled, the event stream's end."""


def module_with(**parts: object) -> Module[object]:
    def build(_services: Services) -> Parts[object]:
        return Parts(deps=object(), **parts)  # type: ignore[arg-type]

    return Module[object](name="shutdown_test", build=build, dependency=Wired[object]("x"))


async def test_worker_tasks_that_finish_in_time_finish_and_one_that_does_not_is_cancelled(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ended: dict[str, str] = {}

    async def polite(stop: asyncio.Event) -> None:
        await stop.wait()
        await asyncio.sleep(0.3)  # finishes up
        ended["polite"] = "finished"

    async def stubborn(stop: asyncio.Event) -> None:
        try:
            await asyncio.sleep(3600)  # ignores stop
        except asyncio.CancelledError:
            ended["stubborn"] = "cancelled"
            raise

    platform = build_platform(
        make_settings(tmp_path, worker_shutdown_seconds=BOUND, events_poll_seconds=0.1),
        modules=[module_with(tasks=[polite, stubborn])],
    )
    try:
        await migrations.upgrade(platform.database.engine)
        stop = asyncio.Event()
        caplog.set_level(logging.INFO, logger="brain.bootstrap")
        worker = asyncio.create_task(run_worker(platform, stop))
        await asyncio.sleep(0.5)
        assert not worker.done()
        stopping = time.monotonic()
        stop.set()
        await asyncio.wait_for(worker, 30)
        took = time.monotonic() - stopping
    finally:
        await platform.close()
    assert BOUND <= took < BOUND + MARGIN, took
    assert ended == {"polite": "finished", "stubborn": "cancelled"}
    assert "worker stopping: waiting up to 2s" in caplog.text
    assert "worker-tasks still running, cancelled after 2s" in caplog.text


@pytest.mark.slow
@pytest.mark.parametrize("holds_on", [False, True], ids=["ends-when-cancelled", "holds-on"])
async def test_an_activity_in_flight_is_cancelled_within_the_bound(
    holds_on: bool, temporal_address: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    activity = StuckActivity(holds_on=holds_on)
    queue = f"shutdown-{uuid.uuid4().hex[:8]}"
    platform = build_platform(
        make_settings(
            tmp_path,
            temporal_address=temporal_address,
            worker_shutdown_seconds=BOUND,
            events_poll_seconds=0.1,
        ),
        modules=[
            module_with(
                workers=[TemporalWorker(queue, [StuckWorkflow], [activity.stuck], 2)],
            )
        ],
    )
    try:
        await migrations.upgrade(platform.database.engine)
        stop = asyncio.Event()
        caplog.set_level(logging.INFO, logger="brain.bootstrap")
        worker = asyncio.create_task(run_worker(platform, stop))
        client = await platform.temporal.client()
        await client.start_workflow(
            StuckWorkflow.run, id=f"stuck-{uuid.uuid4().hex[:8]}", task_queue=queue
        )
        await asyncio.wait_for(activity.started.wait(), 30)
        stopping = time.monotonic()
        stop.set()
        await asyncio.wait_for(worker, 30)
        took = time.monotonic() - stopping
    finally:
        activity.release()
        await platform.close()
    assert activity.cancelled_at is not None
    grace = activity.cancelled_at - stopping
    assert BOUND * ACTIVITY_GRACE_SHARE - 0.1 <= grace < BOUND * ACTIVITY_GRACE_SHARE + 0.5, grace
    assert took < BOUND + MARGIN, took
    if holds_on:
        assert took >= BOUND, took
        assert f"temporal-worker:{queue}" in caplog.text
        assert "cancelled after 2s" in caplog.text
    else:
        assert activity.ended_at is not None
        assert "cancelled after" not in caplog.text, caplog.text
