"""What request handlers need from the platform, read from the app's state.

The composition root puts a `Database` and a unit-of-work factory on `app.state`; handlers reach
them only through these dependencies, so the kernel never imports the composition root.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from brain.kernel.config import Settings
from brain.kernel.db import Database
from brain.kernel.uow import UnitOfWork


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def _unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    factory: Callable[[], UnitOfWork] = request.app.state.uow_factory
    async with factory() as uow:
        yield uow


async def _read_session(request: Request) -> AsyncIterator[AsyncSession]:
    database: Database = request.app.state.database
    async with database.read_session() as session:
        yield session


# scope="function": the transaction commits before the response is sent, so a client never sees
# a 2xx for work that then failed to commit.
UoW = Annotated[UnitOfWork, Depends(_unit_of_work, scope="function")]
AppSettings = Annotated[Settings, Depends(get_settings)]
AppDatabase = Annotated[Database, Depends(get_database)]
ReadSession = Annotated[AsyncSession, Depends(_read_session, scope="function")]
"""A session for read-only handlers: never takes the write lock (SQLite) nor writes."""
