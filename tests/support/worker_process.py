"""A real worker process for the resilience tests: `python -m tests.support.worker_process`.

It builds the platform from `BRAIN_*` environment variables (never a `.env` file), registers one
subscriber to `course.distribution.requested` and runs the worker's event stream, relay and
consumer (`platform.events.run`, the part of `run_worker` these tests are about; they need no
Temporal), until SIGTERM or SIGINT. Its handler writes one row to the effects table per event,
then sleeps `TEST_HANDLER_SLEEP` seconds (so that a test can kill the process inside a batch).

    TEST_SUBSCRIBER       the subscriber's name
    TEST_WORKER           the consumer name (recorded in the effects' `worker` column)
    TEST_HANDLER_SLEEP    seconds to sleep per event (default 0)
    TEST_FAIL_EVERY       k > 0: events whose id (as an integer) is divisible by k fail their first
                          attempt with a transient error, after writing their effect (default 0)
    TEST_START_FILE       if set, start consuming only once this file exists (a standby worker,
                          started early so that its start-up time is not spent when it is needed)

Stdout carries `ready` once the subscription exists and the worker runs, then `handled <event id>`
for every event whose effect the handler has written (in its still uncommitted transaction), each
line flushed: a test that compares it with the committed effects sees what a kill interrupted.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

from brain.bootstrap import build_platform, load_platform_settings
from brain.events import HandlerContext, Subscriber, SubscriberRegistry
from tests.support.events import create_effects_table, record_effect

REQUESTED = "course.distribution.requested"


async def main() -> None:
    name = os.environ["TEST_SUBSCRIBER"]
    worker = os.environ["TEST_WORKER"]
    pause = float(os.environ.get("TEST_HANDLER_SLEEP", "0") or 0)
    fail_every = int(os.environ.get("TEST_FAIL_EVERY", "0") or 0)
    start_file = os.environ.get("TEST_START_FILE")

    async def handler(ctx: HandlerContext) -> None:
        await record_effect(ctx, name, worker=worker)
        if fail_every and ctx.attempt == 1 and ctx.event.id.int % fail_every == 0:
            raise ConnectionError("injected transient failure (first attempt)")
        print(f"handled {ctx.event.id}", flush=True)
        if pause > 0:
            await asyncio.sleep(pause)

    registry = SubscriberRegistry()
    subscriber = registry.add(Subscriber(name, (REQUESTED,), handler))
    platform = build_platform(
        load_platform_settings(_env_file=None), subscribers=registry, consumer_name=worker
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await create_effects_table(platform.database)
        await platform.events.transport.start()
        while start_file and not _exists(start_file):
            if stop.is_set():
                return
            await asyncio.sleep(0.02)
        await platform.events.runtime.ensure_subscription(subscriber)
        task = asyncio.create_task(platform.events.run(stop), name="event-stream")
        await asyncio.sleep(0)  # let the worker start its loops before announcing it
        print("ready", flush=True)
        await task
    finally:
        await platform.close()


def _exists(path: str) -> bool:
    return Path(path).exists()


if __name__ == "__main__":
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s"
    )
    asyncio.run(main())
