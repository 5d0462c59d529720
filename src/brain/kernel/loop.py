"""The event loop every long-running command runs on: `brain serve` (through uvicorn), `brain
worker` and the CLI's other commands, chosen by `BRAIN_EVENT_LOOP`.

uvloop (libuv's loop, a dependency of `uvicorn[standard]`) makes the event stream's per-event
work cheaper (bench/README.md, "The event loop"); `asyncio` keeps the standard library's loop,
e.g. to debug with asyncio's own instrumentation. `auto` takes uvloop when it can be imported.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from brain.kernel.config import EventLoop

T = TypeVar("T")


def uvloop_available() -> bool:
    return importlib.util.find_spec("uvloop") is not None


def resolved(choice: EventLoop) -> EventLoop:
    """`choice` with `auto` decided: uvloop when it is installed, else asyncio."""
    if choice is EventLoop.AUTO:
        return EventLoop.UVLOOP if uvloop_available() else EventLoop.ASYNCIO
    return choice


def loop_factory(choice: EventLoop) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """A factory of the chosen loop for `asyncio.Runner`; None for asyncio's default."""
    if resolved(choice) is EventLoop.UVLOOP:
        import uvloop  # a missing uvloop with BRAIN_EVENT_LOOP=uvloop fails here, loudly

        return uvloop.new_event_loop
    return None


def run_on(main: Coroutine[Any, Any, T], choice: EventLoop) -> T:
    """`asyncio.run(main)` on the chosen loop."""
    with asyncio.Runner(loop_factory=loop_factory(choice)) as runner:
        return runner.run(main)


def uvicorn_loop(choice: EventLoop) -> str:
    """The `loop` setting of uvicorn's Config for the chosen loop."""
    return "uvloop" if resolved(choice) is EventLoop.UVLOOP else "asyncio"
