"""The tenant's event log (filters, cursor paging, one envelope) and its dead letters (retry,
discard), through the event stream's operations, with the API's roles: every role reads the log,
admins handle dead letters."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import Response

from brain.dashboard.access import Posted, SignedIn
from brain.dashboard.forms import FieldErrors, utc_time
from brain.dashboard.security import DashboardRoute
from brain.events.operations import MAX_PAGE
from brain.kernel.auth import ensure_role
from brain.kernel.errors import Conflict

router = APIRouter(include_in_schema=False, route_class=DashboardRoute)

PAGE_SIZE = 50
LETTER_STATUSES = ("open", "retried", "discarded")


@router.get("/admin/events")
async def events(
    view: SignedIn,
    type: Annotated[str | None, Query(max_length=100)] = None,
    aggregate_id: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE_SIZE,
) -> Response:
    errors = FieldErrors()
    times: dict[str, datetime | None] = {}
    for name, text in (("since", since), ("until", until)):
        if text:
            parsed = utc_time(text)
            if parsed is None:
                errors.add(name, view.t["time_hint"])
            times[name] = parsed
    after = int(cursor) if cursor and cursor.isdigit() else None
    filters = {
        "type": type or None,
        "aggregate_id": aggregate_id or None,
        "since": since or None,
        "until": until or None,
    }
    items, next_link = [], None
    if not errors:
        page = await view.deps.events.list_events(
            tenant_id=view.principal.tenant_id,
            type_pattern=type or None,
            aggregate_id=aggregate_id or None,
            since=times.get("since"),
            until=times.get("until"),
            after=after,
            limit=limit,
        )
        items = [event for _, event, _ in page.items]
        if page.next_cursor is not None:
            query = {k: v for k, v in filters.items() if v} | {"cursor": str(page.next_cursor)}
            if limit != PAGE_SIZE:
                query["limit"] = str(limit)
            next_link = f"/admin/events?{urlencode(query)}"
    return view.render(
        "events.html.j2",
        title=view.t["events_title"],
        status=422 if errors else 200,
        events=items,
        filters=filters,
        errors=errors,
        next_link=next_link,
        first_link="/admin/events" if after else None,
    )


@router.get("/admin/events/dead-letters")
async def dead_letters(
    view: SignedIn, status: Annotated[str, Query(max_length=20)] = "open"
) -> Response:
    ensure_role(view.principal)
    chosen = status if status in LETTER_STATUSES else "open"
    letters = await view.deps.events.dead_letters(
        tenant_id=view.principal.tenant_id, status=chosen, limit=MAX_PAGE
    )
    return view.render(
        "dead_letters.html.j2",
        title=view.t["dead_letters_title"],
        letters=letters,
        chosen=chosen,
        statuses=LETTER_STATUSES,
        limit=MAX_PAGE,
    )


@router.post("/admin/events/dead-letters/{letter_id}/retry")
async def retry_dead_letter(posted: Posted, letter_id: uuid.UUID) -> Response:
    view = posted.view
    principal = ensure_role(posted.operator.principal)
    try:
        outcome = await view.deps.events.retry_dead_letter(letter_id, tenant_id=principal.tenant_id)
    except Conflict as exc:
        return view.redirect("/admin/events/dead-letters", error=exc.detail)
    return view.redirect(
        "/admin/events/dead-letters", ok=view.t["letter_retried"].format(outcome=outcome.value)
    )


@router.post("/admin/events/dead-letters/{letter_id}/discard")
async def discard_dead_letter(posted: Posted, letter_id: uuid.UUID) -> Response:
    view = posted.view
    principal = ensure_role(posted.operator.principal)
    try:
        await view.deps.events.discard_dead_letter(letter_id, tenant_id=principal.tenant_id)
    except Conflict as exc:
        return view.redirect("/admin/events/dead-letters", error=exc.detail)
    return view.redirect("/admin/events/dead-letters", ok=view.t["letter_discarded"])


@router.get("/admin/events/{event_id}")
async def event(view: SignedIn, event_id: uuid.UUID) -> Response:
    found = await view.deps.events.get_event(event_id, tenant_id=view.principal.tenant_id)
    envelope = json.dumps(found.model_dump(mode="json"), indent=2, ensure_ascii=False)
    return view.render("event.html.j2", title=found.type, e=found, envelope=envelope)
