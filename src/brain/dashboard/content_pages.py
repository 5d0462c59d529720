"""Content and releases: a course's content tree with each assignment's deployment, assigning an
example version, a deployment's history with rollback, starting and watching a release, the
repository's files at HEAD. Shown once a module provides `ContentAdmin` (course_content); on a
platform without it these addresses answer 404."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from brain.dashboard.access import Posted, SignedIn
from brain.dashboard.forms import refusal
from brain.dashboard.rendering import View
from brain.dashboard.security import DashboardRoute
from brain.kernel.admin_contracts import ContentAdmin
from brain.kernel.errors import BrainError, NotFound

router = APIRouter(include_in_schema=False, route_class=DashboardRoute)

COURSE_CHOICES = 100
RELEASE_REFRESH_SECONDS = 2


def content_admin(view: View) -> ContentAdmin:
    if view.deps.content is None:
        raise NotFound(view.t["not_available"])
    return view.deps.content


def _back(course_id: str) -> str:
    return f"/admin/content?course_id={course_id}" if course_id else "/admin/content"


def _release_page(course_id: uuid.UUID, run_id: str) -> str:
    return f"/admin/content/releases/{run_id}?course_id={course_id}"


@router.get("/admin/content")
async def content(
    view: SignedIn, course_id: Annotated[uuid.UUID | None, Query()] = None
) -> Response:
    admin = content_admin(view)
    principal = view.principal
    courses = await view.deps.courses.list(principal, limit=COURSE_CHOICES)
    tree = versions = releases = repository = None
    if course_id is not None:
        tree = await admin.tree(principal, course_id)
        versions = await admin.example_versions(principal)
        releases = await admin.releases(principal, course_id)
        repository = await admin.repository(principal, course_id)
    return view.render(
        "content.html.j2",
        title=view.t["content_title"],
        courses=courses.items,
        course_id=course_id,
        tree=tree,
        versions=versions,
        releases=releases,
        repository=repository,
    )


@router.post("/admin/content/{content_id}/assign")
async def assign(posted: Posted, content_id: uuid.UUID) -> Response:
    view = posted.view
    back = _back(posted.text("course_id"))
    try:
        version_id = uuid.UUID(posted.text("example_version_id"))
    except ValueError:
        return view.redirect(back, error=f"example_version_id: {view.t['required']}")
    try:
        assigned = await content_admin(view).assign_example(
            posted.operator.principal, content_id, version_id, force=posted.flag("force")
        )
    except BrainError as exc:
        if (message := refusal(exc)) is None:
            raise
        return view.redirect(back, error=message)
    ok = view.t["assigned"].format(
        example=assigned.example_identifier or "", version=assigned.version_tag or ""
    )
    return view.redirect(back, ok=ok)


@router.get("/admin/content/{content_id}/history")
async def history(
    view: SignedIn,
    content_id: uuid.UUID,
    course_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Response:
    entries = await content_admin(view).history(view.principal, content_id)
    return view.render(
        "content_history.html.j2",
        title=view.t["history"],
        entries=entries,
        content_id=content_id,
        course_id=course_id,
    )


@router.post("/admin/content/{content_id}/rollback")
async def rollback(posted: Posted, content_id: uuid.UUID) -> Response:
    view = posted.view
    back = _back(posted.text("course_id"))
    try:
        history_id = uuid.UUID(posted.text("history_id"))
    except ValueError:
        return view.redirect(back, error=f"history_id: {view.t['required']}")
    try:
        started = await content_admin(view).rollback(
            posted.operator.principal, content_id, history_id
        )
    except BrainError as exc:
        if (message := refusal(exc)) is None:
            raise
        return view.redirect(back, error=message)
    return view.redirect(_release_page(started.course_id, started.run_id), ok=view.t["rolled_back"])


@router.post("/admin/content/releases")
async def start_release(posted: Posted) -> Response:
    view = posted.view
    try:
        course_id = uuid.UUID(posted.text("course_id"))
    except ValueError:
        return view.redirect("/admin/content", error=f"course_id: {view.t['required']}")
    force = posted.text("mode") == "force"
    try:
        started = await content_admin(view).start_release(
            posted.operator.principal, course_id, all_pending=not force, force_redeploy=force
        )
    except BrainError as exc:
        if (message := refusal(exc)) is None:
            raise
        return view.redirect(_back(str(course_id)), error=message)
    return view.redirect(_release_page(course_id, started.run_id), ok=view.t["release_started"])


@router.get("/admin/content/releases/{key}")
async def release(
    view: SignedIn,
    key: Annotated[str, Path(max_length=200)],
    course_id: Annotated[uuid.UUID, Query()],
) -> Response:
    found = await content_admin(view).release(view.principal, course_id, key)
    headers = None if found.finished else {"Refresh": str(RELEASE_REFRESH_SECONDS)}
    return view.render("content_release.html.j2", title=view.t["release"], r=found, headers=headers)
