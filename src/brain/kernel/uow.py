"""The unit of work: one session, one transaction, committed by the edge that opened it.

Services and repositories flush, never commit. Whatever must happen only once the transaction is
durable (waking the event relay, for instance) registers an `on_commit` callback; whatever must ride
in the same transaction (outbox rows) is written through `session` before the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = logging.getLogger(__name__)

CommitHook = Callable[[], Awaitable[None] | None]


@dataclass(frozen=True)
class UnitOfWorkMark:
    before_commit: int
    on_commit: int
    info_keys: frozenset[str]


class UnitOfWork:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._session: AsyncSession | None = None
        self._before_commit: list[Callable[[UnitOfWork], Awaitable[None]]] = []
        self._on_commit: list[CommitHook] = []
        self.info: dict[str, Any] = {}

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not open; use `async with uow:`")
        return self._session

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("the unit of work is already open")
        self._session = self._sessionmaker()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                await self.commit()
            else:
                await self.rollback()
        finally:
            await self.session.close()
            self._session = None
            self._before_commit.clear()
            self._on_commit.clear()
            self.info.clear()

    def before_commit(self, hook: Callable[[UnitOfWork], Awaitable[None]]) -> None:
        """Run `hook` inside the transaction, just before it commits (e.g. flushing outbox rows)."""
        self._before_commit.append(hook)

    def on_commit(self, hook: CommitHook) -> None:
        """Run `hook` once the transaction has committed; never after a rollback."""
        self._on_commit.append(hook)

    def mark(self) -> UnitOfWorkMark:
        """Where the hooks and `info` stand now; `discard_since` forgets what came after (the work
        was rolled back to a savepoint taken at the mark)."""
        return UnitOfWorkMark(len(self._before_commit), len(self._on_commit), frozenset(self.info))

    def discard_since(self, mark: UnitOfWorkMark) -> None:
        """Forget the hooks registered and the `info` keys added since `mark`: what registered
        them was rolled back to a savepoint, so nothing of it may run or be counted at commit."""
        del self._before_commit[mark.before_commit :]
        del self._on_commit[mark.on_commit :]
        for key in set(self.info) - mark.info_keys:
            del self.info[key]

    async def flush(self) -> None:
        await self.session.flush()

    async def commit(self) -> None:
        for hook in list(self._before_commit):
            await hook(self)
        await self.session.commit()
        hooks, self._on_commit = self._on_commit, []
        self._before_commit = []
        for callback in hooks:
            try:
                result = callback()
                if result is not None:
                    await result
            except Exception:
                log.exception("after-commit hook failed; the committed work stands")

    async def rollback(self) -> None:
        await self.session.rollback()
        self._before_commit.clear()
        self._on_commit.clear()
