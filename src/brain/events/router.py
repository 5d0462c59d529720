"""The events admin API: the tenant's audit log and dead letters."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime, BaseModel

from brain.events.envelope import Event
from brain.events.models import DeadLetter
from brain.events.operations import MAX_PAGE, EventOperations
from brain.kernel.auth import Principal, Role, require_roles
from brain.kernel.errors import problem_responses
from brain.kernel.requests import Cursor, text_query
from brain.kernel.web import Wired

router = APIRouter(prefix="/api/events", tags=["events"], responses=problem_responses(401, 403))

Reader = Annotated[Principal, Depends(require_roles(*Role))]
Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]


OPERATIONS = Wired[EventOperations]("the event stream's operations")
Ops = Annotated[EventOperations, Depends(OPERATIONS)]


class LoggedEvent(Event):
    published_at: datetime | None = None


class EventList(BaseModel):
    items: list[LoggedEvent]
    next_cursor: str | None


class DeadLetterOut(BaseModel):
    id: uuid.UUID
    subscriber_name: str
    event_id: uuid.UUID
    event_type: str
    stream_message_id: str
    kind: str
    reason: str
    attempts: int
    status: str
    created_at: datetime
    resolved_at: datetime | None
    event: Event | None = None

    @classmethod
    def of(cls, letter: DeadLetter, event: Event | None = None) -> DeadLetterOut:
        fields: dict[str, Any] = {
            name: getattr(letter, name) for name in cls.model_fields if name != "event"
        }
        fields["event"] = event
        return cls(**fields)


class RetryResult(BaseModel):
    id: uuid.UUID
    outcome: str


@router.get(
    "",
    summary="The tenant's event log (oldest first, cursor-paginated)",
    responses=problem_responses(422),
)
async def list_events(
    principal: Reader,
    ops: Ops,
    type: Annotated[
        str | None, text_query(100, description="Type or pattern (`course.*`).")
    ] = None,
    aggregate_id: Annotated[str | None, text_query(64)] = None,
    course_id: Annotated[uuid.UUID | None, Query(description="Alias of aggregate_id.")] = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> EventList:
    if course_id is not None and aggregate_id is not None and aggregate_id != str(course_id):
        return EventList(items=[], next_cursor=None)  # filters combine: no event is both
    page = await ops.list_events(
        tenant_id=principal.tenant_id,
        type_pattern=type,
        aggregate_id=aggregate_id or (str(course_id) if course_id else None),
        since=since,
        until=until,
        after=int(cursor) if cursor is not None else None,
        limit=limit,
    )
    return EventList(
        items=[
            LoggedEvent(**event.model_dump(), published_at=published_at)
            for _, event, published_at in page.items
        ],
        next_cursor=str(page.next_cursor) if page.next_cursor else None,
    )


@router.get(
    "/dead-letters", summary="Dead letters of the tenant's events", responses=problem_responses(422)
)
async def list_dead_letters(
    principal: Admin,
    ops: Ops,
    subscriber: Annotated[str | None, text_query(100)] = None,
    status: Annotated[str | None, Query(pattern="^(open|retried|discarded)$")] = "open",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> list[DeadLetterOut]:
    letters = await ops.dead_letters(
        tenant_id=principal.tenant_id, subscriber=subscriber, status=status, limit=limit
    )
    return [DeadLetterOut.of(letter) for letter in letters]


@router.get(
    "/dead-letters/{letter_id}",
    summary="One dead letter with its event",
    responses=problem_responses(404, 422),
)
async def show_dead_letter(letter_id: uuid.UUID, principal: Admin, ops: Ops) -> DeadLetterOut:
    letter, event = await ops.dead_letter(letter_id, tenant_id=principal.tenant_id)
    return DeadLetterOut.of(letter, event)


@router.post(
    "/dead-letters/{letter_id}/retry",
    summary="Run a dead-lettered event through its subscriber again",
    responses=problem_responses(404, 409, 422),
)
async def retry_dead_letter(letter_id: uuid.UUID, principal: Admin, ops: Ops) -> RetryResult:
    outcome = await ops.retry_dead_letter(letter_id, tenant_id=principal.tenant_id)
    return RetryResult(id=letter_id, outcome=outcome.value)


@router.post(
    "/dead-letters/{letter_id}/discard",
    summary="Close a dead letter without retrying",
    responses=problem_responses(404, 409, 422),
)
async def discard_dead_letter(letter_id: uuid.UUID, principal: Admin, ops: Ops) -> DeadLetterOut:
    return DeadLetterOut.of(await ops.discard_dead_letter(letter_id, tenant_id=principal.tenant_id))


@router.get(
    "/{event_id}", summary="One event of the tenant's log", responses=problem_responses(404, 422)
)
async def get_event(event_id: uuid.UUID, principal: Reader, ops: Ops) -> Event:
    return await ops.get_event(event_id, tenant_id=principal.tenant_id)
