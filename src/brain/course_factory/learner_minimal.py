"""A minimal learner view, `GET /learn/{slug}`: every lesson and the quiz of a published course
on one server-rendered page (escaped; lesson Markdown without raw HTML, as on the staging site).

It exists so the purchase flow of priced courses works end to end; the full learner view for free
and priced courses replaces this file and keeps its one rule: a priced course is shown only to a
request that `LearnerGate.may_read` admits (the cookie of an active access grant). PRIVATE
distributions answer 404, UNLISTED ones are `noindex`.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from brain.course_factory import content as c
from brain.course_factory.access_pages import learner_page, learner_strings, message_page
from brain.course_factory.dependencies import Deps
from brain.course_factory.repository import CourseRepository
from brain.course_factory.site import OPTION_LETTERS, _lesson_html
from brain.kernel.db import Database

router = APIRouter(include_in_schema=False)


async def _content(database: Database, course_id: uuid.UUID) -> dict[str, Any] | None:
    async with database.read_session() as session:
        courses = CourseRepository(session)
        course = await courses.get(course_id)
        if course is None:
            return None
        modules = await courses.modules(course_id)
        lessons = await courses.lessons(course_id)
        quiz = await courses.quiz(course_id)
        questions = list(await courses.questions(quiz.id)) if quiz is not None else []
    by_module: list[dict[str, Any]] = [
        {"number": m.position, "title": m.title, "id": m.id, "lessons": []} for m in modules
    ]
    index = {m["id"]: m for m in by_module}
    for lesson in lessons:
        body = None
        if lesson.markdown is not None:
            body = _lesson_html(
                c.LessonContent.model_construct(title=lesson.title, markdown=lesson.markdown)
            )
        module = index.get(lesson.module_id)
        if module is not None:
            module["lessons"].append(
                {
                    "number": lesson.position,
                    "title": lesson.title,
                    "summary": lesson.summary,
                    "body": body,
                }
            )
    return {
        "title": course.title,
        "description": course.description,
        "modules": by_module,
        "questions": questions,
    }


@router.get("/learn/{slug}")
async def learner_view(request: Request, deps: Deps, slug: str) -> Response:
    view = await deps.distributions.by_slug(slug)
    if view is None or not view.visible:
        return message_page("en", "missing", 404)
    course_page = f"/courses/{quote(view.slug)}"
    if not await deps.gate.may_read(request, view.tenant_id, view.course_id):
        return message_page(view.language, "locked", 403, back=course_page)
    found = await _content(deps.database, view.course_id)
    if found is None:
        return message_page(view.language, "missing", 404)
    t = learner_strings(view.language)
    priced = await deps.gate.is_priced(view.tenant_id, view.course_id)
    return learner_page(
        "course.html.j2",
        noindex=priced or view.visibility != "PUBLIC",
        cache_control="private, no-store" if priced else "no-cache",
        lang=view.language,
        t=t,
        page_title=found["title"],
        heading_link=t["all_courses"],
        letters=OPTION_LETTERS,
        **found,
    )
