"""Small but valid course content for tests that render or pack it (no generator involved)."""

from __future__ import annotations

import uuid

from brain.course_factory.content import (
    Audience,
    CourseBrief,
    LandingPage,
    LandingSection,
    Language,
    LessonContent,
    LessonOutline,
    ModuleOutline,
    Outline,
    Quiz,
    QuizQuestion,
)

COURSE_ID = uuid.UUID("00000000-0000-4000-8000-000000000003")


def make_brief(language: Language = "en", title: str = "Budgeting for Beginners") -> CourseBrief:
    return CourseBrief(
        course_id=COURSE_ID,
        title=title,
        description="Plan a monthly budget & keep it.",
        language=language,
        target_audiences=[Audience.PRIVATE_INDIVIDUALS],
    )


def make_outline(modules: int = 4, lessons_per_module: int = 3) -> Outline:
    return Outline(
        modules=[
            ModuleOutline(
                title=f"Module {m + 1} title",
                summary=f"What module {m + 1} is about.",
                lessons=[
                    LessonOutline(
                        title=f"Lesson {m + 1}.{i + 1}",
                        summary=f"The summary of lesson {m + 1}.{i + 1}.",
                    )
                    for i in range(lessons_per_module)
                ],
            )
            for m in range(modules)
        ]
    )


def make_lesson(title: str, body: str = "") -> LessonContent:
    filler = " ".join(["A budget tells every euro where to go."] * 6)
    markdown = f"# {title}\n\n## Why it matters\n\n{body}\n\n{filler}\n\n## Summary\n\n- Plan.\n"
    return LessonContent(title=title, markdown=markdown)


def make_quiz(count: int = 10) -> Quiz:
    return Quiz(
        questions=[
            QuizQuestion(
                question=f"Question number {n + 1}: what is a budget?",
                options=["A plan for money", "A bank account", "A tax form"],
                correct_index=0,
                explanation=f"Explanation {n + 1}: a budget plans income and spending.",
            )
            for n in range(count)
        ]
    )


def make_landing() -> LandingPage:
    return LandingPage(
        sections=[
            LandingSection(kind="hero", heading="Master your money", body="Start today."),
            LandingSection(
                kind="benefits", heading="What you get", items=["Clarity", "Savings", "Calm"]
            ),
            LandingSection(kind="cta", heading="Ready?", body="Enrol now.\n\nIt is free."),
        ]
    )
