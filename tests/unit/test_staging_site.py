"""The staging site: a static, relative-linked, escaped rendering of a course's content."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brain.course_factory import site as site_module
from brain.course_factory.content import LANGUAGES, Language, LessonContent, Outline
from brain.course_factory.site import UI_STRINGS, SiteCourse, render_staging_site
from tests.support.course_samples import (
    COURSE_ID,
    make_brief,
    make_landing,
    make_lesson,
    make_outline,
    make_quiz,
)

BASE_URL = f"http://127.0.0.1:8000/staging/{COURSE_ID}/"


@dataclass
class Page:
    """What the stdlib parser saw in one HTML page."""

    lang: str | None = None
    canonical: str | None = None
    title: str = ""
    hrefs: list[str] = field(default_factory=list)
    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    text: str = ""
    details: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._open: list[str] = []
        self._details: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.page.tags.append((tag, attributes))
        if tag == "html":
            self.page.lang = attributes.get("lang")
        if tag == "link" and attributes.get("rel") == "canonical":
            self.page.canonical = attributes.get("href")
        if tag in ("a", "link") and attributes.get("href") is not None:
            self.page.hrefs.append(attributes["href"] or "")
        if tag == "details":
            self._details = []
        if tag not in ("meta", "link", "br", "img", "hr", "input"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self._details is not None:
            self.page.details.append(" ".join("".join(self._details).split()))
            self._details = None
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] == "title":
            self.page.title += data
        self.page.text += data
        if self._details is not None:
            self._details.append(data)


def parse(path: Path) -> Page:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    parser.page.text = " ".join(parser.page.text.split())
    return parser.page


def course(
    *,
    language: Language = "en",
    outline: Outline | None = None,
    lessons: dict[tuple[int, int], LessonContent | None] | None = None,
    with_quiz: bool = True,
    with_landing: bool = False,
    title: str = "Budgeting for Beginners",
) -> SiteCourse:
    outline = outline or make_outline()
    if lessons is None:
        # The first lesson of every module is written, the others are placeholders.
        lessons = {
            (m, i): make_lesson(module.lessons[i].title) if i == 0 else None
            for m, module in enumerate(outline.modules)
            for i in range(len(module.lessons))
        }
    return SiteCourse(
        course_id=COURSE_ID,
        brief=make_brief(language, title),
        outline=outline,
        lessons=lessons,
        quiz=make_quiz() if with_quiz else None,
        landing=make_landing() if with_landing else None,
    )


def site_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def html_pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


# --- structure -----------------------------------------------------------------------------------


def test_writes_index_style_one_page_per_lesson_and_the_quiz(tmp_path: Path) -> None:
    out = tmp_path / "site"
    written = render_staging_site(course(), out, BASE_URL)

    lessons = {f"lessons/{n}.html" for n in range(1, 13)}
    assert site_files(out) == {"index.html", "style.css", "quiz.html", *lessons}
    assert {p.relative_to(out).as_posix() for p in written} == site_files(out)
    assert all(p.is_file() for p in written)


def test_no_quiz_means_no_quiz_page_and_no_link_to_one(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_staging_site(course(with_quiz=False), out, BASE_URL)

    assert not (out / "quiz.html").exists()
    for page in html_pages(out):
        assert not any("quiz.html" in href for href in parse(page).hrefs), page


def test_style_sheet_is_responsive(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_staging_site(course(), out, BASE_URL)

    css = (out / "style.css").read_text(encoding="utf-8")
    assert "@media" in css
    assert "max-width" in css
    viewport = [
        attrs for tag, attrs in parse(out / "index.html").tags if attrs.get("name") == "viewport"
    ]
    assert viewport and "width=device-width" in (viewport[0]["content"] or "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_language_canonical_url_and_title(
    tmp_path: Path, language: Language
) -> None:
    out = tmp_path / "site"
    render_staging_site(course(language=language), out, BASE_URL)

    for path in html_pages(out):
        page = parse(path)
        relative = path.relative_to(out).as_posix()
        assert page.lang == language, relative
        expected = BASE_URL if relative == "index.html" else BASE_URL + relative
        assert page.canonical == expected, relative
        assert urlsplit(page.canonical).scheme == "http"
        assert "Budgeting for Beginners" in page.title, relative


def test_a_base_url_without_trailing_slash_still_gives_the_site_root(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_staging_site(course(), out, BASE_URL.rstrip("/"))

    assert parse(out / "index.html").canonical == BASE_URL
    assert parse(out / "lessons" / "3.html").canonical == BASE_URL + "lessons/3.html"


@pytest.mark.parametrize("base_url", ["/staging/x/", "staging/x", "ftp://host/x/", "http:///x/"])
def test_a_base_url_that_is_not_absolute_http_is_refused(tmp_path: Path, base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        render_staging_site(course(), tmp_path / "site", base_url)
    assert not (tmp_path / "site").exists()


def test_lessons_at_positions_the_outline_lacks_are_refused(tmp_path: Path) -> None:
    bad = course(lessons={(9, 0): make_lesson("Lost lesson")})
    with pytest.raises(ValueError, match=r"\(9, 0\)"):
        render_staging_site(bad, tmp_path / "site", BASE_URL)


def test_the_title_of_a_written_lesson_wins_over_the_outline(tmp_path: Path) -> None:
    lessons = {(0, 0): make_lesson("A better title")}
    out = tmp_path / "site"
    render_staging_site(course(lessons=lessons), out, BASE_URL)

    assert parse(out / "lessons" / "1.html").title.startswith("A better title")
    assert "A better title" in parse(out / "index.html").text


# --- navigation ----------------------------------------------------------------------------------


def test_every_relative_link_resolves_to_a_file_of_the_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_staging_site(course(with_landing=True), out, BASE_URL)
    files = site_files(out)

    checked = 0
    for path in html_pages(out):
        directory = PurePosixPath(path.relative_to(out).as_posix()).parent
        for href in parse(path).hrefs:
            parts = urlsplit(href)
            if parts.scheme:  # the canonical URL, checked elsewhere
                assert href.startswith(BASE_URL)
                continue
            if not parts.path:  # "#content"
                continue
            assert not href.startswith("/"), f"{path.name}: {href} is not relative"
            target = _normalise(directory / parts.path)
            assert target in files, f"{path.relative_to(out)} links to {href}, which is missing"
            checked += 1
    assert checked > 100


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            assert parts, f"{path} leaves the site"
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def test_lesson_pages_link_previous_and_next_in_course_order(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_staging_site(course(), out, BASE_URL)

    first = _pager_links(out / "lessons" / "1.html")
    middle = _pager_links(out / "lessons" / "5.html")
    last = _pager_links(out / "lessons" / "12.html")

    assert first == {"next": "2.html"}
    assert middle == {"prev": "4.html", "next": "6.html"}
    assert last == {"prev": "11.html", "quiz": "../quiz.html"}


def _pager_links(path: Path) -> dict[str, str]:
    links: dict[str, str] = {}
    for tag, attrs in parse(path).tags:
        if tag == "a" and attrs.get("rel") in ("prev", "next"):
            links[attrs["rel"] or ""] = attrs["href"] or ""
        elif tag == "a" and attrs.get("class") == "next":
            links["quiz"] = attrs["href"] or ""
    return links


def test_lesson_nav_lists_every_module_and_lesson_and_marks_the_current_one(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    render_staging_site(course(), out, BASE_URL)

    page = parse(out / "lessons" / "7.html")
    lesson_links = [h for h in page.hrefs if h.startswith("../lessons/")]
    assert lesson_links == [f"../lessons/{n}.html" for n in range(1, 13)]
    current = [a for tag, a in page.tags if tag == "a" and a.get("aria-current") == "page"]
    assert [a["href"] for a in current] == ["../lessons/7.html"]
    for m in range(1, 5):
        assert f"Module {m}: Module {m} title" in page.text
    assert "Lesson 7 of 12" in page.text


def test_index_without_a_landing_page_is_a_course_overview(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_staging_site(course(), out, BASE_URL)

    page = parse(out / "index.html")
    assert "Plan a monthly budget & keep it." in page.text
    assert "Start the course" in page.text
    assert "Course contents" in page.text
    assert next(h for h in page.hrefs if h.startswith("lessons/")) == "lessons/1.html"
    assert "quiz.html" in page.hrefs


def test_index_with_a_landing_page_shows_its_sections_and_the_contents(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_staging_site(course(with_landing=True), out, BASE_URL)

    page = parse(out / "index.html")
    h1 = [tag for tag, _ in page.tags if tag == "h1"]
    assert len(h1) == 1
    for text in ("Master your money", "What you get", "Savings", "Enrol now.", "It is free."):
        assert text in page.text
    assert "Course contents" in page.text
    assert page.hrefs.count("lessons/1.html") >= 3  # hero button, CTA button, contents


# --- placeholders and languages ------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_say_coming_soon_in_the_course_language(
    tmp_path: Path, language: Language
) -> None:
    out = tmp_path / "site"
    render_staging_site(course(language=language), out, BASE_URL)
    strings = UI_STRINGS[language]

    placeholder = parse(out / "lessons" / "2.html")  # lesson 1.2 is not written
    assert strings["coming_soon"] in placeholder.text
    assert strings["coming_soon_note"] in placeholder.text
    assert "The summary of lesson 1.2." in placeholder.text
    assert placeholder.title.startswith("Lesson 1.2")

    written = (out / "lessons" / "1.html").read_text(encoding="utf-8")
    assert 'class="coming-soon"' not in written
    assert strings["next"] in parse(out / "lessons" / "1.html").text


def test_ui_strings_exist_for_every_course_language() -> None:
    assert set(UI_STRINGS) == set(LANGUAGES)
    keys = set(UI_STRINGS["en"])
    for language, strings in UI_STRINGS.items():
        assert set(strings) == keys, language
        assert all(value.strip() for value in strings.values()), language
    assert UI_STRINGS["de"]["coming_soon"] != UI_STRINGS["en"]["coming_soon"]


def test_german_pages_use_german_ui_strings(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_staging_site(course(language="de"), out, BASE_URL)

    assert "Lektion 3 von 12" in parse(out / "lessons" / "3.html").text
    assert "Antwort anzeigen" in parse(out / "quiz.html").text
    assert "Kurs starten" in parse(out / "index.html").text


def test_french_pages_put_a_no_break_space_before_colons(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_staging_site(course(language="fr"), out, BASE_URL)

    assert "Bonne réponse\u00a0: A" in (out / "quiz.html").read_text(encoding="utf-8")
    assert "Suivant\u00a0: Lesson 1.3" in (out / "lessons" / "2.html").read_text(encoding="utf-8")


# --- quiz ----------------------------------------------------------------------------------------


def test_quiz_page_lists_questions_with_options_and_answers_in_details(tmp_path: Path) -> None:
    out = tmp_path / "site"
    site = course()
    render_staging_site(site, out, BASE_URL)

    page = parse(out / "quiz.html")
    assert site.quiz is not None
    assert len(page.details) == len(site.quiz.questions)
    for question, details in zip(site.quiz.questions, page.details, strict=True):
        assert question.question in page.text
        for option in question.options:
            assert option in page.text
        assert details.startswith("Show answer")
        assert f"Correct answer: A — {question.options[question.correct_index]}" in details
        assert question.explanation in details
    assert not any(tag == "script" for tag, _ in page.tags)


# --- escaping ------------------------------------------------------------------------------------


def test_html_in_markdown_and_titles_is_escaped(tmp_path: Path) -> None:
    evil_title = "<img src=x onerror=alert(1)> Lesson"
    markdown_body = (
        "<script>alert(1)</script>\n\n"
        '<div onclick="alert(2)">click</div>\n\n'
        "[click me](javascript:alert(3)) and <a href='javascript:alert(4)'>raw</a>"
    )
    lessons = {(0, 0): make_lesson(evil_title, markdown_body)}
    site = course(lessons=lessons, title="<script>alert(5)</script> Course")
    out = tmp_path / "site"
    render_staging_site(site, out, BASE_URL)

    for path in html_pages(out):
        source = path.read_text(encoding="utf-8")
        page = parse(path)
        _assert_no_active_content(page, source)
    lesson = parse(out / "lessons" / "1.html")
    assert "<script>alert(1)</script>" in lesson.text  # shown as text
    assert evil_title in lesson.title
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (out / "lessons" / "1.html").read_text()


def _assert_no_active_content(page: Page, source: str) -> None:
    assert "<script" not in source.lower()
    for tag, attrs in page.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name)


def test_lesson_markdown_headings_sit_below_the_page_title(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_staging_site(course(), out, BASE_URL)

    tags = [tag for tag, _ in parse(out / "lessons" / "1.html").tags]
    assert tags.count("h1") == 1  # the Markdown's "# Lesson 1.1" repeats the title: dropped
    assert "h3" in tags  # "## Why it matters" sits below the page's sections


_FRAGMENTS = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<SCRIPT src=//x>",
        "<scr<script>ipt>",
        "<img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "[a](javascript:alert(1))",
        "<a href='x'>",
        "```html\n<script>\n```",
        "    <script>",
        "&lt;script&gt;",
        "<!--",
        "-->",
        "<",
        ">",
        "`",
        "\n\n",
        "# ",
        '"',
        "'",
    ]
)
_TEXT = st.lists(st.one_of(st.text(max_size=20), _FRAGMENTS), max_size=12).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_TEXT, markdown=_TEXT, course_title=_TEXT)
def test_arbitrary_text_never_becomes_a_script_tag(
    title: str, markdown: str, course_title: str
) -> None:
    lesson = make_lesson(("T: " + title)[:200], markdown)
    outline = make_outline()
    site = course(
        outline=outline,
        lessons={(0, 0): lesson, (0, 1): None},
        title=("C: " + course_title)[:200],
    )
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "site"
        render_staging_site(site, out, BASE_URL)
        for name in ("index.html", "lessons/1.html", "lessons/2.html", "quiz.html"):
            path = out / name
            _assert_no_active_content(parse(path), path.read_text(encoding="utf-8"))


# --- writing -------------------------------------------------------------------------------------


def test_a_rerender_replaces_the_site_and_drops_removed_lessons(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_staging_site(course(outline=make_outline(5, 3)), out, BASE_URL)
    assert (out / "lessons" / "15.html").exists()

    written = render_staging_site(
        course(outline=make_outline(4, 3), with_quiz=False), out, BASE_URL
    )

    assert not (out / "lessons" / "13.html").exists()
    assert not (out / "lessons" / "15.html").exists()
    assert not (out / "quiz.html").exists()
    assert site_files(out) == {p.relative_to(out).as_posix() for p in written}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary directories


def test_a_failed_render_leaves_the_previous_site_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    render_staging_site(course(), out, BASE_URL)
    before = {name: (out / name).read_bytes() for name in site_files(out)}

    def crash(staging: Path, out_dir: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(site_module, "_swap_into_place", crash)
    with pytest.raises(OSError, match="disk full"):
        render_staging_site(course(language="de"), out, BASE_URL)

    assert {name: (out / name).read_bytes() for name in site_files(out)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_site_directory_is_readable_by_a_web_server(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_staging_site(course(), out, BASE_URL)

    assert out.stat().st_mode & 0o755 == 0o755
    assert (out / "lessons").stat().st_mode & 0o755 == 0o755


def test_the_same_course_renders_the_same_bytes(tmp_path: Path) -> None:
    render_staging_site(course(with_landing=True), tmp_path / "a", BASE_URL)
    render_staging_site(course(with_landing=True), tmp_path / "b", BASE_URL)

    names = site_files(tmp_path / "a")
    assert names == site_files(tmp_path / "b")
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
