"""Health, readiness and metrics: the routes operators and orchestrators poll."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from brain.kernel.observability import Metrics
from brain.kernel.web import Wired

log = logging.getLogger(__name__)

ReadinessCheck = Callable[[], Awaitable[None]]
MetricsRefresh = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Operations:
    """What the operations routes look at: readiness checks by name, the metrics registry and
    what to refresh before metrics are read (gauges that are computed on demand)."""

    readiness_checks: Mapping[str, ReadinessCheck]
    metrics: Metrics
    before_metrics: Sequence[MetricsRefresh] = ()


OPERATIONS = Wired[Operations]("the operations routes' checks and metrics")
Ops = Annotated[Operations, Depends(OPERATIONS)]

router = APIRouter(tags=["operations"])
READY_TIMEOUT_SECONDS = 2.0


@router.get("/health", summary="The process is alive")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/ready",
    summary="The database (and Redis, when configured) answer",
    responses={503: {"description": "A dependency does not answer; the body says which."}},
)
async def ready(ops: Ops) -> JSONResponse:
    results: dict[str, str] = {}
    for name, check in ops.readiness_checks.items():
        try:
            await asyncio.wait_for(check(), READY_TIMEOUT_SECONDS)
            results[name] = "ok"
        except Exception as exc:
            results[name] = (
                f"unavailable: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
            )
    healthy = all(result == "ok" for result in results.values())
    return JSONResponse(
        {"status": "ready" if healthy else "unavailable", "checks": results},
        status_code=200 if healthy else 503,
    )


@router.get(
    "/metrics",
    summary="Prometheus metrics in the text exposition format",
    response_class=PlainTextResponse,
    responses={
        200: {
            "description": "The exposition format (`text/plain; version=0.0.4`)",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    },
)
async def metrics(ops: Ops) -> Response:
    for refresh in ops.before_metrics:
        try:
            await asyncio.wait_for(refresh(), READY_TIMEOUT_SECONDS)
        except Exception as exc:
            log.warning("metrics refresh failed: %s", exc)
    return Response(generate_latest(ops.metrics.registry), media_type=CONTENT_TYPE_LATEST)
