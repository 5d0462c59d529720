"""The offline template generator: complete, readable course content without any network.

`TemplateGenerator` is the default content generator. It writes real text in German, English,
French and Spanish from the language packs in `generators.texts` and needs nothing but the brief.

Templates (`template_id`):

- `banking_alternatives`: a course on alternatives to traditional banks (fees, neobanks and
  payment apps, credit unions, cooperative and ethical banks, online brokers, deposit protection
  and security, switching accounts safely);
- `custom`: a generic course driven by the brief's title, description and audiences (foundations,
  core concepts, practice, pitfalls, applying it, next steps), with the course title woven into
  module and lesson titles.

An unknown template is a `GenerationError(retryable=False)`.

Determinism: the same brief always gives the same content. Every choice that varies between
courses (4 to 6 modules, 3 to 7 lessons per module, 12 to 30 in all, the persona of each example,
quiz length and order, the position of each correct answer) is derived from a SHA-256 hash of the
course id and the title; nothing depends on randomness, the clock or the environment. Different
titles give different outlines (the title appears in the outline). All four languages share the
structure: a course translated by changing only `language` has the same modules and lessons.

Lessons work for any outline: a lesson whose title is one of the template's own gets its own
explanation, background, worked example and checklist; a lesson from an outline written elsewhere
(an edited outline, another generator) gets a generic but complete lesson built from its outline
title and summary. Every lesson has a `#` title, an introduction, `##` sections with explanations,
a worked example featuring a persona from one of the brief's audiences, bullet lists (checklist and
tips per audience) and a closing summary section in the brief's language.

Quiz: 10 to 15 questions about the outline's lessons: knowledge questions tied to the lessons
present in the outline (banking template), "which statement describes lesson X" (options are
lesson summaries) and "which module contains lesson X". The correct position rotates from one
question to the next. `quiz_question(i)` returns exactly `quiz().questions[i]` for every `i` below
the quiz length; beyond it the candidate questions repeat with the correct answer at a different
position, so the pipeline can ask for a replacement question at any index.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, TypeVar

from brain.course_factory.content import (
    Audience,
    CourseBrief,
    Generated,
    GenerationError,
    LandingPage,
    LandingSection,
    LessonContent,
    LessonOutline,
    ModuleOutline,
    Outline,
    Quiz,
    QuizQuestion,
)
from brain.course_factory.generators.texts import (
    PACKS,
    CourseTexts,
    Fact,
    LanguagePack,
    LessonText,
    ModuleText,
    Words,
)

TEMPLATE_IDS: tuple[str, ...] = ("banking_alternatives", "custom")

_SHORT_TITLE = 80

# Modules per module count; a tuple of two keys is one module joining both (texts.merged).
_PLANS: dict[str, dict[int, tuple[tuple[str, ...], ...]]] = {
    "banking_alternatives": {
        4: (("fees",), ("digital", "brokers"), ("community",), ("safety", "switching")),
        5: (("fees",), ("digital",), ("community",), ("brokers",), ("safety", "switching")),
        6: (("fees",), ("digital",), ("community",), ("brokers",), ("safety",), ("switching",)),
    },
    "custom": {
        4: (("foundations",), ("core",), ("practice",), ("applying",)),
        5: (("foundations",), ("core",), ("practice",), ("pitfalls",), ("applying",)),
        6: (
            ("foundations",),
            ("core",),
            ("practice",),
            ("pitfalls",),
            ("applying",),
            ("next",),
        ),
    },
}
# Lessons per module: a single module 3 to 5, a joined one 4 to 7. With 4 to 6 modules this keeps
# every outline within 12 to 30 lessons.
_SINGLE_LESSONS = (3, 5)
_JOINED_LESSONS = (4, 7)

_T = TypeVar("_T")


def _number(*parts: object) -> int:
    """A stable 64-bit number from `parts` (the same on every machine and run)."""
    digest = hashlib.sha256(
        "\x1f".join(str(part) for part in parts).encode("utf-8", "surrogatepass")
    ).digest()
    return int.from_bytes(digest[:8], "big")


def _ordered(seed: str, label: str, items: list[_T]) -> list[_T]:
    """`items` in an order derived from the seed (a deterministic shuffle)."""
    return [item for _, item in sorted(enumerate(items), key=lambda p: _number(seed, label, p[0]))]


def _plain(text: str) -> str:
    """`text` on one line with single spaces (titles go into headings and sentences)."""
    return " ".join(text.split())


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def _sentence(text: str) -> str:
    """`text` ending with sentence punctuation, so that another sentence can follow."""
    text = _plain(text)
    if not text or text[-1] in ".!?…»“”\"'":
        return text
    return text + "."


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class _Entry:
    """A lesson of the template: its module's texts and its own."""

    module: ModuleText
    lesson: LessonText
    module_key: str
    lesson_index: int


@dataclass(frozen=True)
class _Candidate:
    kind: Literal["fact", "lesson", "module"]
    fact: Fact | None = None
    position: tuple[int, int] = (0, 0)


class _Course:
    """One brief resolved against its language pack: the values every text is filled with."""

    def __init__(self, brief: CourseBrief) -> None:
        if brief.template_id not in TEMPLATE_IDS:
            known = ", ".join(TEMPLATE_IDS)
            raise GenerationError(
                f"unknown template {brief.template_id!r} (known: {known})", retryable=False
            )
        self.brief = brief
        self.pack: LanguagePack = PACKS[brief.language]
        self.words: Words = self.pack.words
        self.texts: CourseTexts = (
            self.pack.banking if brief.template_id == "banking_alternatives" else self.pack.custom
        )
        title = _plain(brief.title)
        self.title = title if len(title) >= 3 else _plain(f"{title} {self.words.untitled}")
        self.short = _clip(self.title, _SHORT_TITLE)
        self.description = _plain(brief.description)
        self.audiences: list[Audience] = list(dict.fromkeys(brief.target_audiences))
        self.seed = f"{brief.course_id}\x1f{title}"
        self.values = {
            "course": self.title,
            "short": self.short,
            "audiences": self.join([self.pack.audiences[a] for a in self.audiences]),
        }

    def fill(self, text: str, **extra: str) -> str:
        return text.format_map({**self.values, **extra})

    def quote(self, text: str) -> str:
        """`text` in quotation marks; quotation marks inside it become inner ones."""
        words = self.words
        text = _plain(text)
        for outer, inner in ((words.lq, words.inner_lq), (words.rq, words.inner_rq)):
            text = text.replace(outer, inner).replace(outer.strip(), inner)
        return f"{words.lq}{text}{words.rq}"

    def join(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.words.and_} {items[-1]}"

    def number(self, *parts: object) -> int:
        return _number(self.seed, *parts)

    @cached_property
    def catalogue(self) -> dict[str, _Entry]:
        """The template's lessons by their (filled) title in this course."""
        entries: dict[str, _Entry] = {}
        for module in self.texts.modules:
            for index, lesson in enumerate(module.lessons):
                entries[self.fill(lesson.title)] = _Entry(module, lesson, module.key, index)
        return entries


class TemplateGenerator:
    """Offline, deterministic content in de/en/fr/es for the `banking_alternatives` and `custom`
    templates (see the module documentation)."""

    name: str = "template"
    version: str = "1.0.0"

    def knows_template(self, template_id: str) -> bool:
        return template_id in TEMPLATE_IDS

    async def outline(self, brief: CourseBrief) -> Generated[Outline]:
        return Generated[Outline](value=self._outline(_Course(brief)))

    async def lesson(
        self, brief: CourseBrief, outline: Outline, module_index: int, lesson_index: int
    ) -> Generated[LessonContent]:
        course = _Course(brief)
        return Generated[LessonContent](
            value=self._lesson(course, outline, module_index, lesson_index)
        )

    async def quiz(self, brief: CourseBrief, outline: Outline) -> Generated[Quiz]:
        course = _Course(brief)
        candidates = self._candidates(course, outline)
        count = min(10 + course.number("quiz length") % 6, len(candidates))
        questions = [self._question(course, outline, candidates, i) for i in range(count)]
        return Generated[Quiz](value=Quiz(questions=questions))

    async def quiz_question(
        self, brief: CourseBrief, outline: Outline, question_index: int
    ) -> Generated[QuizQuestion]:
        if question_index < 0:
            raise GenerationError(
                f"question_index must be 0 or more, got {question_index}", retryable=False
            )
        course = _Course(brief)
        candidates = self._candidates(course, outline)
        return Generated[QuizQuestion](
            value=self._question(course, outline, candidates, question_index)
        )

    async def landing_page(self, brief: CourseBrief, outline: Outline) -> Generated[LandingPage]:
        return Generated[LandingPage](value=self._landing_page(_Course(brief), outline))

    # --- outline -------------------------------------------------------------------------------

    def _outline(self, course: _Course) -> Outline:
        module_count = 4 + course.number("modules") % 3
        plan = _PLANS[course.brief.template_id][module_count]
        modules = []
        for index, keys in enumerate(plan):
            parts = [course.texts.module(key) for key in keys]
            low, high = _SINGLE_LESSONS if len(parts) == 1 else _JOINED_LESSONS
            count = low + course.number("lessons", index) % (high - low + 1)
            if len(parts) == 1:
                title, summary = parts[0].title, parts[0].summary
                lessons = list(parts[0].lessons[:count])
            else:
                title, summary = course.texts.merged["+".join(keys)]
                first = (count + 1) // 2
                lessons = list(parts[0].lessons[:first]) + list(parts[1].lessons[: count - first])
            modules.append(
                ModuleOutline(
                    title=course.fill(title),
                    summary=course.fill(summary),
                    lessons=[
                        LessonOutline(
                            title=course.fill(lesson.title), summary=course.fill(lesson.summary)
                        )
                        for lesson in lessons
                    ],
                )
            )
        return Outline(modules=modules)

    # --- lessons -------------------------------------------------------------------------------

    def _lesson(
        self, course: _Course, outline: Outline, module_index: int, lesson_index: int
    ) -> LessonContent:
        module, lesson = _lesson_at(outline, module_index, lesson_index)
        words = course.words
        audience = course.audiences[
            course.number("persona", module_index, lesson_index) % len(course.audiences)
        ]
        persona = course.pack.personas[audience]
        entry = course.catalogue.get(lesson.title)
        summary = _sentence(lesson.summary)

        if entry is not None:
            focus = course.fill(entry.lesson.focus)
            background = [course.fill(text) for text in entry.module.background]
            checklist = [course.fill(text) for text in entry.module.checklist]
            example = course.fill(entry.module.example, name=persona.name, who=persona.who)
        else:
            focus = words.key_fallback.format(summary=summary)
            background = [
                words.background_fallback[0].format(
                    module=course.quote(module.title), module_summary=_sentence(module.summary)
                ),
                *words.background_fallback[1:],
            ]
            checklist = list(words.checklist_fallback)
            example = words.example_fallback.format(
                name=persona.name, who=persona.who, lesson=course.quote(lesson.title)
            )
        if course.brief.template_id == "custom" and course.description:
            background.append(f"> {words.description_label} {course.description}")

        intro = words.intro.format(
            module=course.quote(module.title), course=course.quote(course.title), summary=summary
        )
        intro += " " + words.audience_line.format(audiences=course.values["audiences"])
        tips = [
            f"- **{_capitalised(course.pack.audiences[a])}{words.colon}** "
            + course.fill(course.texts.audience_tips[a])
            for a in course.audiences
        ]
        step = checklist[0].rstrip(".")
        if words.lowercase_step:
            step = step[:1].lower() + step[1:]
        closing = words.summary_text.format(summary=summary, step=step)
        closing += " " + _what_comes_next(course, outline, module_index, lesson_index)

        parts = [
            f"# {_plain(lesson.title)}",
            intro,
            f"## {words.key_heading}",
            focus,
            f"## {words.background_heading}",
            *background,
            "## " + words.example_heading.format(name=persona.name),
            example,
            f"## {words.checklist_heading}",
            "\n".join(f"- {item}" for item in checklist),
            f"## {words.tips_heading}",
            "\n".join(tips),
            f"## {words.summary_heading}",
            closing,
        ]
        return LessonContent(title=lesson.title, markdown="\n\n".join(parts) + "\n")

    # --- quiz ----------------------------------------------------------------------------------

    def _candidates(self, course: _Course, outline: Outline) -> list[_Candidate]:
        """Every question the quiz can ask, in this course's order: two knowledge questions, then
        one about the outline, while knowledge questions last; then the outline questions."""
        present = {
            (entry.module_key, entry.lesson_index)
            for module in outline.modules
            for lesson in module.lessons
            if (entry := course.catalogue.get(lesson.title)) is not None
        }
        facts = [
            _Candidate("fact", fact=fact)
            for fact in course.texts.facts
            if (fact.module, fact.lesson) in present
        ]
        facts = _ordered(course.seed, "facts", facts)
        positions = _ordered(course.seed, "positions", outline.lesson_positions())
        about_outline = [
            _Candidate("lesson" if (j + round_) % 2 == 0 else "module", position=position)
            for round_ in (0, 1)
            for j, position in enumerate(positions)
        ]
        candidates: list[_Candidate] = []
        while facts:
            candidates.extend(facts[:2])
            del facts[:2]
            if about_outline:
                candidates.append(about_outline.pop(0))
        return candidates + about_outline

    def _question(
        self, course: _Course, outline: Outline, candidates: list[_Candidate], index: int
    ) -> QuizQuestion:
        candidate = candidates[index % len(candidates)]
        words = course.words
        if candidate.kind == "fact" and candidate.fact is not None:
            fact = candidate.fact
            wrong = [_clip(option, 300) for option in fact.wrong[:3]]
            return _arrange(
                fact.question,
                _clip(fact.correct, 300),
                wrong,
                fact.explanation,
                course.number("correct") + index,
            )
        m, i = candidate.position
        module = outline.modules[m]
        lesson = module.lessons[i]
        title = course.quote(lesson.title)
        if candidate.kind == "lesson":
            correct = _clip(_plain(lesson.summary), 300)
            others = [
                _clip(_plain(outline.modules[om].lessons[oi].summary), 300)
                for om, oi in _ordered(
                    course.seed, f"distractors {index}", outline.lesson_positions()
                )
                if (om, oi) != (m, i)
            ]
            wrong = list(dict.fromkeys(o for o in others if o != correct))[:3]
            if len(wrong) >= 2:
                return _arrange(
                    words.lesson_question.format(title=title),
                    correct,
                    wrong,
                    words.lesson_explanation.format(
                        title=title, module=course.quote(module.title), summary=correct
                    ),
                    course.number("correct") + index,
                )
        option = [
            _clip(words.module_option.format(number=n + 1, title=_plain(mod.title)), 300)
            for n, mod in enumerate(outline.modules)
        ]
        wrong = [
            option[n]
            for n in _ordered(course.seed, f"modules {index}", list(range(len(option))))
            if n != m
        ][:3]
        return _arrange(
            words.module_question.format(title=title),
            option[m],
            wrong,
            words.module_explanation.format(
                title=title,
                lesson_number=i + 1,
                number=m + 1,
                module=course.quote(module.title),
            ),
            course.number("correct") + index,
        )

    # --- landing page --------------------------------------------------------------------------

    def _landing_page(self, course: _Course, outline: Outline) -> LandingPage:
        words = course.words
        totals = {"modules": str(len(outline.modules)), "lessons": str(outline.total_lessons)}
        tagline = course.fill(course.texts.tagline)
        hero_body = f"{course.description}\n\n{tagline}" if course.description else tagline
        faq = [*course.texts.faq, words.faq_duration]
        sections = [
            LandingSection(
                kind="hero",
                heading=_clip(course.title, 200),
                body=_clip(hero_body, 4000),
                items=[
                    words.hero_facts.format(**totals),
                    _clip(words.hero_audience.format(audiences=course.values["audiences"]), 400),
                ],
            ),
            LandingSection(
                kind="benefits",
                heading=words.benefits_heading,
                items=[_clip(course.fill(text), 400) for text in course.texts.benefits],
            ),
            LandingSection(
                kind="audience",
                heading=words.audience_heading,
                items=[
                    _clip(
                        f"{_capitalised(course.pack.audiences[a])}{words.colon} "
                        f"{course.fill(course.texts.audience_tips[a])}",
                        400,
                    )
                    for a in course.audiences
                ],
            ),
            LandingSection(
                kind="curriculum",
                heading=words.curriculum_heading,
                body=words.curriculum_body.format(**totals),
                items=[
                    _clip(
                        words.curriculum_item.format(
                            number=n + 1, title=_plain(module.title), count=len(module.lessons)
                        ),
                        400,
                    )
                    for n, module in enumerate(outline.modules)
                ],
            ),
            LandingSection(
                kind="faq",
                heading=words.faq_heading,
                items=[
                    _clip(f"{course.fill(q, **totals)} {course.fill(a, **totals)}", 400)
                    for q, a in faq
                ],
            ),
            LandingSection(kind="cta", heading=words.cta_heading, body=words.cta_body),
        ]
        return LandingPage(sections=sections)


def _lesson_at(
    outline: Outline, module_index: int, lesson_index: int
) -> tuple[ModuleOutline, LessonOutline]:
    if not 0 <= module_index < len(outline.modules):
        raise GenerationError(
            f"module_index {module_index} is outside the outline's {len(outline.modules)} modules",
            retryable=False,
        )
    module = outline.modules[module_index]
    if not 0 <= lesson_index < len(module.lessons):
        raise GenerationError(
            f"lesson_index {lesson_index} is outside module {module_index}'s "
            f"{len(module.lessons)} lessons",
            retryable=False,
        )
    return module, module.lessons[lesson_index]


def _what_comes_next(
    course: _Course, outline: Outline, module_index: int, lesson_index: int
) -> str:
    words = course.words
    module = outline.modules[module_index]
    if lesson_index + 1 < len(module.lessons):
        return words.next_lesson.format(title=course.quote(module.lessons[lesson_index + 1].title))
    done = words.module_done.format(module=course.quote(module.title))
    if module_index + 1 < len(outline.modules):
        following = outline.modules[module_index + 1].lessons[0]
        return f"{done} {words.next_lesson.format(title=course.quote(following.title))}"
    return f"{done} {words.course_done}"


def _arrange(
    question: str, correct: str, wrong: list[str], explanation: str, rotation: int
) -> QuizQuestion:
    """A question with the correct option at position `rotation` modulo the option count."""
    options = list(wrong)
    position = rotation % (len(wrong) + 1)
    options.insert(position, correct)
    return QuizQuestion(
        question=_clip(question, 500),
        options=options,
        correct_index=position,
        explanation=_clip(explanation, 1000),
    )
