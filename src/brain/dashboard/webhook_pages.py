"""Webhook endpoints (admin): add one (its secret shown once), enable, disable, rotate the
secret, delete, send a test event; an endpoint's delivery log with redelivery. Shown once a
module provides `WebhookAdmin` (integrations); on a platform without it these addresses answer
404. Admins only, as in the API."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from brain.dashboard.access import Posted, SignedIn
from brain.dashboard.forms import FieldErrors, refusal, split_list
from brain.dashboard.rendering import Pager, View
from brain.dashboard.security import DashboardRoute
from brain.kernel.admin_contracts import WebhookAdmin, WebhookSecretShown
from brain.kernel.auth import ensure_role
from brain.kernel.errors import BrainError, NotFound, ValidationFailed

router = APIRouter(include_in_schema=False, route_class=DashboardRoute)

PAGE_SIZE = 25


def webhook_admin(view: View) -> WebhookAdmin:
    if view.deps.webhooks is None:
        raise NotFound(view.t["not_available"])
    ensure_role(view.principal)
    return view.deps.webhooks


async def _endpoints_page(
    view: View,
    *,
    shown: WebhookSecretShown | None = None,
    errors: FieldErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    endpoints = await webhook_admin(view).endpoints(view.principal)
    return view.render(
        "webhooks.html.j2",
        title=view.t["webhooks_title"],
        status=status,
        endpoints=endpoints,
        shown=shown,
        errors=errors,
        values=values or {"url": "", "event_types": "", "description": ""},
    )


@router.get("/admin/webhooks")
async def webhooks(view: SignedIn) -> Response:
    return await _endpoints_page(view)


@router.post("/admin/webhooks")
async def create_endpoint(posted: Posted) -> Response:
    view = posted.view
    values = {name: posted.text(name) for name in ("url", "event_types", "description")}
    try:
        shown = await webhook_admin(view).create_endpoint(
            posted.operator.principal,
            url=values["url"],
            event_types=split_list(values["event_types"]),
            description=values["description"],
        )
    except ValidationFailed as exc:
        errors = FieldErrors.of(exc, ("url", "event_types", "description"))
        return await _endpoints_page(view, errors=errors, values=values, status=422)
    return await _endpoints_page(view, shown=shown, status=201)


@router.get("/admin/webhooks/{endpoint_id}")
async def endpoint(
    view: SignedIn,
    endpoint_id: uuid.UUID,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    admin = webhook_admin(view)
    found = await admin.endpoint(view.principal, endpoint_id)
    page = await admin.deliveries(view.principal, endpoint_id, offset=offset, limit=PAGE_SIZE)
    return view.render(
        "webhook.html.j2",
        title=found.url,
        e=found,
        page=page,
        shown=None,
        pager=Pager.of(page, f"/admin/webhooks/{endpoint_id}", {}, view.t["page_of"]),
    )


@router.post("/admin/webhooks/{endpoint_id}/{action}")
async def endpoint_action(posted: Posted, endpoint_id: uuid.UUID, action: str) -> Response:
    view, t = posted.view, posted.view.t
    admin = webhook_admin(view)
    principal = posted.operator.principal
    back = f"/admin/webhooks/{endpoint_id}"
    try:
        if action in ("enable", "disable"):
            await admin.set_enabled(principal, endpoint_id, action == "enable")
            return view.redirect(back, ok=t["endpoint_updated"])
        if action == "test":
            await admin.send_test(principal, endpoint_id)
            return view.redirect(back, ok=t["test_sent"])
        if action == "delete":
            await admin.delete_endpoint(principal, endpoint_id)
            return view.redirect("/admin/webhooks", ok=t["endpoint_deleted"])
        if action == "rotate":
            shown = await admin.rotate_secret(principal, endpoint_id)
            page = await admin.deliveries(principal, endpoint_id, limit=PAGE_SIZE)
            return view.render(
                "webhook.html.j2",
                title=shown.endpoint.url,
                e=shown.endpoint,
                page=page,
                shown=shown,
                pager=Pager.of(page, back, {}, t["page_of"]),
            )
    except BrainError as exc:
        if (message := refusal(exc)) is None:
            raise
        return view.redirect(back, error=message)
    raise NotFound(f"no action {action!r}")


@router.post("/admin/webhooks/deliveries/{delivery_id}/redeliver")
async def redeliver(posted: Posted, delivery_id: uuid.UUID) -> Response:
    view = posted.view
    back = posted.text("endpoint_id")
    try:
        delivery = await webhook_admin(view).redeliver(posted.operator.principal, delivery_id)
    except BrainError as exc:
        if (message := refusal(exc)) is None:
            raise
        target = f"/admin/webhooks/{uuid.UUID(back)}" if _is_id(back) else "/admin/webhooks"
        return view.redirect(target, error=message)
    return view.redirect(f"/admin/webhooks/{delivery.endpoint_id}", ok=view.t["redelivered"])


def _is_id(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
