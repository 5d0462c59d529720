from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brain.bootstrap import load_platform_settings
from brain.events.settings import EventTransport
from brain.kernel.config import MAX_PUBLIC_BASE_URL, SettingsError, redact_url


def settings(**values: object):
    return load_platform_settings(_env_file=None, **values)


def test_defaults_are_the_embedded_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BRAIN_HOST", "BRAIN_PORT", "BRAIN_DATABASE_URL", "BRAIN_EVENT_TRANSPORT"):
        monkeypatch.delenv(name, raising=False)
    loaded = settings()
    assert (loaded.host, loaded.port) == ("127.0.0.1", 8000)
    assert loaded.event_transport is EventTransport.SQL
    assert loaded.resolved_database_url == "sqlite+aiosqlite:///var/brain.db"
    assert loaded.temporal_address == ""
    assert loaded.public_url == "http://127.0.0.1:8000"


def test_reads_prefixed_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRAIN_PORT", "9001")
    monkeypatch.setenv("BRAIN_EVENT_TRANSPORT", "redis")
    monkeypatch.setenv("BRAIN_PUBLIC_BASE_URL", "https://courses.example.org/")
    loaded = settings()
    assert loaded.port == 9001
    assert loaded.event_transport is EventTransport.REDIS
    assert loaded.public_url == "https://courses.example.org"


def test_reads_a_dotenv_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRAIN_LOG_FORMAT", raising=False)
    (tmp_path / ".env").write_text("BRAIN_LOG_FORMAT=json\n")
    assert load_platform_settings(_env_file=tmp_path / ".env").log_format.value == "json"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BRAIN_PORT", "eighty"),
        ("BRAIN_PORT", "70000"),
        ("BRAIN_EVENT_TRANSPORT", "kafka"),
        ("BRAIN_DATABASE_URL", "mysql://root@localhost/brain"),
        ("BRAIN_DATABASE_URL", "not a url"),
        ("BRAIN_REDIS_URL", "http://localhost:6379"),
        ("BRAIN_PUBLIC_BASE_URL", "courses.example.org"),
        ("BRAIN_PUBLIC_BASE_URL", "https://" + "c" * 40 + ".example.org"),
        ("BRAIN_LOG_LEVEL", "LOUD"),
        ("BRAIN_LOG_FORMAT", "xml"),
        ("BRAIN_EVENT_LOOP", "trio"),
    ],
)
def test_a_wrong_value_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        settings()
    assert name in str(raised.value)


@pytest.mark.parametrize(
    ("given_url", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ],
)
def test_database_urls_get_the_async_driver(given_url: str, expected: str) -> None:
    assert settings(database_url=given_url).resolved_database_url == expected


def test_a_password_never_appears_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRAIN_DATABASE_URL", "mysql://root:hunter2@localhost/brain")
    with pytest.raises(SettingsError) as raised:
        settings()
    assert "hunter2" not in str(raised.value)


@given(
    user=st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    password=st.from_regex(r"[A-Za-z0-9!$%^&*]{1,16}", fullmatch=True),
    host=st.from_regex(r"[a-z]{1,8}", fullmatch=True),
)
def test_redaction_hides_any_password(user: str, password: str, host: str) -> None:
    redacted = redact_url(f"postgresql://{user}:{password}@{host}:5432/db")
    assert redacted == f"postgresql://{user}:***@{host}:5432/db"


def test_the_longest_public_base_url_fits_every_event_url() -> None:
    """A base URL of the longest accepted length still gives event URLs within their limit."""
    from pydantic import TypeAdapter

    from brain.events.contracts._types import Url

    base = "https://" + "c" * (MAX_PUBLIC_BASE_URL - len("https://.org")) + ".org"
    assert settings(public_base_url=base).public_url == base
    urls = TypeAdapter(Url)
    urls.validate_python(f"{base}/courses/{'s' * 60}")
    urls.validate_python(f"{base}/staging/{'0' * 36}/")
