"""How a business module declares itself to the composition root (`docs/modules.md`).

Each module has one `module.py` holding a `Module`: its settings class, its routers and page
routers, its CLI sub-app, the read contracts it provides and the ones it needs, and a `build`
function. The composition root (`brain.bootstrap`) loops over the declared modules: it combines
their settings, builds the contracts they provide, refuses to start when one needs a contract no
module provides, calls each `build` with the platform's `Services`, and wires what comes back
(`Parts`) into the API, the worker and the CLI. Nothing outside the composition root knows the
list of modules.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

import typer
from fastapi import APIRouter
from prometheus_client import CollectorRegistry
from starlette.types import ASGIApp

from brain.events import EventPublisher, Subscriber
from brain.events.operations import EventOperations
from brain.kernel.cli import Runner
from brain.kernel.config import BrainSettings, Settings
from brain.kernel.db import Database
from brain.kernel.response_cache import CachedResponses
from brain.kernel.temporal import TemporalRuntime
from brain.kernel.uow import UnitOfWork
from brain.kernel.web import Wired

D = TypeVar("D")
C = TypeVar("C")
S = TypeVar("S", bound=BrainSettings)

Background = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
"""A long-running task: it runs until the event is set, then finishes up and returns."""


class MissingContract(RuntimeError):
    """A module needs a read contract that no declared module provides."""


class Contracts:
    """The read contracts the modules provide, by their protocol type."""

    def __init__(self, provided: Mapping[type, object] | None = None) -> None:
        self._provided: dict[type, object] = dict(provided or {})

    def add(self, kind: type, implementation: object) -> None:
        self._provided[kind] = implementation

    def __contains__(self, kind: type) -> bool:
        return kind in self._provided

    def kinds(self) -> list[type]:
        return list(self._provided)

    def get(self, kind: type[C]) -> C:
        try:
            return cast(C, self._provided[kind])
        except KeyError:
            raise MissingContract(f"no module provides {kind.__name__}") from None


@dataclass(frozen=True)
class Services:
    """What the composition root hands every module's `build`."""

    settings: Settings
    """The platform's settings: one object that is also an instance of every module's settings
    class (`settings_as` gives a module its own view)."""
    database: Database
    publisher: EventPublisher
    events: EventOperations
    temporal: TemporalRuntime
    metrics: CollectorRegistry
    contracts: Contracts

    def settings_as(self, cls: type[S]) -> S:
        if not isinstance(self.settings, cls):
            raise TypeError(f"the platform's settings do not include {cls.__name__}")
        return self.settings

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.database.sessionmaker)


@dataclass(frozen=True)
class TemporalWorker:
    """Workflows and activities one Temporal worker serves on a task queue."""

    task_queue: str
    workflows: Sequence[type]
    activities: Sequence[Callable[..., Any]]
    max_concurrent_activities: int = 8


@dataclass(frozen=True)
class Mount:
    """An ASGI app served under a path prefix (static files, say)."""

    path: str
    app: ASGIApp
    name: str


@dataclass
class Parts(Generic[D]):
    """What a built module contributes to the running platform."""

    deps: D
    """The module's dependencies as one object: bound to the module's `Wired` for its routes and
    handed to its CLI commands."""
    subscribers: Sequence[Subscriber] = ()
    workers: Sequence[TemporalWorker] = ()
    background: Sequence[Background] = ()
    """Tasks every API process runs while it serves."""
    tasks: Sequence[Background] = ()
    """Tasks the worker runs beside the event relay and the consumers (one per worker process;
    several workers run them side by side, so they must share their work safely)."""
    mounts: Sequence[Mount] = ()
    body_limits: Sequence[tuple[str, int]] = ()
    """Request body limits above the platform's `BRAIN_MAX_BODY_BYTES` for the paths matching a
    regular expression (uploads), as (pattern, max bytes)."""
    cached: Sequence[CachedResponses] = ()
    """Public paths the platform answers from memory while their version holds (ADR 0024)."""
    close: Sequence[Callable[[], Awaitable[None]]] = ()
    before_metrics: Sequence[Callable[[], Awaitable[None]]] = ()
    """What to refresh before `/metrics` is read (gauges computed from the database)."""


@dataclass(frozen=True)
class Module(Generic[D]):
    """One business module, as the composition root sees it."""

    name: str
    build: Callable[[Services], Parts[D]]
    dependency: Wired[D]
    settings: type[BrainSettings] | None = None
    routers: Sequence[APIRouter] = ()
    pages: Sequence[APIRouter] = ()
    """Routers of HTML pages (not in the OpenAPI document), included after every API router."""
    cli: Callable[[Runner[D]], typer.Typer] | None = None
    cli_name: str | None = None
    cli_groups: Mapping[str, Callable[[Runner[D]], typer.Typer]] = field(default_factory=dict)
    """Further top-level command groups of the module, by name (`brain <name> …`), for a module
    whose commands read best under more than one noun."""
    provides: Mapping[type, Callable[[Services], object]] = field(default_factory=dict)
    """Read contracts this module implements: the protocol type and a factory of the
    implementation (which may use the database and settings, not other contracts)."""
    exports: Mapping[type, Callable[[D], object]] = field(default_factory=dict)
    """Contracts made from the module's own built dependencies (its services, for the operator
    dashboard, say): the composition root builds a module that needs one after its exporter."""
    needs: Sequence[type] = ()
    """Contracts this module's build takes from `Services.contracts`."""
    uses: Sequence[type] = ()
    """Contracts this module's build takes when some module provides them (it does without
    them otherwise); it is built after their exporters too."""
