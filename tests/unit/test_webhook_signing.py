"""Standard Webhooks signing, retry delays and the integrations' settings."""

from __future__ import annotations

import base64
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook

from brain.integrations.delivery import RetryPolicy, parse_retry_after
from brain.integrations.settings import DEFAULT_RETRY_SCHEDULE, parse_schedule
from brain.integrations.signing import headers, new_secret, signature
from brain.kernel.config import SettingsError
from tests.conftest import make_settings


def test_the_specifications_test_vector_is_reproduced() -> None:
    # From the Standard Webhooks specification's reference libraries.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    stamp = datetime.fromtimestamp(1614265330, UTC)
    assert (
        signature([secret], "msg_p5jXN8AQM9LWM0D4loKWxJek", stamp, '{"test": 2432232314}')
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


@given(st.text(max_size=300), st.uuids())
def test_signed_headers_verify_with_the_specifications_verifier(body: str, msg_id) -> None:
    secret = new_secret()
    now = datetime.now(UTC)
    signed = headers([secret], str(msg_id), now, body)
    assert signed["webhook-id"] == str(msg_id)
    assert Webhook(secret).verify(body, signed, json_parse=False) is None


def test_during_a_rotation_either_secret_verifies() -> None:
    new, old = new_secret(), new_secret()
    signed = headers([new, old], "msg_1", datetime.now(UTC), "{}")
    assert len(signed["webhook-signature"].split(" ")) == 2
    for secret in (new, old):
        Webhook(secret).verify("{}", signed)
    with pytest.raises(Exception, match="signature"):
        Webhook(new_secret()).verify("{}", signed)


def test_secrets_are_32_random_bytes_in_the_whsec_format() -> None:
    secrets = {new_secret() for _ in range(50)}
    assert len(secrets) == 50
    for secret in secrets:
        assert secret.startswith("whsec_")
        assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32


@given(st.integers(1, len(DEFAULT_RETRY_SCHEDULE)), st.floats(0, 0.5), st.integers())
def test_each_delay_follows_the_schedule_within_the_jitter(step: int, jitter: float, seed: int):
    policy = RetryPolicy(DEFAULT_RETRY_SCHEDULE, jitter)
    delay = policy.delay(step, rng=random.Random(seed))
    base = DEFAULT_RETRY_SCHEDULE[step - 1]
    assert delay is not None
    assert base * (1 - jitter) - 1e-9 <= delay <= base * (1 + jitter) + 1e-9


def test_after_the_schedule_nothing_is_retried_and_retry_after_may_only_lengthen() -> None:
    policy = RetryPolicy((5.0, 300.0), jitter=0.0, retry_after_max=3600)
    assert policy.delay(3) is None and policy.delay(0) is None
    assert policy.delay(1, retry_after=120) == 120
    assert policy.delay(1, retry_after=1) == 5.0
    assert policy.delay(2, retry_after=99_999) == 3600, "capped"


def test_retry_after_is_read_as_seconds_or_an_http_date() -> None:
    now = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    later = (now + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(later, now) == 90
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_the_schedule_setting_takes_durations() -> None:
    assert parse_schedule("5s,5m,30m,2h,5h,10h,10h") == DEFAULT_RETRY_SCHEDULE
    assert parse_schedule("0.2, 500ms") == (0.2, 0.5)
    settings = make_settings(webhooks_retry_schedule="1s,2s")
    assert settings.webhooks_retry_schedule == (1.0, 2.0)


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"webhooks_retry_schedule": "5s,soon"}, "BRAIN_WEBHOOKS_RETRY_SCHEDULE"),
        ({"webhooks_retry_schedule": "0"}, "BRAIN_WEBHOOKS_RETRY_SCHEDULE"),
        ({"indexnow_endpoint": "https://search.example/indexnow"}, "BRAIN_INDEXNOW_KEY"),
        (
            {"indexnow_endpoint": "https://s.example/i", "indexnow_key": "short"},
            "BRAIN_INDEXNOW_KEY",
        ),
        ({"indexnow_endpoint": "search.example"}, "BRAIN_INDEXNOW_ENDPOINT"),
    ],
)
def test_a_wrong_setting_stops_the_start_naming_it(overrides: dict, named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        make_settings(**overrides)
