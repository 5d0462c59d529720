"""`brain worker` processes as an operator starts them: several at once on one data directory
share one Temporal dev server."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.test_make_run import free_port
from tests.e2e.test_serve import BIN, base_env, brain

pytestmark = pytest.mark.slow


def answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_two_workers_started_together_share_one_temporal_dev_server(tmp_path: Path) -> None:
    temporal_port = free_port()
    env = {**base_env(tmp_path), "BRAIN_TEMPORAL_DEV_PORT": str(temporal_port)}
    assert brain(env, tmp_path, "db", "upgrade").returncode == 0
    workers = [
        subprocess.Popen(
            [BIN / "brain", "worker"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 60
        while not answers(temporal_port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert answers(temporal_port), "a dev server was started"
        time.sleep(3)  # the other worker connects, or fails as it did before the lock
        assert [worker.poll() for worker in workers] == [None, None]
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        outputs = [worker.communicate(timeout=30)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    both = "".join(outputs)
    assert both.count("starting the Temporal dev server") == 1, both
    assert both.count("using the Temporal dev server already running") == 1, both
    assert "TemporalUnavailable" not in both and "Traceback" not in both, both
