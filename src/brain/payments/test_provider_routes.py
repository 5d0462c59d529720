"""The built-in test provider's HTTP surface under `/payments/test-provider`: the subset of
Stripe's API the platform calls (with Stripe's error shape and `Authorization: Bearer <key>`), and
the hosted checkout page with its pay and decline forms. Every route answers 404 when a Stripe key
is configured: the test provider then does not exist."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from brain.kernel.errors import NotFound
from brain.payments.dependencies import Deps
from brain.payments.rendering import page, price_label
from brain.payments.test_provider import ProviderRefusal, TestProvider, nested

PREFIX = "/payments/test-provider"
router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _provider(deps: Deps) -> TestProvider:
    if deps.test_provider is None:
        raise NotFound("the built-in test provider is off: a Stripe key is configured")
    return deps.test_provider


Provider = Annotated[TestProvider, Depends(_provider)]


async def _api(request: Request, provider: TestProvider, action: Any) -> Response:
    """Run one API call the way Stripe answers it: JSON, its error shape, idempotency keys."""
    if not provider.authorized(request.headers.get("authorization")):
        return JSONResponse(
            {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}},
            status_code=401,
        )
    try:
        if request.method == "GET":
            params = nested(list(request.query_params.multi_items()))
        else:
            form = await request.form()
            params = nested([(k, v) for k, v in form.multi_items() if isinstance(v, str)])
        signature = f"{request.method} {request.url.path} {sorted(params.items(), key=str)!r}"
        status, body = provider.idempotent(
            request.headers.get("idempotency-key") if request.method == "POST" else None,
            signature,
            lambda: action(params),
        )
    except ProviderRefusal as refusal:
        return JSONResponse(refusal.body(), status_code=refusal.status)
    return JSONResponse(body, status_code=status, headers={"Request-Id": "req_test"})


@router.post("/v1/checkout/sessions")
async def create_session(request: Request, provider: Provider) -> Response:
    return await _api(request, provider, provider.create_session)


@router.get("/v1/checkout/sessions/{session_id}")
async def retrieve_session(request: Request, provider: Provider, session_id: str) -> Response:
    return await _api(request, provider, lambda _p: dict(provider.session(session_id).data))


@router.post("/v1/checkout/sessions/{session_id}/expire")
async def expire_session(request: Request, provider: Provider, session_id: str) -> Response:
    return await _api(request, provider, lambda _p: provider.expire(session_id))


@router.post("/v1/refunds")
async def create_refund(request: Request, provider: Provider) -> Response:
    return await _api(request, provider, provider.refund)


@router.get("/v1/events")
async def list_events(request: Request, provider: Provider) -> Response:
    return await _api(request, provider, provider.list_events)


# -- the hosted checkout page ----------------------------------------------------------------------


def _not_open(refusal: ProviderRefusal) -> Response:
    return page(
        "public/message.html.j2",
        status_code=refusal.status,
        lang="en",
        t={"all_courses": "All courses", "email": "", "back": "Back"},
        page_title="Test checkout",
        heading="Test checkout",
        text=refusal.message,
        error=None,
        buy=None,
        back="/courses",
    )


@router.get("/checkout/{session_id}")
async def checkout_page(provider: Provider, session_id: str) -> Response:
    try:
        session = provider.session(session_id)
    except ProviderRefusal as refusal:
        return _not_open(refusal)
    data = session.data
    return page(
        "test_provider/checkout.html.j2",
        product=session.product_name,
        amount=price_label(data["amount_total"], data["currency"]).split(" ")[0],
        currency=str(data["currency"]).upper(),
        status=data["status"],
        pay_path=f"{PREFIX}/checkout/{session_id}/pay",
        decline_path=f"{PREFIX}/checkout/{session_id}/decline",
        cancel_url=data["cancel_url"],
    )


def _back_to_merchant(data: dict[str, Any]) -> Response:
    target = str(data["success_url"]).replace("{CHECKOUT_SESSION_ID}", str(data["id"]))
    return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})


@router.post("/checkout/{session_id}/pay")
async def pay(request: Request, provider: Provider, session_id: str) -> Response:
    form = await request.form()
    method = "bank_debit" if form.get("method") == "bank_debit" else "card"
    try:
        session = provider.pay(session_id, method)
    except ProviderRefusal as refusal:
        return _not_open(refusal)
    return _back_to_merchant(session.data)


@router.post("/checkout/{session_id}/decline")
async def decline(provider: Provider, session_id: str) -> Response:
    try:
        session = provider.decline(session_id)
    except ProviderRefusal as refusal:
        return _not_open(refusal)
    return _back_to_merchant(session.data)
