from hypothesis import given
from hypothesis import strategies as st

from brain.course_distribution.slugs import MAX_SLUG, SLUG, numbered, slugify


def test_german_letters_are_spelled_out() -> None:
    assert slugify("Größere Übersicht für Ärzte") == "groessere-uebersicht-fuer-aerzte"


def test_other_accents_are_folded_and_special_characters_removed() -> None:
    assert (
        slugify("Crédit coopératif: ¿Qué es? (2026) & más!") == "credit-cooperatif-que-es-2026-mas"
    )


def test_a_long_title_is_cut_at_a_word() -> None:
    slug = slugify("Alternatives to traditional banks for employees and self employed people today")
    assert len(slug) <= MAX_SLUG
    assert not slug.endswith("-")
    assert slug.startswith("alternatives-to-traditional-banks")


def test_a_title_without_letters_still_gets_a_slug() -> None:
    assert slugify("!!! ???") == "course"


def test_numbers_are_appended_within_the_limit() -> None:
    assert numbered("neobanks", 1) == "neobanks"
    assert numbered("neobanks", 3) == "neobanks-3"
    assert numbered("x" * MAX_SLUG, 12) == "x" * (MAX_SLUG - 3) + "-12"


@given(st.text(max_size=300), st.integers(min_value=1, max_value=10_000))
def test_every_slug_is_url_safe_and_short(title: str, number: int) -> None:
    slug = numbered(slugify(title), number)
    assert SLUG.match(slug)
    assert len(slug) <= MAX_SLUG
