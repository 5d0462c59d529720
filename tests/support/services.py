"""Reaching the PostgreSQL and Redis servers the tests run against.

Outside CI a server that does not answer skips its tests with the reason; under `CI=true` it fails
them, so a green CI always means the PostgreSQL and Redis tests ran.
"""

from __future__ import annotations

import os
import socket
import uuid
from urllib.parse import urlsplit

import asyncpg
import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_URL = os.environ.get(
    "BRAIN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("BRAIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def answers(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def require(service: str, url: str, default_port: int) -> None:
    if answers(url, default_port):
        return
    message = f"{service} does not answer at {url}"
    if IN_CI:
        pytest.fail(f"{message}; under CI=true its tests must run, not skip")
    pytest.skip(f"{message}; start it to run these tests")


def require_postgres() -> None:
    require("PostgreSQL", POSTGRES_ADMIN_URL, 5432)


def require_redis() -> None:
    require("Redis", REDIS_URL, 6379)


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def create_postgres_database() -> str:
    """A new empty database `brain_test_<random>`; returns its SQLAlchemy URL."""
    name = f"brain_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(_asyncpg_dsn(POSTGRES_ADMIN_URL))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    parts = urlsplit(POSTGRES_ADMIN_URL)
    return parts._replace(scheme="postgresql+asyncpg", path=f"/{name}").geturl()


async def drop_postgres_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    conn = await asyncpg.connect(_asyncpg_dsn(POSTGRES_ADMIN_URL))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
