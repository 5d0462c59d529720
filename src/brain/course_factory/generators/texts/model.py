"""The shape of a language pack: every sentence the template generator can write in one language.

Texts may contain placeholders that the generator fills with `str.format_map`:

- `{course}`: the course title (whitespace normalised), `{short}`: the same, cut to 80 characters;
- `{audiences}`: the brief's audiences as a list in words ("students and retirees");
- `{name}`, `{who}`: the persona of an example (`Persona`);
- frame-specific ones documented on `Words`.

Titles inside sentences are quoted by the texts themselves with the language's quotation marks.
"""

from __future__ import annotations

from dataclasses import dataclass

from brain.course_factory.content import Audience


@dataclass(frozen=True)
class Persona:
    """The protagonist of a worked example: "{name}, {who}, ..."."""

    name: str
    who: str


@dataclass(frozen=True)
class LessonText:
    title: str
    summary: str
    focus: str
    """The lesson's key explanation (the first `##` section)."""


@dataclass(frozen=True)
class ModuleText:
    key: str
    title: str
    summary: str
    background: tuple[str, ...]
    checklist: tuple[str, ...]
    example: str
    lessons: tuple[LessonText, ...]


@dataclass(frozen=True)
class Fact:
    """A knowledge question tied to one lesson (`module` key, index in its `lessons`)."""

    module: str
    lesson: int
    question: str
    correct: str
    wrong: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class CourseTexts:
    """Everything one template says in one language."""

    modules: tuple[ModuleText, ...]
    merged: dict[str, tuple[str, str]]
    """Title and summary of a module that joins two modules, keyed "first+second"."""
    audience_tips: dict[Audience, str]
    facts: tuple[Fact, ...]
    tagline: str
    benefits: tuple[str, ...]
    faq: tuple[tuple[str, str], ...]

    def module(self, key: str) -> ModuleText:
        for module in self.modules:
            if module.key == key:
                return module
        raise KeyError(key)


@dataclass(frozen=True)
class Words:
    """The frames every lesson, quiz and landing page is built from.

    Frame placeholders: `{module}`, `{course}`, `{title}`, `{lesson}` are already quoted titles;
    `{summary}`, `{module_summary}`, `{step}`, `{number}`, `{lesson_number}`, `{count}`,
    `{modules}`, `{lessons}` are plain values.
    """

    code: str
    lq: str
    rq: str
    inner_lq: str
    inner_rq: str
    """Quotation marks for a quote inside a quote (a lesson title that quotes the course)."""
    colon: str
    """The label separator (" :" in French typography)."""
    lowercase_step: bool
    """Whether a checklist item quoted after a colon starts in lower case (not in German)."""
    and_: str
    untitled: str
    intro: str
    audience_line: str
    key_heading: str
    background_heading: str
    example_heading: str
    checklist_heading: str
    tips_heading: str
    summary_heading: str
    summary_text: str
    next_lesson: str
    module_done: str
    course_done: str
    description_label: str
    key_fallback: str
    background_fallback: tuple[str, ...]
    checklist_fallback: tuple[str, ...]
    example_fallback: str
    lesson_question: str
    lesson_explanation: str
    module_question: str
    module_option: str
    module_explanation: str
    hero_facts: str
    hero_audience: str
    benefits_heading: str
    audience_heading: str
    curriculum_heading: str
    curriculum_body: str
    curriculum_item: str
    faq_heading: str
    faq_duration: tuple[str, str]
    cta_heading: str
    cta_body: str


@dataclass(frozen=True)
class LanguagePack:
    words: Words
    audiences: dict[Audience, str]
    """Each audience as a plural noun phrase ("self-employed people")."""
    personas: dict[Audience, Persona]
    banking: CourseTexts
    custom: CourseTexts
