"""Payments: the list with statuses, one payment with its provider events, refunds, and a
course's access grants (opaque buyer ids only: the e-mail address stays in payments). Shown once
a module provides `PaymentAdmin` (payments; grants with `AccessGrantAdmin`, course_factory); on a
platform without payments these addresses answer 404."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from brain.dashboard.access import Posted, SignedIn
from brain.dashboard.forms import FieldErrors, amount_minor, refusal
from brain.dashboard.rendering import Pager, View
from brain.dashboard.security import DashboardRoute
from brain.kernel.admin_contracts import PaymentAdmin
from brain.kernel.errors import BrainError, NotFound, ValidationFailed

router = APIRouter(include_in_schema=False, route_class=DashboardRoute)

PAGE_SIZE = 25


def payment_admin(view: View) -> PaymentAdmin:
    if view.deps.payments is None:
        raise NotFound(view.t["not_available"])
    return view.deps.payments


@router.get("/admin/payments")
async def payments(
    view: SignedIn,
    status: Annotated[str | None, Query(max_length=30)] = None,
    course_id: Annotated[uuid.UUID | None, Query()] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    admin = payment_admin(view)
    errors = FieldErrors()
    try:
        page = await admin.list(
            view.principal,
            course_id=course_id,
            status=status or None,
            offset=offset,
            limit=PAGE_SIZE,
        )
    except ValidationFailed as exc:
        errors = FieldErrors.of(exc, ("status",))
        page = await admin.list(view.principal, course_id=course_id, limit=PAGE_SIZE)
    grants = None
    if course_id is not None and view.deps.access_grants is not None:
        grants = await view.deps.access_grants.access_grants(view.principal, course_id)
    filters = {"status": status, "course_id": str(course_id) if course_id else None}
    return view.render(
        "payments.html.j2",
        title=view.t["payments_title"],
        status=422 if errors else 200,
        errors=errors,
        statuses=await admin.statuses(),
        page=page,
        grants=grants,
        filters=filters,
        pager=Pager.of(page, "/admin/payments", filters, view.t["page_of"]),
    )


@router.get("/admin/payments/{payment_id}")
async def payment(view: SignedIn, payment_id: uuid.UUID) -> Response:
    detail = await payment_admin(view).get(view.principal, payment_id)
    return view.render("payment.html.j2", title=view.t["payments_title"], p=detail)


@router.post("/admin/payments/{payment_id}/refund")
async def refund(posted: Posted, payment_id: uuid.UUID) -> Response:
    view = posted.view
    back = f"/admin/payments/{payment_id}"
    admin = payment_admin(view)
    text = posted.text("amount")
    amount = amount_minor(text) if text else None
    if text and amount is None:
        return view.redirect(back, error=f"amount: {view.t['amount_hint']}")
    try:
        await admin.refund(posted.operator.principal, payment_id, amount)
    except BrainError as exc:
        if (message := refusal(exc)) is None:
            raise
        return view.redirect(back, error=message)
    return view.redirect(back, ok=view.t["refund_requested"])
