"""The offline template generator: valid, complete, deterministic content in four languages."""

from __future__ import annotations

import re
import string
import uuid

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from brain.course_factory.content import (
    LANGUAGES,
    Audience,
    ContentGenerator,
    CourseBrief,
    GenerationError,
    LandingPage,
    Language,
    LessonContent,
    Outline,
    Quiz,
)
from brain.course_factory.generators import TEMPLATE_IDS, TemplateGenerator
from brain.course_factory.generators.texts import PACKS, CourseTexts
from tests.support.course_samples import make_outline

GENERATOR = TemplateGenerator()
_CONFORMS: ContentGenerator = GENERATOR  # the Protocol, checked by type checkers

SUMMARY_HEADINGS: dict[str, str] = {
    "en": "## Summary",
    "de": "## Zusammenfassung",
    "fr": "## Résumé",
    "es": "## Resumen",
}
# Words frequent in one language and rare or absent in the three others.
MARKER_WORDS: dict[str, set[str]] = {
    "en": {"the", "and", "you", "your", "with", "this", "what", "of"},
    "de": {"der", "die", "und", "Sie", "Ihr", "Ihre", "nicht", "mit", "ist", "eine", "das"},
    "fr": {"les", "vous", "votre", "est", "une", "pour", "avec", "dans", "et", "des"},
    "es": {"los", "las", "su", "una", "para", "con", "del", "cada", "y", "lo"},
}
AUDIENCE_SETS = [
    [Audience.PRIVATE_INDIVIDUALS],
    [Audience.SELF_EMPLOYED, Audience.SMALL_BUSINESSES],
    [Audience.STUDENTS, Audience.RETIREES, Audience.EMPLOYEES, Audience.PUBLIC_SECTOR],
]

titles = st.text(min_size=3, max_size=200)
descriptions = st.text(max_size=500)
audience_sets = st.lists(st.sampled_from(list(Audience)), min_size=1, max_size=7, unique=True)


def brief(
    language: Language = "en",
    template_id: str = "custom",
    title: str = "Sourdough baking at home",
    description: str = "Bake good bread with little equipment.",
    audiences: list[Audience] | None = None,
    course_id: uuid.UUID | None = None,
) -> CourseBrief:
    return CourseBrief(
        course_id=course_id or uuid.UUID("7a3c1f9e-0000-4000-8000-000000000001"),
        title=title,
        description=description,
        language=language,
        target_audiences=audiences or [Audience.PRIVATE_INDIVIDUALS],
        template_id=template_id,
    )


def plain(text: str) -> str:
    return " ".join(text.split())


async def whole_course(
    course: CourseBrief,
) -> tuple[Outline, list[LessonContent], Quiz, LandingPage]:
    outline = (await GENERATOR.outline(course)).value
    lessons = [
        (await GENERATOR.lesson(course, outline, m, i)).value for m, i in outline.lesson_positions()
    ]
    quiz = (await GENERATOR.quiz(course, outline)).value
    landing = (await GENERATOR.landing_page(course, outline)).value
    return outline, lessons, quiz, landing


def marker_counts(markdown: str) -> dict[str, int]:
    words = re.findall(r"[^\W\d_]+", markdown)
    return {
        language: sum(word in markers for word in words)
        for language, markers in MARKER_WORDS.items()
    }


def assert_complete(course: CourseBrief, outline: Outline, lessons, quiz: Quiz, page) -> None:
    # Revalidate from plain JSON: what a store or an API round trip would see.
    Outline.model_validate_json(outline.model_dump_json())
    Quiz.model_validate_json(quiz.model_dump_json())
    LandingPage.model_validate_json(page.model_dump_json())
    assert 4 <= len(outline.modules) <= 6
    assert 12 <= outline.total_lessons <= 30
    assert len(lessons) == outline.total_lessons
    language = course.language
    for (m, i), lesson in zip(outline.lesson_positions(), lessons, strict=True):
        LessonContent.model_validate_json(lesson.model_dump_json())
        markdown = lesson.markdown
        assert lesson.title == outline.modules[m].lessons[i].title
        assert markdown.startswith(f"# {plain(lesson.title)}\n")
        assert markdown.count("\n## ") >= 5
        assert "\n- " in markdown  # a bullet list
        assert SUMMARY_HEADINGS[language] in markdown
        for other, heading in SUMMARY_HEADINGS.items():
            if other != language:
                assert f"{heading}\n" not in markdown
        counts = marker_counts(markdown)
        assert counts[language] >= 20, counts
        assert all(counts[other] * 3 < counts[language] for other in counts if other != language)
    assert 10 <= len(quiz.questions) <= 15
    assert len({q.correct_index for q in quiz.questions}) > 1
    for question in quiz.questions:
        assert 3 <= len(question.options) <= 4
        assert len(set(question.options)) == len(question.options)
    kinds = [section.kind for section in page.sections]
    assert kinds == ["hero", "benefits", "audience", "curriculum", "faq", "cta"]
    assert not page.has_pricing
    curriculum = page.sections[kinds.index("curriculum")]
    assert len(curriculum.items) == len(outline.modules)
    audience = page.sections[kinds.index("audience")]
    assert len(audience.items) == len(set(course.target_audiences))


@pytest.mark.parametrize("audiences", AUDIENCE_SETS, ids=["one", "two", "four"])
@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_language_and_template_gives_a_complete_valid_course(
    language: Language, template_id: str, audiences: list[Audience]
) -> None:
    course = brief(language, template_id, audiences=audiences)
    first = await whole_course(course)
    assert_complete(course, *first)
    assert await whole_course(course) == first  # deterministic
    # Every example features a persona of the brief's audiences.
    words = PACKS[language].words
    headings = {
        "## " + words.example_heading.format(name=PACKS[language].personas[a].name)
        for a in audiences
    }
    for lesson in first[1]:
        assert any(f"\n{heading}\n" in lesson.markdown for heading in headings)


@settings(max_examples=30, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    template_id=st.sampled_from(TEMPLATE_IDS),
    title=titles,
    description=descriptions,
    audiences=audience_sets,
    course_id=st.uuids(),
)
async def test_any_title_description_and_audiences_give_valid_deterministic_content(
    language: Language,
    template_id: str,
    title: str,
    description: str,
    audiences: list[Audience],
    course_id: uuid.UUID,
) -> None:
    course = brief(language, template_id, title, description, audiences, course_id)
    first = await whole_course(course)
    assert_complete(course, *first)
    assert await whole_course(course) == first


@settings(max_examples=30, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    template_id=st.sampled_from(TEMPLATE_IDS),
    first=titles,
    second=titles,
)
async def test_different_titles_give_different_outlines(
    language: Language, template_id: str, first: str, second: str
) -> None:
    assume(plain(first) != plain(second))
    one = (await GENERATOR.outline(brief(language, template_id, first))).value
    two = (await GENERATOR.outline(brief(language, template_id, second))).value
    assert one != two


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
async def test_structure_varies_between_courses_within_the_range(template_id: str) -> None:
    modules, lessons = set(), set()
    for n in range(40):
        course = brief("en", template_id, course_id=uuid.UUID(int=n))
        outline = (await GENERATOR.outline(course)).value
        modules.add(len(outline.modules))
        lessons.add(outline.total_lessons)
    assert modules == {4, 5, 6}
    assert len(lessons) >= 6
    assert all(12 <= total <= 30 for total in lessons)


async def test_a_translation_keeps_the_structure_and_changes_the_words() -> None:
    outlines = {
        language: (await GENERATOR.outline(brief(language, "banking_alternatives"))).value
        for language in LANGUAGES
    }
    shapes = {tuple(len(m.lessons) for m in outline.modules) for outline in outlines.values()}
    assert len(shapes) == 1
    assert len({outline.modules[1].title for outline in outlines.values()}) == 4


async def test_the_course_title_is_woven_into_the_custom_outline() -> None:
    outline = (await GENERATOR.outline(brief("de", "custom", "Gemüse im Balkonkasten"))).value
    titles_ = [lesson.title for module in outline.modules for lesson in module.lessons]
    assert sum("„Gemüse im Balkonkasten“" in title for title in titles_) >= 4
    assert "Gemüse im Balkonkasten" in outline.modules[0].title


async def test_quotes_inside_quoted_titles_become_inner_quotes() -> None:
    course = brief("de", "custom", "Gemüse im Balkonkasten")
    outline = (await GENERATOR.outline(course)).value
    markdown = (await GENERATOR.lesson(course, outline, 0, 0)).value.markdown
    assert "Modul „Grundlagen: \u201aGemüse im Balkonkasten\u2018“ des Kurses" in markdown
    assert "„„" not in markdown and "““" not in markdown


async def test_a_long_title_is_shortened_in_lesson_titles() -> None:
    title = " ".join(["Budgetplanung"] * 14)  # 195 characters
    outline = (await GENERATOR.outline(brief("de", "custom", title))).value
    assert all(len(lesson.title) <= 120 for m in outline.modules for lesson in m.lessons)
    assert title in outline.modules[0].summary


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
async def test_quiz_question_i_is_question_i_of_the_quiz(
    language: Language, template_id: str
) -> None:
    course = brief(language, template_id)
    outline = (await GENERATOR.outline(course)).value
    quiz = (await GENERATOR.quiz(course, outline)).value
    for index, question in enumerate(quiz.questions):
        assert (await GENERATOR.quiz_question(course, outline, index)).value == question
    beyond = [(await GENERATOR.quiz_question(course, outline, i)).value for i in range(15, 80)]
    assert all(3 <= len(q.options) <= 4 for q in beyond)
    with pytest.raises(GenerationError) as raised:
        await GENERATOR.quiz_question(course, outline, -1)
    assert raised.value.retryable is False


async def test_banking_quiz_asks_knowledge_questions_about_the_lessons() -> None:
    course = brief("en", "banking_alternatives")
    outline = (await GENERATOR.outline(course)).value
    quiz = (await GENERATOR.quiz(course, outline)).value
    texts = " ".join(q.question for q in quiz.questions)
    assert "deposit guarantee" in texts or "IBAN" in texts or "owns" in texts
    assert any("lesson" in q.question for q in quiz.questions)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_lessons_of_an_outline_written_elsewhere_are_complete_too(language: Language) -> None:
    course = brief(language, "custom")
    outline = make_outline(modules=4, lessons_per_module=3)
    for m, i in outline.lesson_positions():
        lesson = (await GENERATOR.lesson(course, outline, m, i)).value
        assert SUMMARY_HEADINGS[language] in lesson.markdown
        assert outline.modules[m].lessons[i].summary in lesson.markdown
    quiz = (await GENERATOR.quiz(course, outline)).value
    assert 10 <= len(quiz.questions) <= 15
    await GENERATOR.landing_page(course, outline)


@pytest.mark.parametrize(("module_index", "lesson_index"), [(-1, 0), (9, 0), (0, 99), (0, -1)])
async def test_a_lesson_outside_the_outline_is_a_permanent_error(
    module_index: int, lesson_index: int
) -> None:
    course = brief()
    outline = (await GENERATOR.outline(course)).value
    with pytest.raises(GenerationError) as raised:
        await GENERATOR.lesson(course, outline, module_index, lesson_index)
    assert raised.value.retryable is False


async def test_an_unknown_template_is_a_permanent_error() -> None:
    assert GENERATOR.knows_template("banking_alternatives")
    assert GENERATOR.knows_template("custom")
    assert not GENERATOR.knows_template("astrology")
    course = brief(template_id="astrology")
    outline = (await GENERATOR.outline(brief())).value
    calls = [
        GENERATOR.outline(course),
        GENERATOR.lesson(course, outline, 0, 0),
        GENERATOR.quiz(course, outline),
        GENERATOR.quiz_question(course, outline, 0),
        GENERATOR.landing_page(course, outline),
    ]
    for call in calls:
        with pytest.raises(GenerationError, match="astrology") as raised:
            await call
        assert raised.value.retryable is False


async def test_the_template_generator_spends_no_tokens() -> None:
    generated = await GENERATOR.outline(brief())
    assert (generated.usage.prompt_tokens, generated.usage.completion_tokens) == (0, 0)
    assert (GENERATOR.name, GENERATOR.version) == ("template", "1.0.0")


# --- the language packs ------------------------------------------------------------------------


def pack_strings(texts: CourseTexts) -> list[str]:
    found = [texts.tagline, *texts.benefits, *texts.audience_tips.values()]
    found += [text for pair in texts.faq for text in pair]
    found += [text for pair in texts.merged.values() for text in pair]
    for module in texts.modules:
        found += [module.title, module.summary, *module.background, *module.checklist]
        found.append(module.example)
        for lesson in module.lessons:
            found += [lesson.title, lesson.summary, lesson.focus]
    for fact in texts.facts:
        found += [fact.question, fact.correct, *fact.wrong, fact.explanation]
    return found


def test_the_language_packs_are_parallel() -> None:
    english = PACKS["en"]
    for language in LANGUAGES:
        pack = PACKS[language]
        assert pack.words.code == language
        assert set(pack.audiences) == set(pack.personas) == set(Audience)
        for name in ("banking", "custom"):
            mine, theirs = getattr(pack, name), getattr(english, name)
            assert [m.key for m in mine.modules] == [m.key for m in theirs.modules]
            assert [len(m.lessons) for m in mine.modules] == [5] * len(mine.modules)
            assert [len(m.checklist) for m in mine.modules] == [4] * len(mine.modules)
            assert set(mine.merged) == set(theirs.merged)
            assert set(mine.audience_tips) == set(Audience)
            assert [(f.module, f.lesson, len(f.wrong)) for f in mine.facts] == [
                (f.module, f.lesson, len(f.wrong)) for f in theirs.facts
            ]
            assert len(mine.benefits) == len(theirs.benefits)
            assert len(mine.faq) == len(theirs.faq)
            titles_ = [lesson.title for m in mine.modules for lesson in m.lessons]
            assert len(set(titles_)) == len(titles_)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_fills_its_placeholders(language: Language) -> None:
    pack = PACKS[language]
    values = {
        "course": "C",
        "short": "S",
        "audiences": "A",
        "name": "N",
        "who": "W",
    }
    allowed = set(values)
    for texts in (pack.banking, pack.custom):
        for text in pack_strings(texts):
            fields = {field for _, field, _, _ in string.Formatter().parse(text) if field}
            assert fields <= allowed, (text, fields - allowed)
            filled = text.format_map(values)
            assert "{" not in filled and "}" not in filled
            assert filled == filled.strip() and "  " not in filled, text
    for fact in pack.banking.facts:
        assert fact.correct not in fact.wrong
        assert len(set(fact.wrong)) == len(fact.wrong)
