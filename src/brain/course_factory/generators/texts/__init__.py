"""The template generator's language packs: one module per language, all of the same shape.

`PACKS[language]` holds every sentence the template generator writes in that language. The packs
are parallel: the same modules, lessons, facts and audiences in the same order, so a course has the
same structure whichever language it is written in (`tests/unit/test_template_generator.py` checks
that the packs stay aligned).
"""

from __future__ import annotations

from brain.course_factory.content import Language
from brain.course_factory.generators.texts import de, en, es, fr
from brain.course_factory.generators.texts.model import (
    CourseTexts,
    Fact,
    LanguagePack,
    LessonText,
    ModuleText,
    Persona,
    Words,
)

PACKS: dict[Language, LanguagePack] = {
    "de": de.PACK,
    "en": en.PACK,
    "fr": fr.PACK,
    "es": es.PACK,
}

__all__ = [
    "PACKS",
    "CourseTexts",
    "Fact",
    "LanguagePack",
    "LessonText",
    "ModuleText",
    "Persona",
    "Words",
]
