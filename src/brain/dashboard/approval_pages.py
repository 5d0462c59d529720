"""The approvals inbox: approve or reject a requested transition, with a comment. The buttons are
shown to approvers only, never on one's own request; course_factory refuses the rest itself."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from brain.dashboard import service
from brain.dashboard.access import Posted, SignedIn
from brain.dashboard.rendering import Pager, local_path
from brain.dashboard.security import DashboardRoute
from brain.kernel.errors import Conflict, ValidationFailed

router = APIRouter(include_in_schema=False, route_class=DashboardRoute)

PAGE_SIZE = 25
STATUSES = ("pending", "approved", "rejected")


@router.get("/admin/approvals")
async def approvals(
    view: SignedIn,
    status: Annotated[str, Query(max_length=20)] = "pending",
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    page = await view.deps.courses.approvals(
        view.principal, status=status or None, offset=offset, limit=PAGE_SIZE
    )
    return view.render(
        "approvals.html.j2",
        title=view.t["approvals_title"],
        page=page,
        chosen=status,
        statuses=STATUSES,
        pager=Pager.of(page, "/admin/approvals", {"status": status}, view.t["page_of"]),
        actors=await service.actor_names(view.deps, view.principal),
    )


async def _decide(posted: Posted, approval_id: uuid.UUID, *, approve: bool) -> Response:
    view, t = posted.view, posted.view.t
    back = local_path(posted.text("back"), "/admin/approvals")
    try:
        decided = await view.deps.courses.decide(
            posted.operator.principal,
            approval_id,
            approve=approve,
            comment=posted.text("comment", strip=False),
        )
    except (Conflict, ValidationFailed) as exc:
        return view.redirect(back, error=exc.detail)
    if approve:
        return view.redirect(back, ok=t["approved"].format(state=decided.to_state))
    return view.redirect(back, ok=t["rejected"].format(state=decided.from_state))


@router.post("/admin/approvals/{approval_id}/approve")
async def approve(posted: Posted, approval_id: uuid.UUID) -> Response:
    return await _decide(posted, approval_id, approve=True)


@router.post("/admin/approvals/{approval_id}/reject")
async def reject(posted: Posted, approval_id: uuid.UUID) -> Response:
    return await _decide(posted, approval_id, approve=False)
