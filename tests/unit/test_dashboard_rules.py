"""The dashboard's own small rules: its words in both languages, the language choice, safe
redirect targets, the sign-in limit, the session cookie, where a contract's errors are shown."""

from __future__ import annotations

import re
import string
import uuid

from hypothesis import given
from hypothesis import strategies as st

from brain.dashboard.forms import FieldErrors, amount_minor, parse_pairs, split_list, utc_time
from brain.dashboard.limits import MAX_CLIENTS, FailedSignIns
from brain.dashboard.rendering import Pager, local_path
from brain.dashboard.sessions import Flash, SessionCodec
from brain.dashboard.strings import DE, EN, LANGUAGES, pick_language
from brain.kernel.admin_contracts import Page
from brain.kernel.errors import FieldError, ValidationFailed

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_label_exists_in_english_and_german_with_the_same_placeholders() -> None:
    assert set(EN) == set(DE)
    for key, english in EN.items():
        assert set(PLACEHOLDER.findall(english)) == set(PLACEHOLDER.findall(DE[key])), key
        assert DE[key].strip(), key


def test_the_language_switch_wins_over_accept_language() -> None:
    assert pick_language("de", "en-GB,en;q=0.9") == "de"
    assert pick_language(None, "fr-CH, fr;q=0.9, de;q=0.8, en;q=0.7") == "de"
    assert pick_language(None, "en;q=0.5, de;q=0.6") == "de"
    assert pick_language(None, "de-AT") == "de"
    assert pick_language("xx", "es") == "en"
    assert pick_language(None, None) == "en"


@given(st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_any_cookie_and_header_picks_a_language_the_dashboard_has(
    cookie: str | None, header: str | None
) -> None:
    assert pick_language(cookie, header) in LANGUAGES


@given(st.text())
def test_a_redirect_target_is_always_a_path_of_the_dashboard(target: str) -> None:
    chosen = local_path(target)
    assert chosen.startswith("/admin")
    assert not chosen.startswith("//") and "\\" not in chosen
    assert all(ord(ch) > 31 for ch in chosen)


def test_redirect_targets_elsewhere_fall_back_to_the_overview() -> None:
    assert local_path("/admin/courses?offset=25") == "/admin/courses?offset=25"
    for elsewhere in ("https://evil.example/admin", "//evil.example", "/courses", "/admin\\x", ""):
        assert local_path(elsewhere) == "/admin"


def test_failed_sign_ins_are_limited_per_client_within_the_window() -> None:
    now = [1000.0]
    limit = FailedSignIns(3, 60, clock=lambda: now[0])
    for _ in range(3):
        assert limit.retry_after("a") is None
        limit.failed("a")
    assert limit.retry_after("a") == 60
    assert limit.retry_after("b") is None, "another client is not limited"
    now[0] += 30
    assert limit.retry_after("a") == 30
    now[0] += 30.5
    assert limit.retry_after("a") is None, "the window has passed"
    limit.failed("a")
    limit.succeeded("a")
    assert limit.retry_after("a") is None


def test_the_sign_in_limit_remembers_a_bounded_number_of_clients() -> None:
    limit = FailedSignIns(1, 60, clock=lambda: 0.0)
    for n in range(MAX_CLIENTS + 10):
        limit.failed(f"client-{n}")
    assert len(limit._failures) == MAX_CLIENTS
    assert limit.retry_after(f"client-{MAX_CLIENTS + 9}") is not None


def codec(now: float, secret: bytes = b"s" * 32) -> SessionCodec:
    return SessionCodec(secret, idle_seconds=600, lifetime_seconds=3600, clock=lambda: now)


def test_a_session_cookie_holds_the_key_id_and_ends_when_idle_or_too_old() -> None:
    key_id = uuid.uuid4()
    start = 1_800_000_000.0
    session = codec(start).start(key_id, "acme")
    cookie = codec(start).dump(session)
    loaded = codec(start + 599).load(cookie)
    assert loaded is not None and loaded.key_id == key_id and loaded.tenant_name == "acme"
    assert codec(start + 601).load(cookie) is None, "idle for longer than the idle time"
    renewed = codec(start + 3000).dump(session)
    assert codec(start + 3300).load(renewed) is not None
    assert codec(start + 3601).load(renewed) is None, "older than the session's lifetime"
    assert codec(start, b"t" * 32).load(cookie) is None, "signed with another secret"
    assert codec(start).load(cookie[:-2] + "xx") is None


def test_csrf_tokens_are_bound_to_the_session_nonce() -> None:
    sessions = codec(0)
    first, second = sessions.start(uuid.uuid4(), "a"), sessions.start(uuid.uuid4(), "a")
    token = sessions.csrf_token(first.nonce)
    assert sessions.csrf_matches(first.nonce, token)
    assert not sessions.csrf_matches(second.nonce, token)
    assert not sessions.csrf_matches(first.nonce, None)
    assert not sessions.csrf_matches(first.nonce, token.upper())


def test_a_contracts_errors_go_to_the_field_they_name_or_belong_to() -> None:
    failed = ValidationFailed(
        "bad",
        errors=[
            FieldError(field="seo.keywords.3", reason="too long"),
            FieldError(field="cta", reason="url is required"),
            FieldError(field="price.amount_minor", reason="too big"),
            FieldError(field="slug", reason="taken"),
        ],
    )
    errors = FieldErrors.of(
        failed,
        ("seo.keywords", "seo", "cta.url", "cta", "price.amount"),
        {"price.amount_minor": "price.amount"},
    )
    assert errors.get("seo.keywords") == ["too long"]
    assert errors.get("cta") == ["url is required"]
    assert errors.get("price.amount") == ["too big"]
    assert errors.general == ["slug: taken"]
    assert FieldErrors.of(ValidationFailed("no fields"), ("title",)).general == ["no fields"]


def test_amounts_are_read_in_the_currencys_units() -> None:
    assert amount_minor("19.90") == 1990
    assert amount_minor("19,9") == 1990
    assert amount_minor("0") == 0
    for bad in ("19.999", "abc", "NaN", "Infinity", ""):
        assert amount_minor(bad) is None, bad


@given(st.integers(min_value=0, max_value=10**8))
def test_any_amount_in_cents_reads_back(cents: int) -> None:
    assert amount_minor(f"{cents // 100}.{cents % 100:02d}") == cents


def test_lists_pairs_and_times_typed_into_forms() -> None:
    assert split_list(" banks, , money ,") == ("banks", "money")
    assert parse_pairs("de https://a.example/de\n\nfr\n") == (
        {"de": "https://a.example/de"},
        ["fr"],
    )
    for typed in ("2026-01-31 14:00", "2026-01-31T14:00", "2026-01-31T15:00+01:00"):
        parsed = utc_time(typed)
        assert parsed is not None and parsed.isoformat() == "2026-01-31T14:00:00+00:00", typed
    assert utc_time("yesterday") is None


def test_a_pager_links_the_neighbouring_pages_keeping_the_filters() -> None:
    page: Page[int] = Page(items=(1,) * 25, total=60, offset=25, limit=25)
    pager = Pager.of(page, "/admin/courses", {"workflow_state": "REVIEW", "x": None}, "{n}/{total}")
    assert pager.label == "2/3"
    assert pager.previous == "/admin/courses?workflow_state=REVIEW"
    assert pager.next == "/admin/courses?workflow_state=REVIEW&offset=50"
    last = Pager.of(Page((), 60, 50, 25), "/admin/courses", {}, "{n}/{total}")
    assert last.next is None and last.label == "3/3"


@given(st.text(alphabet=string.ascii_letters + string.digits + "._-", max_size=30))
def test_a_flash_message_survives_its_cookie(message: str) -> None:
    sessions = codec(0)
    assert sessions.load_flash(sessions.dump_flash(Flash("ok", message))) == Flash("ok", message)
