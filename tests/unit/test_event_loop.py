"""`BRAIN_EVENT_LOOP`: the loop the CLI and the worker run on."""

from __future__ import annotations

import asyncio

import pytest
import uvloop

from brain.kernel.config import EventLoop
from brain.kernel.loop import resolved, run_on, uvicorn_loop


async def running_loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__.split(".")[0]


def test_auto_runs_on_uvloop_when_it_is_installed() -> None:
    assert resolved(EventLoop.AUTO) is EventLoop.UVLOOP
    assert run_on(running_loop_module(), EventLoop.AUTO) == "uvloop"
    assert uvicorn_loop(EventLoop.AUTO) == "uvloop"


def test_asyncio_keeps_the_standard_librarys_loop() -> None:
    assert run_on(running_loop_module(), EventLoop.ASYNCIO) == "asyncio"
    assert uvicorn_loop(EventLoop.ASYNCIO) == "asyncio"


def test_auto_falls_back_to_asyncio_without_uvloop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("brain.kernel.loop.uvloop_available", lambda: False)
    assert resolved(EventLoop.AUTO) is EventLoop.ASYNCIO
    assert run_on(running_loop_module(), EventLoop.AUTO) == "asyncio"
    assert uvicorn_loop(EventLoop.AUTO) == "asyncio"


def test_the_loop_is_closed_after_the_run() -> None:
    loops: list[asyncio.AbstractEventLoop] = []

    async def keep() -> None:
        loops.append(asyncio.get_running_loop())

    run_on(keep(), EventLoop.UVLOOP)
    assert isinstance(loops[0], uvloop.Loop) and loops[0].is_closed()
