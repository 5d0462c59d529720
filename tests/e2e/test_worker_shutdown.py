"""`brain worker` stopped by SIGTERM while generations are in flight and Temporal is gone: it exits
within its bound, cleanly, and says what it cancelled (real processes: the worker, the Temporal dev
server it starts, and an OpenAI-compatible endpoint on loopback that never answers)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from brain.bootstrap import build_platform
from brain.course_factory.module import MODULE as FACTORY
from brain.course_factory.schemas import GenerateRequest
from brain.kernel import migrations
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import AuthService, Principal
from tests.conftest import make_settings
from tests.e2e.test_make_run import free_port
from tests.support.fake_llm import FakeLlm, Reply
from tests.support.processes import start_worker

pytestmark = pytest.mark.slow

IN_FLIGHT = 8
BOUND_SECONDS = 15.0


@pytest.fixture
async def stalled_llm() -> AsyncIterator[FakeLlm]:
    """Takes every request and answers none of them (within the test)."""
    server = FakeLlm()
    server.otherwise = Reply(200, {}, delay=600)
    await server.start()
    yield server
    await server.stop()


def dev_server_pids(db_file: Path) -> list[int]:
    """The processes running `temporal server start-dev` on `db_file`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"start-dev" in command and str(db_file).encode() in command:
            found.append(int(entry.name))
    return found


async def test_sigterm_stops_a_worker_with_stalled_generations_after_temporal_was_killed(
    stalled_llm: FakeLlm, tmp_path: Path
) -> None:
    data_dir = tmp_path / "var"
    values = {
        "BRAIN_DATA_DIR": str(data_dir),
        "BRAIN_TEMPORAL_DEV_PORT": str(free_port()),
        "BRAIN_LLM_BASE_URL": stalled_llm.base_url,
        "BRAIN_EVENTS_POLL_SECONDS": "0.1",
        "BRAIN_PUBLIC_BASE_URL": "http://testserver",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRAIN_")} | values
    settings = make_settings(**{k.removeprefix("BRAIN_").lower(): v for k, v in values.items()})
    platform = build_platform(settings)
    log = tmp_path / "worker.log"
    worker: subprocess.Popen[bytes] | None = None
    try:
        await migrations.upgrade(platform.database.engine)
        async with platform.unit_of_work() as uow:
            tenant = await AuthService(uow.session).create_tenant("acme")
        principal = Principal(tenant.id, uuid.uuid4(), Role.EDITOR)
        for n in range(IN_FLIGHT):
            async with platform.unit_of_work() as uow:
                service = platform.deps_of(FACTORY).service(uow)
                await service.request_generation(
                    principal,
                    GenerateRequest(
                        title=f"Stalled course {n}", language="en", target_audiences=["employees"]
                    ),  # type: ignore[arg-type]
                )
        worker = start_worker(env, tmp_path, log, append=False)
        deadline = time.monotonic() + 90
        while len(stalled_llm.requests) < IN_FLIGHT:
            assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            await asyncio.sleep(0.1)

        pids = dev_server_pids(data_dir / "temporal.db")
        assert len(pids) == 1, (pids, log.read_text())
        os.kill(pids[0], signal.SIGKILL)
        await asyncio.sleep(1)  # the worker's connections to Temporal break

        stopping = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        while worker.poll() is None:
            if time.monotonic() - stopping > 60:
                break
            await asyncio.sleep(0.05)
        took = time.monotonic() - stopping
        output = log.read_text()
        assert worker.poll() is not None, f"still running after 60 s\n{output}"
        assert took < BOUND_SECONDS, f"took {took:.1f}s\n{output}"
        assert worker.returncode == 0, output
        assert "worker stopping: waiting up to 8s" in output, output
        assert "cancelled after 8s" in output, output
        assert "worker stopped" in output, output
        assert "Traceback" not in output, output
        print(f"SIGTERM to exit: {took:.1f}s")
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        for pid in dev_server_pids(data_dir / "temporal.db"):
            os.kill(pid, signal.SIGKILL)
        await platform.close()
