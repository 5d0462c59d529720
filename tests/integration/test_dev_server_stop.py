"""The Temporal dev server a process started is stopped with it: SIGTERM, and SIGKILL when it has
not exited within `STOP_SECONDS` (real child processes)."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import time
from pathlib import Path

import pytest

from brain.kernel.temporal import STOP_SECONDS, DevServer, terminate


def answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


async def test_a_child_that_ignores_sigterm_is_killed_after_the_grace(
    caplog: pytest.LogCaptureFixture,
) -> None:
    child = await asyncio.create_subprocess_exec(
        "sh", "-c", "trap '' TERM; sleep 60 & wait", start_new_session=True
    )
    await asyncio.sleep(0.2)  # the trap is set
    started = time.monotonic()
    await terminate(child, 1.0, "the stubborn child")
    took = time.monotonic() - started
    assert child.returncode == -signal.SIGKILL
    assert 1.0 <= took < 2.0, took
    assert "the stubborn child did not stop within 1s of SIGTERM; killing it" in caplog.text


@pytest.mark.slow
async def test_the_dev_server_stops_within_its_grace(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="brain.kernel.temporal")
    server = DevServer(tmp_path / "temporal.db")
    await server.start()
    assert answers(server.port)
    started = time.monotonic()
    await server.stop()
    took = time.monotonic() - started
    assert took < STOP_SECONDS, took
    assert not answers(server.port)
    assert "did not stop" not in caplog.text
    print(f"the dev server stopped in {took:.2f}s")
