"""What `make run` does, as a user sees it: `brain setup` then `brain serve`, real processes."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent
KEY = re.compile(r"brain_[a-z0-9]{12}_[A-Za-z0-9_-]{43}")

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 20.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, timeout=1.0)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@dataclass
class Served:
    base: str
    key: str
    output: str = ""
    """What `brain serve` printed, once it has stopped."""


@contextmanager
def running_platform(workdir: Path, extra_env: dict[str, str] | None = None) -> Iterator[Served]:
    """What `make run` does: `brain setup` then `brain serve` in `workdir`, as real processes;
    stopped with Ctrl-C on exit, which must end cleanly."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BRAIN_")},
        "BRAIN_PORT": str(port),
        "BRAIN_PUBLIC_BASE_URL": base,
        "BRAIN_TEMPORAL_DEV_PORT": str(free_port()),
        **(extra_env or {}),
    }
    setup = subprocess.run(
        [BIN / "brain", "setup"], cwd=workdir, env=env, capture_output=True, text=True, timeout=60
    )
    assert setup.returncode == 0, setup.stderr
    key = KEY.search(setup.stdout)
    assert key is not None, setup.stdout
    assert (workdir / "var" / "brain.db").exists()
    served = Served(base, key[0])
    server = subprocess.Popen(
        [BIN / "brain", "serve"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for(f"{base}/health").json() == {"status": "ok"}
        yield served
    finally:
        server.send_signal(signal.SIGINT)
        served.output, _ = server.communicate(timeout=20)
    # uvicorn re-raises the interrupt once it has shut down, as a shell expects of Ctrl-C
    assert server.returncode in (0, 130, -signal.SIGINT), served.output
    assert "Traceback" not in served.output, served.output


def test_setup_then_serve_gives_a_running_api_with_a_working_admin_key(tmp_path: Path) -> None:
    with running_platform(tmp_path) as served:
        me = httpx.get(f"{served.base}/api/me", headers={"Authorization": f"Bearer {served.key}"})
        assert me.status_code == 200
        assert me.json()["tenant_name"] == "demo" and me.json()["role"] == "admin"
        assert httpx.get(f"{served.base}/docs").status_code == 200
    assert "Application shutdown complete" in served.output
    assert "worker started" in served.output, "the embedded default runs the worker in-process"
    assert "worker stopped" in served.output


def generate_a_course(base: str, key: str) -> dict[str, object]:
    """What a newcomer does after `make run`: one request, then watch it finish."""
    headers = {"Authorization": f"Bearer {key}"}
    accepted = httpx.post(
        f"{base}/api/courses/generate",
        json={
            "title": "Alternativen zur Hausbank",
            "language": "de",
            "target_audiences": ["employees"],
            "template_id": "banking_alternatives",
        },
        headers=headers,
    )
    assert accepted.status_code == 202, accepted.text
    status_url = accepted.json()["status_url"]
    deadline = time.monotonic() + 90
    while True:
        course = httpx.get(status_url, headers=headers).json()
        if course["generation_status"] in ("completed", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    pack = httpx.get(f"{status_url}/evidence-pack", headers=headers)
    assert pack.status_code == 200
    events = httpx.get(f"{status_url}/events", headers=headers).json()
    assert events[0]["type"] == "course.generation.requested"
    assert "course.generation.completed" in [e["type"] for e in events]
    return dict(course)


def test_the_worker_starts_serves_its_metrics_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRAIN_")}
    env["BRAIN_WORKER_METRICS_PORT"] = str(port)
    env["BRAIN_TEMPORAL_DEV_PORT"] = str(free_port())
    subprocess.run(
        [BIN / "brain", "db", "upgrade"], cwd=tmp_path, env=env, check=True, capture_output=True
    )
    worker = subprocess.Popen(
        [BIN / "brain", "worker"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    metrics = wait_for(f"http://127.0.0.1:{port}/metrics")
    assert "brain_events_outbox_backlog" in metrics.text
    assert worker.poll() is None, worker.communicate()[0]
    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=20)
    assert worker.returncode == 0, output
    assert "worker started" in output and "worker stopped" in output
    assert "loop=uvloop" in output, "uvloop is installed: BRAIN_EVENT_LOOP=auto runs on it"
