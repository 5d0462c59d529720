from hypothesis import given
from hypothesis import strategies as st

from brain.kernel.text import json_size, shorten


def test_text_that_fits_is_kept() -> None:
    assert shorten("Neobanken im Vergleich", 100, 150) == "Neobanken im Vergleich"


def test_long_text_is_cut_at_a_word_with_an_ellipsis() -> None:
    text = "Alternatives to traditional banks for employees and self-employed people " * 3
    short = shorten(text, 60)
    assert short.endswith("…")
    assert len(short) <= 60
    assert text.startswith(short[:-1])
    assert not short[:-1].endswith(" ")


@given(st.text(max_size=600), st.integers(min_value=1, max_value=300))
def test_the_result_always_fits_both_limits(text: str, max_chars: int) -> None:
    max_bytes = max_chars + max_chars // 2
    short = shorten(text, max_chars, max_bytes)
    assert len(short) <= max_chars
    assert json_size(short) <= max_bytes or short == "…"
