"""The buyer's pages: the checkout (`POST /courses/{slug}/checkout`, a form post from the course
page or JSON) and the return page after the provider's checkout.

The return page shows the access link only when the payment is verified paid — by the provider's
signed webhook, never by the visitor's arrival here — and only to whoever holds that checkout's
own session id (the provider puts it into the return address). Reloading it grants nothing new:
the access grant exists once, and the page shows the same link while it holds.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from brain.kernel.contracts import DistributionView
from brain.kernel.errors import (
    BadRequest,
    BrainError,
    FieldError,
    ValidationFailed,
    problem_response,
)
from brain.payments.dependencies import Deps
from brain.payments.models import SETTLED, PaymentStatus
from brain.payments.rendering import page, price_label, strings
from brain.payments.repository import PaymentRepository
from brain.payments.schemas import CheckoutBody, CheckoutCreated
from brain.payments.service import sellable, start_checkout

router = APIRouter(include_in_schema=False)

REFRESH_SECONDS = 2


class TooManyCheckouts(BrainError):
    status, slug, title = 429, "too-many-requests", "Too Many Requests"


def _wants_json(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.split(";")[0].strip().lower() == "application/json"


async def _submitted(request: Request, as_json: bool) -> dict[str, Any]:
    """The submitted body: the JSON object, or the form's fields."""
    if not as_json:
        form = await request.form()
        return {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        data: Any = json.loads(await request.body())
    except ValueError as error:
        raise BadRequest(
            f"the request body is not valid JSON: {error}",
            errors=[FieldError(field="body", reason="invalid JSON")],
        ) from None
    if not isinstance(data, dict):
        raise ValidationFailed.field("body", "must be a JSON object with an email")
    return data


def _email_of(data: dict[str, Any]) -> str:
    """The normalised address; ValidationFailed naming the field."""
    try:
        return CheckoutBody.model_validate(data).email
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "email"
        reason = str(first["msg"]).removeprefix("Value error, ")
        raise ValidationFailed.field(f"body.{field}", reason) from None


def _html_error(error: BrainError, view: DistributionView | None, typed: str) -> Response:
    lang = view.language if view is not None else "en"
    t = strings(lang)
    back = f"/courses/{quote(view.slug)}" if view is not None and view.visible else "/courses"
    buy = None
    if view is not None and view.visible and view.priced:
        assert view.price_amount_minor is not None and view.price_currency is not None
        buy = {
            "action": f"/courses/{quote(view.slug)}/checkout",
            "email": typed[:254],
            "label": t["buy"].format(
                price=price_label(view.price_amount_minor, view.price_currency)
            ),
        }
    heading, text, shown = {
        404: (t["not_found"], t["not_found_text"], None),
        409: (t["free"], t["free_text"], None),
        422: (t["bad_email"], None, error.detail.split(": ", 1)[-1]),
        400: (t["bad_email"], None, error.detail),
        429: (t["too_many"], t["too_many_text"], None),
        502: (t["provider_down"], t["provider_down_text"], None),
    }.get(error.status, (t["provider_down"], t["provider_down_text"], None))
    if error.status == 404:
        buy = None
    return page(
        "public/message.html.j2",
        status_code=error.status,
        headers=error.headers,
        lang=lang,
        t=t,
        page_title=heading,
        heading=heading,
        text=text,
        error=shown,
        buy=buy,
        back=back,
    )


@router.post("/courses/{slug}/checkout")
async def checkout(request: Request, deps: Deps, slug: str) -> Response:
    """303 to the provider's checkout; a problem document (JSON) or a page (form) otherwise."""
    as_json = _wants_json(request)
    typed = ""
    view = None
    try:
        client = request.client.host if request.client else "unknown"
        wait = deps.checkout_limiter.hit(client, "checkout")
        if wait is not None:
            seconds = max(1, math.ceil(wait))
            raise TooManyCheckouts(
                f"too many checkouts from this client; try again in {seconds} s",
                headers={"Retry-After": str(seconds)},
            )
        view = await deps.distributions.by_slug(slug)
        view = sellable(view, slug)
        submitted = await _submitted(request, as_json)
        raw = submitted.get("email")
        typed = raw if isinstance(raw, str) else ""
        email = _email_of(submitted if as_json else {"email": typed})
        payment_id, created = await start_checkout(
            view=view,
            email=email,
            provider=deps.provider,
            units_of_work=deps.units_of_work,
            publisher=deps.publisher,
            public_url=deps.public_url,
        )
    except BrainError as error:
        if as_json:
            return problem_response(
                error.status,
                error.slug,
                error.title,
                error.detail,
                instance=request.url.path,
                errors=error.errors,
                headers=error.headers,
            )
        response: Response = _html_error(error, view, typed)
        return response
    headers = {"Location": created.url, "Cache-Control": "no-store"}
    if as_json:
        body = CheckoutCreated(payment_id=payment_id, checkout_url=created.url)
        return JSONResponse(body.model_dump(mode="json"), status_code=303, headers=headers)
    return RedirectResponse(created.url, status_code=303, headers={"Cache-Control": "no-store"})


@router.get("/courses/{slug}/checkout/return")
async def checkout_return(
    deps: Deps,
    slug: str,
    session: Annotated[str | None, Query(max_length=255)] = None,
) -> Response:
    payment = None
    if session:
        async with deps.database.read_session() as read:
            payment = await PaymentRepository(read).by_session(session)
    view = await deps.distributions.get(payment.distribution_id) if payment else None
    if payment is None or view is None:
        t = strings("en")
        return page(
            "public/message.html.j2",
            status_code=404,
            lang="en",
            t=t,
            page_title=t["not_found"],
            heading=t["not_found"],
            text=t["not_found_text"],
            error=None,
            buy=None,
            back="/courses",
        )
    if view.slug != slug:  # the course's address changed since the checkout
        return RedirectResponse(
            f"/courses/{quote(view.slug)}/checkout/return?session={quote(session or '')}",
            status_code=303,
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )
    t = strings(view.language)
    link = None
    refresh = None
    status = payment.status
    if status in SETTLED:
        link = await deps.access_links.link_for_payment(payment.id)
        key = "paid" if link else "preparing"
        refresh = None if link else REFRESH_SECONDS
    elif status == PaymentStatus.PENDING.value:
        key, refresh = "waiting", REFRESH_SECONDS
    elif status in (PaymentStatus.FAILED.value, PaymentStatus.EXPIRED.value):
        key = "failed"
    elif status == PaymentStatus.REFUNDED.value:
        key = "refunded"
    elif status == PaymentStatus.DISPUTED.value:
        key = "disputed"
    else:
        key = "review"
    return page(
        "public/return.html.j2",
        lang=view.language,
        t=t,
        page_title=t[key],
        heading=t[key],
        text=t[f"{key}_text"],
        link=link,
        refresh=refresh,
        course_path=f"/courses/{quote(view.slug)}",
    )
