from hypothesis import given
from hypothesis import strategies as st

from brain.kernel.auth import keys


def test_a_generated_key_parses_and_matches_its_hash() -> None:
    generated = keys.generate_key()
    assert keys.parse_prefix(generated.plaintext) == generated.prefix
    assert keys.matches(generated.plaintext, generated.key_hash)
    assert generated.plaintext not in generated.key_hash


def test_keys_are_unique() -> None:
    assert len({keys.generate_key().plaintext for _ in range(200)}) == 200


@given(st.text(max_size=120))
def test_arbitrary_text_never_matches_a_real_key(candidate: str) -> None:
    generated = keys.generate_key()
    assert not keys.matches(candidate, generated.key_hash)


@given(st.text(max_size=120))
def test_only_well_formed_keys_have_a_prefix(candidate: str) -> None:
    prefix = keys.parse_prefix(candidate)
    assert prefix is None or candidate.startswith(f"brain_{prefix}_")
