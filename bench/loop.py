"""The event loop the benchmarks run on: `BRAIN_EVENT_LOOP`, as `brain worker` does
(`brain.kernel.loop`); on an older `src/` without that setting, asyncio's own loop."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
CHOICES = ("auto", "uvloop", "asyncio")


def choice() -> str:
    return os.environ.get("BRAIN_EVENT_LOOP", "auto")


def run(main: Coroutine[Any, Any, T]) -> T:
    try:
        from brain.kernel.config import EventLoop
        from brain.kernel.loop import run_on
    except ImportError:  # a src/ from before BRAIN_EVENT_LOOP (bench/README.md, "before" runs)
        return asyncio.run(main)
    return run_on(main, EventLoop(choice()))
