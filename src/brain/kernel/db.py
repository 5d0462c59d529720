"""Database engine, declarative base and the column types shared by every module.

One code path for SQLite (the embedded default) and PostgreSQL: the engine is built from the
configured URL, never at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

from brain.kernel.config import redact_url

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass a timezone-aware UTC value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class DatabaseUnavailable(Exception):
    """The database cannot be reached; the message says where and why."""


class Database:
    """The engine and session factory of one configured database."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        echo: bool = False,
        pooled: bool = True,
        hide_parameters: bool = True,
    ) -> None:
        """`pooled=False`: every connection is closed when it is returned (for a check run in an
        event loop of its own, whose connections must not outlive it). `hide_parameters`: SQL
        parameters (key hashes among them) never appear in a log line or an error message."""
        self.url = url
        options: dict[str, Any] = {"echo": echo, "hide_parameters": hide_parameters}
        if not pooled:
            options["poolclass"] = NullPool
        elif url.startswith("sqlite"):
            # A file is never disconnected under a pooled connection: no ping round trip.
            options["connect_args"] = {"timeout": 30}
        else:
            options.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
            if "prepared_statement_cache_size" not in url:
                # asyncpg keeps 100 prepared statements per connection by default; savepoint
                # names and the consumer's batch shapes push the hot ones out (measured: the
                # consumer takes 1.5x the events/s with 500). A URL parameter still wins.
                options["connect_args"] = {"prepared_statement_cache_size": 500}
        self.engine: AsyncEngine = create_async_engine(url, **options)
        self.read_engine = self.engine
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin_immediate)
            # Readers get their own connections with deferred transactions: in WAL mode they
            # never wait for the writer, so a read inside a unit of work cannot deadlock on it.
            self.read_engine = create_async_engine(url, **options)
            event.listen(self.read_engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.read_engine.sync_engine, "begin", _sqlite_begin_deferred)
        # The write sessions' own sync factory: `after_commit` listens on it alone, so listeners
        # of one Database never see another's commits (tests build many in one process).
        self._write_sessions = sessionmaker()
        self.sessionmaker = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=self._write_sessions
        )
        self.read_sessionmaker = async_sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def check(self) -> None:
        """Run `SELECT 1`, raising `DatabaseUnavailable` with a readable reason."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise DatabaseUnavailable(
                f"cannot connect to the database {redact_url(self.url)}: {reason}"
            ) from exc

    def session(self) -> AsyncSession:
        return self.sessionmaker()

    def after_commit(self, listener: Callable[[Session], None]) -> None:
        """Call `listener` with the (sync) session after each commit of a write session, in the
        committing task: e.g. to learn at once of a change this process made, through a flag the
        writer left in `session.info`."""
        event.listen(self._write_sessions, "after_commit", listener)

    def read_session(self) -> AsyncSession:
        """A session for reading only; never write through it."""
        return self.read_sessionmaker()

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own implicit BEGIN breaks SAVEPOINT; SQLAlchemy emits BEGIN itself instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes
    # fails at once with SQLITE_BUSY when another writer committed in between (WAL snapshots);
    # waiting for the lock (busy_timeout) is what every caller here wants instead.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_begin_deferred(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def utc(value: datetime) -> datetime:
    """A timezone-aware UTC copy of `value` (naive values are taken as UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
