"""Typed request dependencies that the composition root provides.

A module declares what its routes need as a `Wired[T]` (`Outlines = Wired[CourseOutlineReader]
("course outlines")`) and uses it as a FastAPI dependency (`Annotated[CourseOutlineReader,
Depends(Outlines)]`); the composition root binds a value to it for each app it builds. A route
whose dependency nobody bound fails with an error naming it instead of running without it. The
kernel's own dependencies (settings, database, units of work) are declared here the same way.
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp

from brain.kernel.config import Settings
from brain.kernel.db import Database
from brain.kernel.uow import UnitOfWork

T = TypeVar("T")


class NotWired(RuntimeError):
    """A route needs a dependency that the composition root did not bind for its app."""


class Wired(Generic[T]):
    """A dependency whose value the composition root binds per app."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._values: weakref.WeakKeyDictionary[ASGIApp, T] = weakref.WeakKeyDictionary()

    def bind(self, app: FastAPI, value: T) -> None:
        self._values[app] = value

    def value(self, app: ASGIApp) -> T:
        try:
            return self._values[app]
        except KeyError:
            raise NotWired(f"{self.what} is not wired into this app") from None

    def __call__(self, request: Request) -> T:
        return self.value(request.app)

    def __repr__(self) -> str:
        return f"Wired({self.what!r})"


SETTINGS = Wired[Settings]("the kernel's settings")
DATABASE = Wired[Database]("the database")
UNITS_OF_WORK = Wired[Callable[[], UnitOfWork]]("the unit-of-work factory")


async def _unit_of_work(
    factory: Annotated[Callable[[], UnitOfWork], Depends(UNITS_OF_WORK)],
) -> AsyncIterator[UnitOfWork]:
    async with factory() as uow:
        yield uow


async def _read_session(
    database: Annotated[Database, Depends(DATABASE)],
) -> AsyncIterator[AsyncSession]:
    async with database.read_session() as session:
        yield session


# scope="function": the transaction commits before the response is sent, so a client never sees
# a 2xx for work that then failed to commit.
UoW = Annotated[UnitOfWork, Depends(_unit_of_work, scope="function")]
AppSettings = Annotated[Settings, Depends(SETTINGS)]
AppDatabase = Annotated[Database, Depends(DATABASE)]
ReadSession = Annotated[AsyncSession, Depends(_read_session, scope="function")]
"""A session for read-only handlers: never takes the write lock (SQLite) nor writes."""
