"""The learner view: `GET /learn/{slug}` renders a distributed course's lessons and quiz.

course_factory owns the content; which course a slug is, and whether visitors may see it (PUBLIC
or UNLISTED), it asks course_distribution through the `DistributionReader` contract. The page is
rendered on the server: every value escaped, lesson Markdown rendered as the staging site renders
it (no raw HTML, no script), no JavaScript. UNLISTED courses are `noindex`. Whether a request may
read the course is decided in one place, `may_read`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from brain.course_factory import content as c
from brain.course_factory.access import LearnerGate
from brain.course_factory.dependencies import Deps, FactoryDeps
from brain.course_factory.models import Course, Lesson, QuizQuestion
from brain.course_factory.repository import CourseRepository
from brain.course_factory.site import UI_STRINGS, lesson_html
from brain.kernel.contracts import DistributionView
from brain.kernel.templates import environment

router = APIRouter(include_in_schema=False)

NOT_FOUND = "This course does not exist or is not published."
PRICED = "This course is for buyers"
PRICED_TEXT = "Open your personal access link from your purchase to read it here."


@dataclass(frozen=True)
class Readable:
    """A course a visitor asked for, known to be distributed where visitors may see it."""

    distribution: DistributionView
    course: Course


class LearnerRefused(Exception):
    def __init__(
        self, status: int, message: str, text: str = "", *, back: str | None = None
    ) -> None:
        self.status = status
        self.message = message
        self.text = text
        self.back = back


async def may_read(request: Request, readable: Readable, gate: LearnerGate) -> bool:
    """Whether this request may see the course's content: a free course, to anyone; a priced
    one, to the holder of an active access grant's cookie (`access.LearnerGate`)."""
    return await gate.may_read(request, readable.distribution.tenant_id, readable.course.id)


async def readable_course(slug: str, request: Request, deps: Deps) -> Readable:
    """The course behind `slug`, visible and readable by this request, or a refusal (404 when
    it is not distributed to visitors, 403 when this request may not read it)."""
    view = await deps.distributions.by_slug(slug)
    if view is None or not view.visible:
        raise LearnerRefused(404, NOT_FOUND)
    async with deps.database.read_session() as session:
        course = await CourseRepository(session).get(view.course_id, tenant_id=view.tenant_id)
    if course is None:
        raise LearnerRefused(404, NOT_FOUND)
    readable = Readable(view, course)
    if not await may_read(request, readable, deps.gate):
        raise LearnerRefused(403, PRICED, PRICED_TEXT, back=f"/courses/{quote(slug)}")
    return readable


async def refusal_page(exc: LearnerRefused) -> HTMLResponse:
    back_label = "To the course page" if exc.back else None
    return message_page(
        exc.status, exc.message, text=exc.text, back=exc.back, back_label=back_label
    )


def message_page(
    status: int,
    message: str,
    *,
    lang: str = "en",
    text: str = "",
    back: str | None = None,
    back_label: str | None = None,
) -> HTMLResponse:
    """A short page that says why the learner view (or an access link) does not open."""
    body = _render(
        "message.html.j2",
        lang=lang,
        page_title=message,
        message=message,
        text=text,
        back=back,
        back_label=back_label,
    )
    headers = {"X-Robots-Tag": "noindex", "Cache-Control": "private, no-store"}
    return HTMLResponse(body, status_code=status, headers=headers)


@router.get("/learn/{slug}")
async def learn(request: Request, deps: Deps, slug: str) -> Response:
    try:
        readable = await readable_course(slug, request, deps)
    except LearnerRefused as exc:
        return await refusal_page(exc)
    return await _page(deps, readable)


async def _page(deps: FactoryDeps, readable: Readable) -> HTMLResponse:
    view, course = readable.distribution, readable.course
    async with deps.database.read_session() as session:
        repository = CourseRepository(session)
        modules = await repository.modules(course.id)
        lessons = await repository.lessons(course.id)
        quiz = await repository.quiz(course.id)
        questions = list(await repository.questions(quiz.id)) if quiz is not None else []
    language = course.language if course.language in UI_STRINGS else "en"
    canonical = f"{deps.public_url}/learn/{view.slug}"
    noindex = view.visibility == "UNLISTED"
    description = course.description or view.title
    structured = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": view.title,
        "description": description,
        "url": canonical,
        "inLanguage": language,
    }
    html = _render(
        "course.html.j2",
        lang=language,
        t=UI_STRINGS[language],
        page_title=view.title,
        description=description,
        canonical=canonical,
        noindex=noindex,
        og={"title": view.title, "description": description, "url": canonical},
        json_ld=_json_ld(structured),
        title=view.title,
        modules=[_module(m, [x for x in lessons if x.module_id == m.id]) for m in modules],
        questions=[_question(q) for q in questions],
        letters="ABCD",
    )
    headers = {"Cache-Control": "private, no-store"}
    if noindex:
        headers["X-Robots-Tag"] = "noindex"
    return HTMLResponse(html, headers=headers)


def _module(module: Any, lessons: list[Lesson]) -> dict[str, Any]:
    return {
        "title": module.title,
        "summary": module.summary,
        "lessons": [
            {
                "number": lesson.position,
                "title": lesson.title,
                "summary": lesson.summary,
                "body": lesson_html(
                    c.LessonContent.model_construct(title=lesson.title, markdown=lesson.markdown)
                )
                if lesson.markdown is not None
                else None,
            }
            for lesson in lessons
        ],
    }


def _question(question: QuizQuestion) -> dict[str, Any]:
    return {
        "question": question.question,
        "options": list(question.options),
        "correct_index": question.correct_index,
        "explanation": question.explanation,
    }


def _json_ld(data: dict[str, Any]) -> Markup:
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 (JSON with every markup character escaped)


def _render(template: str, **context: Any) -> str:
    return (
        environment("brain.course_factory", "templates/learn")
        .get_template(template)
        .render(**context)
    )
