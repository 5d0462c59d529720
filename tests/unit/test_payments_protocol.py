"""The payments module's rules that need no server: Stripe's form encoding as the test provider
reads it, webhook signatures, the events' reduction, buyers' addresses and the rate limiter."""

from __future__ import annotations

import json
import string
import time
from typing import Any

import pytest
import stripe
from hypothesis import given
from hypothesis import strategies as st
from stripe._encode import _api_encode

from brain.payments.limits import RateLimiter
from brain.payments.provider import InvalidSignature, MalformedEvent
from brain.payments.schemas import normalise_email
from brain.payments.stripe_adapter import StripeAdapter, event_view
from brain.payments.test_provider import nested, sign

keys = st.text(string.ascii_lowercase + "_", min_size=1, max_size=8)
values = st.text(string.printable, max_size=20)
forms = st.recursive(
    values,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3),
        st.dictionaries(keys, inner, min_size=1, max_size=3),
    ),
    max_leaves=12,
)


@given(st.dictionaries(keys, forms, min_size=1, max_size=4))
def test_the_test_provider_reads_back_what_the_stripe_package_encodes(data: dict[str, Any]) -> None:
    assert nested(list(_api_encode(data))) == data


def test_empty_brackets_append_to_a_list() -> None:
    assert nested([("types[]", "a"), ("types[]", "b"), ("limit", "3")]) == {
        "types": ["a", "b"],
        "limit": "3",
    }


@given(
    body=st.text(min_size=1, max_size=200),
    secrets=st.lists(
        st.text(string.ascii_letters, min_size=8, max_size=20), min_size=1, max_size=3
    ),
)
def test_a_signature_holds_for_each_secret_it_was_made_with_and_only_for_its_body(
    body: str, secrets: list[str]
) -> None:
    header = sign(body, secrets)
    for secret in secrets:
        assert stripe.WebhookSignature.verify_header(body, header, secret, tolerance=300)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(body + "x", header, secrets[0], tolerance=300)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(body, header, "not-" + secrets[0], tolerance=300)


def event(**data_object: Any) -> dict[str, Any]:
    return {
        "id": "evt_test_1",
        "type": "checkout.session.completed",
        "created": 1_800_000_000,
        "data": {"object": data_object},
    }


async def test_the_adapter_verifies_then_reads_the_event() -> None:
    adapter = StripeAdapter("sk_test_x", ["whsec_a", "whsec_b"], api_base="http://127.0.0.1:9")
    try:
        body = json.dumps(
            event(
                object="checkout.session",
                id="cs_1",
                client_reference_id="6b1f3c4e-1d2a-4a5b-8c9d-0e1f2a3b4c5d",
                payment_intent="pi_1",
                amount_total=1900,
                currency="eur",
                payment_status="paid",
                customer_details={"email": "someone@example.org", "name": "Someone"},
            )
        )
        view = adapter.verify_webhook(body.encode(), sign(body, ["whsec_b"]))
        assert (view.session_id, view.payment_intent, view.amount_minor, view.currency) == (
            "cs_1",
            "pi_1",
            1900,
            "EUR",
        )
        assert str(view.checkout_id) == "6b1f3c4e-1d2a-4a5b-8c9d-0e1f2a3b4c5d"
        assert "someone" not in json.dumps(view.data), "customer details are never kept"
        now = int(time.time())
        for header, reason in [
            (None, "missing"),
            ("garbage", "malformed"),
            (f"t={now}", "no v1"),
            (sign(body, ["whsec_c"]), "no signature matches"),
            (sign(body, ["whsec_a"], timestamp=now - 301), "older than 300 s"),
        ]:
            with pytest.raises(InvalidSignature, match=reason):
                adapter.verify_webhook(body.encode(), header)
        with pytest.raises(MalformedEvent):
            adapter.verify_webhook(b"[1]", sign("[1]", ["whsec_a"]))
    finally:
        await adapter.close()


@pytest.mark.parametrize(
    "raw",
    [
        [],
        {"type": "x", "created": 1, "data": {"object": {}}},
        {"id": "evt", "created": 1, "data": {"object": {}}},
        {"id": "evt", "type": "x", "created": "yesterday", "data": {"object": {}}},
        {"id": "evt", "type": "x", "created": 1, "data": {}},
    ],
)
def test_an_event_without_id_type_time_or_object_is_malformed(raw: object) -> None:
    with pytest.raises(MalformedEvent):
        event_view(raw)


def test_a_refund_and_a_dispute_are_read_from_their_charge_and_dispute() -> None:
    refund = event_view(
        {
            **event(
                object="charge",
                id="ch_1",
                amount=1900,
                amount_refunded=500,
                refunded=False,
                currency="eur",
                payment_intent="pi_1",
                metadata={"checkout_id": "not-a-uuid"},
            ),
            "type": "charge.refunded",
        }
    )
    assert (refund.amount_refunded_minor, refund.fully_refunded, refund.checkout_id) == (
        500,
        False,
        None,
    )
    dispute = event_view(
        {**event(object="dispute", id="dp_1", payment_intent={"id": "pi_2"}, amount=True)}
    )
    assert dispute.payment_intent == "pi_2", "an expanded object counts by its id"
    assert dispute.amount_minor is None, "a boolean is no amount"


@given(
    local=st.text(string.ascii_letters + string.digits + "._%+-", min_size=1, max_size=64),
    domain=st.from_regex(r"[a-z0-9]{1,20}(\.[a-z]{2,10}){1,3}", fullmatch=True),
)
def test_valid_addresses_are_kept_lower_cased(local: str, domain: str) -> None:
    assert normalise_email(f"  {local}@{domain} ") == f"{local}@{domain}".lower()


@pytest.mark.parametrize(
    "address",
    [
        "",
        "plain",
        "a@b",
        "a@@b.org",
        "a b@c.org",
        "a@-b.org",
        "<a>@b.org",
        "a@b\n.org",
        "x" * 250 + "@b.org",
    ],
)
def test_anything_else_is_refused(address: str) -> None:
    with pytest.raises(ValueError, match=r"required|valid|at most"):
        normalise_email(address)


def test_the_rate_limiter_allows_the_limit_per_window_and_client() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 60.0, clock=lambda: now[0])
    assert [limiter.hit("a", "checkout") for _ in range(2)] == [None, None]
    assert limiter.hit("a", "checkout") == pytest.approx(60.0)
    assert limiter.hit("b", "checkout") is None
    now[0] = 61.0
    assert limiter.hit("a", "checkout") is None
