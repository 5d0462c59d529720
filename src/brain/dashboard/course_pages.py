"""Courses: the list, the "new course" form, a course with its live progress, outline, lessons,
quiz, landing page, staging site, evidence pack, event trail and workflow, and a lesson's editor.
Everything goes through course_factory's `CourseAdmin`; the event trail through the event
stream's operations."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent

from brain.dashboard import service
from brain.dashboard.access import Posted, SignedIn
from brain.dashboard.forms import FieldErrors
from brain.dashboard.rendering import Pager, View
from brain.dashboard.security import DashboardRoute
from brain.kernel.admin_contracts import GenerationRequest, ProgressView
from brain.kernel.errors import Conflict, ValidationFailed

router = APIRouter(include_in_schema=False, route_class=DashboardRoute)

PAGE_SIZE = 25
TRAIL_SIZE = 100
PROGRESS_POLL_SECONDS = 0.5
GENERATION_FIELDS = (
    "title",
    "description",
    "language",
    "target_audiences",
    "template_id",
    "full_lessons_count",
    "generate_quiz",
    "generate_landing_page",
    "deploy_to_staging",
    "dry_run",
)
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


@router.get("/admin/courses")
async def courses(
    view: SignedIn,
    workflow_state: Annotated[str | None, Query(max_length=20)] = None,
    generation_status: Annotated[str | None, Query(max_length=20)] = None,
    offset: Offset = 0,
) -> Response:
    principal = view.principal
    admin = view.deps.courses
    page = await admin.list(
        principal,
        workflow_state=workflow_state or None,
        generation_status=generation_status or None,
        offset=offset,
        limit=PAGE_SIZE,
    )
    counts = await admin.counts(principal)
    filters = {"workflow_state": workflow_state, "generation_status": generation_status}
    return view.render(
        "courses.html.j2",
        title=view.t["courses"],
        page=page,
        counts=counts,
        filters=filters,
        pager=Pager.of(page, "/admin/courses", filters, view.t["page_of"]),
    )


def _new_course_values() -> dict[str, object]:
    return {
        "title": "",
        "description": "",
        "language": "",
        "target_audiences": [],
        "template_id": "custom",
        "full_lessons_count": "3",
        "generate_quiz": True,
        "generate_landing_page": True,
        "deploy_to_staging": True,
        "dry_run": False,
    }


async def _new_course_page(
    view: View, values: dict[str, object], errors: FieldErrors | None = None
) -> Response:
    return view.render(
        "course_new.html.j2",
        title=view.t["new_course"],
        status=422 if errors else 200,
        options=await view.deps.courses.options(),
        values=values,
        errors=errors,
    )


@router.get("/admin/courses/new")
async def new_course(view: SignedIn) -> Response:
    return await _new_course_page(view, _new_course_values())


@router.post("/admin/courses/new")
async def create_course(posted: Posted) -> Response:
    view = posted.view
    values: dict[str, object] = {
        "title": posted.text("title"),
        "description": posted.text("description", strip=False),
        "language": posted.text("language"),
        "target_audiences": posted.texts("target_audiences"),
        "template_id": posted.text("template_id"),
        "full_lessons_count": posted.text("full_lessons_count"),
        "generate_quiz": posted.flag("generate_quiz"),
        "generate_landing_page": posted.flag("generate_landing_page"),
        "deploy_to_staging": posted.flag("deploy_to_staging"),
        "dry_run": posted.flag("dry_run"),
    }
    request = GenerationRequest(
        title=posted.text("title", strip=False),
        description=posted.text("description", strip=False),
        language=posted.text("language"),
        target_audiences=tuple(posted.texts("target_audiences")),
        template_id=posted.text("template_id"),
        full_lessons_count=posted.text("full_lessons_count"),
        generate_quiz=posted.flag("generate_quiz"),
        generate_landing_page=posted.flag("generate_landing_page"),
        deploy_to_staging=posted.flag("deploy_to_staging"),
        dry_run=posted.flag("dry_run"),
    )
    try:
        course_id = await view.deps.courses.request_generation(posted.operator.principal, request)
    except ValidationFailed as exc:
        return await _new_course_page(view, values, FieldErrors.of(exc, GENERATION_FIELDS))
    return view.redirect(f"/admin/courses/{course_id}", ok=view.t["generation_requested"])


@router.get("/admin/courses/{course_id}")
async def course(
    view: SignedIn,
    course_id: uuid.UUID,
    show: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    principal = view.principal
    admin = view.deps.courses
    detail = await admin.get(principal, course_id)
    trail = await view.deps.events.list_events(
        tenant_id=principal.tenant_id, aggregate_id=str(course_id), limit=TRAIL_SIZE
    )
    return view.render(
        "course.html.j2",
        title=detail.title,
        c=detail,
        outline=await admin.outline(principal, course_id),
        quiz=await admin.quiz(principal, course_id),
        landing=await admin.landing_page(principal, course_id),
        quiz_open=show == "quiz",
        actors=await service.actor_names(view.deps, principal),
        trail=[event for _, event, _ in trail.items],
        trail_more=trail.next_cursor is not None,
        distributions=(
            await view.deps.distributions.list(principal, course_id=course_id, limit=10)
        ).items,
        has_content=view.deps.content is not None,
        has_payments=view.deps.payments is not None,
    )


def _progress_data(progress: ProgressView, view: View) -> dict[str, object]:
    return {
        "status": progress.status,
        "percent": progress.percent,
        "lessons": view.t["lessons_done"].format(
            done=progress.lessons_done, total=progress.lessons_total
        ),
        "finished": progress.finished,
        "error": progress.error,
    }


async def current_progress(view: SignedIn, course_id: uuid.UUID) -> ProgressView:
    """Read before the stream starts, so an unknown course answers 404, not an empty stream."""
    return await view.deps.courses.progress(view.principal, course_id)


@router.get("/admin/courses/{course_id}/progress", response_class=EventSourceResponse)
async def progress(
    view: SignedIn,
    course_id: uuid.UUID,
    first: Annotated[ProgressView, Depends(current_progress)],
) -> AsyncIterator[ServerSentEvent]:
    """The generation's progress until it ends, polled on read sessions (a stream may last
    minutes and must not hold a transaction open)."""
    principal = view.principal
    current, last = first, None
    while True:
        if current != last:
            last = current
            yield ServerSentEvent(event="progress", data=_progress_data(current, view))
        if current.finished or await view.request.is_disconnected():
            return
        await asyncio.sleep(PROGRESS_POLL_SECONDS)
        current = await view.deps.courses.progress(principal, course_id)


@router.get("/admin/courses/{course_id}/evidence-pack")
async def evidence_pack(view: SignedIn, course_id: uuid.UUID) -> Response:
    pack = await view.deps.courses.evidence_pack(view.principal, course_id)
    return FileResponse(pack.path, media_type="application/zip", filename=pack.filename)


@router.post("/admin/courses/{course_id}/transitions")
async def transition(posted: Posted, course_id: uuid.UUID) -> Response:
    view, t = posted.view, posted.view.t
    back = f"/admin/courses/{course_id}"
    try:
        outcome = await view.deps.courses.transition(
            posted.operator.principal,
            course_id,
            posted.text("to_state"),
            posted.text("comment", strip=False),
        )
    except (Conflict, ValidationFailed) as exc:
        return view.redirect(back, error=exc.detail)
    if outcome.requires_approval:
        return view.redirect(back, ok=t["approval_requested"])
    return view.redirect(back, ok=t["transitioned"].format(state=outcome.workflow_state))


@router.post("/admin/courses/{course_id}/retry")
async def retry(posted: Posted, course_id: uuid.UUID) -> Response:
    view = posted.view
    try:
        await view.deps.courses.retry(posted.operator.principal, course_id)
    except Conflict as exc:
        return view.redirect(f"/admin/courses/{course_id}", error=exc.detail)
    return view.redirect(f"/admin/courses/{course_id}", ok=view.t["retried"])


@router.post("/admin/courses/{course_id}/cancel")
async def cancel(posted: Posted, course_id: uuid.UUID) -> Response:
    view = posted.view
    try:
        await view.deps.courses.cancel(posted.operator.principal, course_id)
    except Conflict as exc:
        return view.redirect(f"/admin/courses/{course_id}", error=exc.detail)
    return view.redirect(f"/admin/courses/{course_id}", ok=view.t["cancelled"])


@router.post("/admin/courses/{course_id}/quiz/{question_id}/regenerate")
async def regenerate_question(
    posted: Posted, course_id: uuid.UUID, question_id: uuid.UUID
) -> Response:
    view = posted.view
    back = f"/admin/courses/{course_id}?show=quiz#quiz"
    try:
        question = await view.deps.courses.regenerate_question(
            posted.operator.principal, course_id, question_id
        )
    except Conflict as exc:
        return view.redirect(back, error=exc.detail)
    return view.redirect(back, ok=view.t["question_regenerated"].format(n=question.position))


# -- a lesson --------------------------------------------------------------------------------


async def _lesson_page(
    view: View,
    course_id: uuid.UUID,
    lesson_id: uuid.UUID,
    *,
    title: str | None = None,
    markdown: str | None = None,
    preview: bool = False,
    errors: FieldErrors | None = None,
) -> Response:
    principal = view.principal
    lesson = await view.deps.courses.lesson(principal, course_id, lesson_id)
    course = await view.deps.courses.get(principal, course_id)
    return view.render(
        "lesson.html.j2",
        title=lesson.lesson.title,
        status=422 if errors else 200,
        c=course,
        lesson=lesson,
        draft_title=title if title is not None else lesson.lesson.title,
        draft_markdown=markdown if markdown is not None else (lesson.markdown or ""),
        preview=preview,
        errors=errors,
        actors=await service.actor_names(view.deps, principal),
    )


@router.get("/admin/courses/{course_id}/lessons/{lesson_id}")
async def lesson(view: SignedIn, course_id: uuid.UUID, lesson_id: uuid.UUID) -> Response:
    return await _lesson_page(view, course_id, lesson_id)


@router.post("/admin/courses/{course_id}/lessons/{lesson_id}")
async def edit_lesson(posted: Posted, course_id: uuid.UUID, lesson_id: uuid.UUID) -> Response:
    view = posted.view
    title = posted.text("title")
    markdown = posted.text("markdown", strip=False).replace("\r\n", "\n")
    if posted.text("action") == "preview":
        return await _lesson_page(
            view, course_id, lesson_id, title=title, markdown=markdown, preview=True
        )
    try:
        saved = await view.deps.courses.edit_lesson(
            posted.operator.principal, course_id, lesson_id, title=title, markdown=markdown
        )
    except ValidationFailed as exc:
        errors = FieldErrors.of(exc, ("title", "markdown"))
        return await _lesson_page(
            view, course_id, lesson_id, title=title, markdown=markdown, errors=errors
        )
    except Conflict as exc:
        return view.redirect(f"/admin/courses/{course_id}/lessons/{lesson_id}", error=exc.detail)
    return view.redirect(
        f"/admin/courses/{course_id}/lessons/{lesson_id}",
        ok=view.t["lesson_saved"].format(n=saved.lesson.revision),
    )


@router.post("/admin/courses/{course_id}/lessons/{lesson_id}/regenerate")
async def regenerate_lesson(posted: Posted, course_id: uuid.UUID, lesson_id: uuid.UUID) -> Response:
    view = posted.view
    back = f"/admin/courses/{course_id}/lessons/{lesson_id}"
    try:
        lesson = await view.deps.courses.regenerate_lesson(
            posted.operator.principal, course_id, lesson_id
        )
    except Conflict as exc:
        return view.redirect(back, error=exc.detail)
    return view.redirect(back, ok=view.t["lesson_regenerated"].format(n=lesson.lesson.revision))
