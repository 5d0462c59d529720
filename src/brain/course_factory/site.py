"""The staging site: a static HTML rendering of a generated course.

`render_staging_site` turns a course's content into `index.html`, one `lessons/<n>.html` per lesson,
`quiz.html` (when there is a quiz) and `style.css`. Every link between the pages is relative, so the
site works under any prefix; only `<link rel="canonical">` is absolute (from `base_url`).

Safety: templates autoescape every value, and lesson Markdown is rendered with raw HTML disabled
(markdown-it's CommonMark preset with `html: False`, which also refuses `javascript:` links), so
text from a generator (an LLM's output included) can never become markup or script. The pages
carry no JavaScript at all and a Content-Security-Policy that forbids it.

Output is deterministic (no timestamps), so the same course renders to the same bytes.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment
from markdown_it import MarkdownIt
from markupsafe import Markup

from brain.course_factory.content import (
    CourseBrief,
    LandingPage,
    Language,
    LessonContent,
    Outline,
    Quiz,
)
from brain.kernel.templates import environment

_PACKAGE = "brain.course_factory"
_TEMPLATE_DIR = "templates/staging"

UI_STRINGS: dict[Language, dict[str, str]] = {
    "en": {
        "lessons": "Lessons",
        "lesson": "Lesson",
        "module": "Module",
        "quiz": "Quiz",
        "next": "Next",
        "previous": "Previous",
        "coming_soon": "Coming soon",
        "coming_soon_note": "This lesson is still being written. It will cover:",
        "show_answer": "Show answer",
        "correct_answer": "Correct answer",
        "question": "Question",
        "contents": "Course contents",
        "start": "Start the course",
        "take_quiz": "Take the quiz",
        "course_home": "Course home",
        "navigation": "Course navigation",
        "pagination": "Lesson navigation",
        "skip": "Skip to content",
        "lesson_of": "Lesson {n} of {total}",
        "questions_count": "{count} questions",
        "staging": "Staging preview",
        "colon": ": ",
    },
    "de": {
        "lessons": "Lektionen",
        "lesson": "Lektion",
        "module": "Modul",
        "quiz": "Quiz",
        "next": "Weiter",
        "previous": "Zurück",
        "coming_soon": "Demnächst verfügbar",
        "coming_soon_note": "Diese Lektion wird gerade geschrieben. Sie behandelt:",
        "show_answer": "Antwort anzeigen",
        "correct_answer": "Richtige Antwort",
        "question": "Frage",
        "contents": "Kursinhalt",
        "start": "Kurs starten",
        "take_quiz": "Zum Quiz",
        "course_home": "Kursübersicht",
        "navigation": "Kursnavigation",
        "pagination": "Lektionsnavigation",
        "skip": "Zum Inhalt springen",
        "lesson_of": "Lektion {n} von {total}",
        "questions_count": "{count} Fragen",
        "staging": "Staging-Vorschau",
        "colon": ": ",
    },
    "fr": {
        "lessons": "Leçons",
        "lesson": "Leçon",
        "module": "Module",
        "quiz": "Quiz",
        "next": "Suivant",
        "previous": "Précédent",
        "coming_soon": "Bientôt disponible",
        "coming_soon_note": "Cette leçon est en cours de rédaction. Elle traitera de :",
        "show_answer": "Afficher la réponse",
        "correct_answer": "Bonne réponse",
        "question": "Question",
        "contents": "Contenu du cours",
        "start": "Commencer le cours",
        "take_quiz": "Faire le quiz",
        "course_home": "Accueil du cours",
        "navigation": "Navigation du cours",
        "pagination": "Navigation entre les leçons",
        "skip": "Aller au contenu",
        "lesson_of": "Leçon {n} sur {total}",
        "questions_count": "{count} questions",
        "staging": "Aperçu de préproduction",
        "colon": "\u00a0: ",  # French typography: a (no-break) space before the colon
    },
    "es": {
        "lessons": "Lecciones",
        "lesson": "Lección",
        "module": "Módulo",
        "quiz": "Cuestionario",
        "next": "Siguiente",
        "previous": "Anterior",
        "coming_soon": "Próximamente",
        "coming_soon_note": "Esta lección se está redactando. Tratará lo siguiente:",
        "show_answer": "Mostrar respuesta",
        "correct_answer": "Respuesta correcta",
        "question": "Pregunta",
        "contents": "Contenido del curso",
        "start": "Empezar el curso",
        "take_quiz": "Hacer el cuestionario",
        "course_home": "Inicio del curso",
        "navigation": "Navegación del curso",
        "pagination": "Navegación entre lecciones",
        "skip": "Saltar al contenido",
        "lesson_of": "Lección {n} de {total}",
        "questions_count": "{count} preguntas",
        "staging": "Vista previa (pruebas)",
        "colon": ": ",
    },
}

OPTION_LETTERS = "ABCD"


@dataclass(frozen=True)
class SiteCourse:
    """Everything the staging site shows. `lessons` maps an outline position (module index, lesson
    index within the module, both 0-based) to the lesson's content; `None` or a missing position
    renders a "coming soon" placeholder from the outline's title and summary."""

    course_id: uuid.UUID | str
    brief: CourseBrief
    outline: Outline
    lessons: dict[tuple[int, int], LessonContent | None] = field(default_factory=dict)
    quiz: Quiz | None = None
    landing: LandingPage | None = None


@dataclass(frozen=True)
class _LessonPage:
    number: int  # 1-based, in course order
    module_number: int  # 1-based
    title: str
    summary: str
    content: LessonContent | None

    @property
    def filename(self) -> str:
        return f"{self.number}.html"


def render_staging_site(course: SiteCourse, out_dir: Path, base_url: str) -> list[Path]:
    """Render `course` as a static site into `out_dir`, replacing whatever was there.

    The site is rendered into a temporary directory beside `out_dir` and then moved into place, so
    a reader sees the old site or the new one, never a half-written one, and pages that no longer
    exist (a lesson removed by an edit) disappear. Returns the written files (inside `out_dir`).
    """
    base = _absolute_base_url(base_url)
    _check_positions(course)
    pages = _lesson_pages(course)
    files = _render_files(course, pages, base)

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for relative, data in files.items():
            target = staging.joinpath(*relative.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        # mkdtemp creates a private (0700) directory; the site is meant to be served.
        for directory in (staging, *(p for p in staging.rglob("*") if p.is_dir())):
            directory.chmod(0o755)
        _swap_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out_dir.joinpath(*relative.split("/")) for relative in files]


def _absolute_base_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"base_url must not carry a query or a fragment, got {base_url!r}")
    return base_url if base_url.endswith("/") else base_url + "/"


def _check_positions(course: SiteCourse) -> None:
    known = set(course.outline.lesson_positions())
    unknown = sorted(set(course.lessons) - known)
    if unknown:
        raise ValueError(f"lessons at positions the outline does not have: {unknown}")


def _lesson_pages(course: SiteCourse) -> list[_LessonPage]:
    pages = []
    for number, (m, i) in enumerate(course.outline.lesson_positions(), start=1):
        planned = course.outline.modules[m].lessons[i]
        content = course.lessons.get((m, i))
        pages.append(
            _LessonPage(
                number=number,
                module_number=m + 1,
                title=content.title if content is not None else planned.title,
                summary=planned.summary,
                content=content,
            )
        )
    return pages


def _render_files(course: SiteCourse, pages: list[_LessonPage], base: str) -> dict[str, bytes]:
    env = _environment()
    language = course.brief.language
    common: dict[str, Any] = {
        "lang": language,
        "t": UI_STRINGS[language],
        "brief": course.brief,
        "modules": _navigation(course, pages),
        "has_quiz": course.quiz is not None,
        "first_lesson": pages[0].filename if pages else None,
        "total": len(pages),
    }
    files: dict[str, bytes] = {}

    files["index.html"] = _encode(
        env.get_template("index.html.j2").render(
            **common,
            root="",
            canonical=base,
            page_title=course.brief.title,
            description=course.brief.description,
            landing=_landing_sections(course.landing) if course.landing is not None else None,
        )
    )
    files["style.css"] = (resources.files(_PACKAGE) / _TEMPLATE_DIR / "style.css").read_bytes()

    lesson_template = env.get_template("lesson.html.j2")
    for index, page in enumerate(pages):
        files[f"lessons/{page.filename}"] = _encode(
            lesson_template.render(
                **common,
                root="../",
                canonical=f"{base}lessons/{page.filename}",
                page_title=f"{page.title} · {course.brief.title}",
                description=page.summary,
                page=page,
                body=lesson_html(page.content) if page.content is not None else None,
                previous=pages[index - 1] if index > 0 else None,
                next=pages[index + 1] if index + 1 < len(pages) else None,
            )
        )

    if course.quiz is not None:
        t = UI_STRINGS[language]
        files["quiz.html"] = _encode(
            env.get_template("quiz.html.j2").render(
                **common,
                root="",
                canonical=f"{base}quiz.html",
                page_title=f"{t['quiz']} · {course.brief.title}",
                description=t["questions_count"].format(count=len(course.quiz.questions)),
                questions=course.quiz.questions,
                letters=OPTION_LETTERS,
            )
        )
    return files


def _navigation(course: SiteCourse, pages: list[_LessonPage]) -> list[dict[str, Any]]:
    by_module: list[dict[str, Any]] = [
        {"number": m + 1, "title": module.title, "summary": module.summary, "lessons": []}
        for m, module in enumerate(course.outline.modules)
    ]
    for page in pages:
        by_module[page.module_number - 1]["lessons"].append(page)
    return by_module


def _landing_sections(landing: LandingPage) -> list[dict[str, Any]]:
    return [
        {
            "kind": section.kind,
            "heading": section.heading,
            "paragraphs": _paragraphs(section.body),
            "items": section.items,
        }
        for section in landing.sections
    ]


def _paragraphs(text: str) -> list[str]:
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


def lesson_html(lesson: LessonContent) -> Markup:
    """The lesson's Markdown as HTML, its headings one level down (the page's `<h1>` is the lesson
    title) and a leading heading that only repeats the title dropped.

    markdown-it escapes every `<` in text and refuses javascript:/vbscript:/file: links; with
    `"html": False`, raw HTML blocks and inline tags are rendered as escaped text.
    """
    md = _markdown_renderer()
    tokens = md.parse(lesson.markdown)
    if (
        len(tokens) >= 3
        and tokens[0].type == "heading_open"
        and tokens[1].content.strip().casefold() == lesson.title.strip().casefold()
    ):
        tokens = tokens[3:]
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return Markup(md.renderer.render(tokens, md.options, {}))  # noqa: S704


@functools.cache
def _markdown_renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def _environment() -> Environment:
    return environment(_PACKAGE, _TEMPLATE_DIR, keep_trailing_newline=True)


def _encode(html: str) -> bytes:
    return html.encode("utf-8")


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    """Move the freshly rendered `staging` directory to `out_dir`, removing the old site.

    `os.replace` renames a directory atomically but cannot replace a non-empty one, so the old
    site is first renamed aside and deleted after the new one is in place. A concurrent render of
    the same course may win the race in between; we then retry against its result (last one wins).
    """
    for _ in range(10):
        try:
            os.replace(staging, out_dir)
            return
        except OSError as error:
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.EISDIR):
                raise
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        # FileNotFoundError: a concurrent render moved it away first; try again.
        with contextlib.suppress(FileNotFoundError):
            os.replace(out_dir, old / "site")
        shutil.rmtree(old, ignore_errors=True)
    raise RuntimeError(f"could not move the staging site into place at {out_dir}")
