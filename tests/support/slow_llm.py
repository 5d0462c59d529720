"""A slow OpenAI-compatible endpoint that answers with template-generated content, so that a
generation takes long enough to be interrupted (killed, cancelled) halfway."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from brain.course_factory.content import Audience, CourseBrief
from brain.course_factory.generators import TemplateGenerator
from tests.support.fake_llm import FakeLlm, Reply, completion

FULL_LESSONS = 8
LESSON_DELAY = 0.4


async def template_answers() -> dict[str, str]:
    """Valid JSON for each kind of content, made by the template generator."""
    generator = TemplateGenerator()
    brief = CourseBrief(
        course_id=uuid.uuid4(),
        title="Crash-proof course",
        language="en",
        target_audiences=[Audience.EMPLOYEES],
        template_id="custom",
        full_lessons_count=FULL_LESSONS,
    )
    outline = (await generator.outline(brief)).value
    lesson = (await generator.lesson(brief, outline, 0, 0)).value
    quiz = (await generator.quiz(brief, outline)).value
    question = (await generator.quiz_question(brief, outline, 0)).value
    landing = (await generator.landing_page(brief, outline)).value
    return {
        '"title":"Outline"': outline.model_dump_json(),
        '"title":"LessonContent"': lesson.model_dump_json(),
        '"title":"Quiz"': quiz.model_dump_json(),
        '"title":"QuizQuestion"': question.model_dump_json(),
        '"title":"LandingPage"': landing.model_dump_json(),
    }


@pytest.fixture
async def slow_llm() -> AsyncIterator[FakeLlm]:
    answers = await template_answers()
    server = FakeLlm()

    def respond(body: dict[str, Any]) -> Reply:
        system = body["messages"][0]["content"]
        for marker, content in answers.items():
            if marker in system:
                reply = completion(json.loads(content))
                reply.delay = LESSON_DELAY if marker == '"title":"LessonContent"' else 0.05
                return reply
        return Reply(400, {"error": {"message": "unknown schema"}})

    server.respond = respond
    await server.start()
    yield server
    await server.stop()
