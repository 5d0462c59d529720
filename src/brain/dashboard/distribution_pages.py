"""Distributions: the list with counters, and one distribution's SEO, call to action, price,
visibility, micro-niche variants, version and changelog, with a preview of its public page.
Everything goes through course_distribution's `DistributionAdmin`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from brain.dashboard.access import Posted, SignedIn
from brain.dashboard.forms import FieldErrors, amount_minor, parse_pairs, split_list
from brain.dashboard.rendering import Pager, View
from brain.dashboard.security import DashboardRoute
from brain.kernel.admin_contracts import (
    CtaChanges,
    DistributionChanges,
    DistributionDetail,
    PriceChanges,
    SeoChanges,
)
from brain.kernel.errors import Conflict, FieldError, ValidationFailed

router = APIRouter(include_in_schema=False, route_class=DashboardRoute)

PAGE_SIZE = 25
EDIT_FIELDS = (
    "seo.meta_title",
    "seo.meta_description",
    "seo.keywords",
    "seo.og_image_url",
    "seo.hreflang_alternates",
    "seo",
    "cta.label",
    "cta.action",
    "cta.url",
    "cta",
    "price.amount",
    "price.currency",
    "price",
)
FORM_FIELDS = tuple(name for name in EDIT_FIELDS if "." in name)
ALIASES = {"price.amount_minor": "price.amount"}


@router.get("/admin/distributions")
async def distributions(
    view: SignedIn,
    visibility: Annotated[str | None, Query(max_length=20)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    admin = view.deps.distributions
    page = await admin.list(view.principal, visibility=visibility or None, offset=offset)
    options = await admin.options()
    filters = {"visibility": visibility}
    return view.render(
        "distributions.html.j2",
        title=view.t["distributions_title"],
        page=page,
        options=options,
        filters=filters,
        pager=Pager.of(page, "/admin/distributions", filters, view.t["page_of"]),
    )


def _values_of(detail: DistributionDetail) -> dict[str, str]:
    seo, cta, summary = detail.seo, detail.cta, detail.summary
    amount = summary.price_amount_minor
    return {
        "seo.meta_title": seo.meta_title if seo else "",
        "seo.meta_description": seo.meta_description if seo else "",
        "seo.keywords": ", ".join(seo.keywords) if seo else "",
        "seo.og_image_url": (seo.og_image_url or "") if seo else "",
        "seo.hreflang_alternates": "\n".join(
            f"{code} {url}" for code, url in (seo.hreflang_alternates.items() if seo else [])
        ),
        "cta.label": cta.label if cta else "",
        "cta.action": cta.action if cta else "",
        "cta.url": (cta.url or "") if cta else "",
        "price.amount": f"{amount / 100:.2f}" if amount is not None else "",
        "price.currency": summary.price_currency or "",
    }


async def _page(
    view: View,
    distribution_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: FieldErrors | None = None,
    niche_errors: FieldErrors | None = None,
    bump_errors: FieldErrors | None = None,
) -> Response:
    admin = view.deps.distributions
    detail = await admin.get(view.principal, distribution_id)
    failed = errors or niche_errors or bump_errors
    return view.render(
        "distribution.html.j2",
        title=detail.summary.title,
        status=422 if failed else 200,
        d=detail,
        options=await admin.options(),
        audiences=(await view.deps.courses.options()).audiences,
        variants=await admin.micro_niches(view.principal, distribution_id),
        values=values or _values_of(detail),
        errors=errors,
        niche_errors=niche_errors,
        bump_errors=bump_errors,
    )


@router.get("/admin/distributions/{distribution_id}")
async def distribution(view: SignedIn, distribution_id: uuid.UUID) -> Response:
    return await _page(view, distribution_id)


def _changes(values: dict[str, str]) -> DistributionChanges:
    """What the form changes; a part left entirely empty is left as it is. Amounts and pairs
    that cannot be read are `ValidationFailed` naming their field."""
    problems: list[FieldError] = []
    seo = cta = price = None
    seo_fields = [name for name in values if name.startswith("seo.")]
    if any(values[name] for name in seo_fields):
        alternates, bad = parse_pairs(values["seo.hreflang_alternates"])
        problems += [
            FieldError(field="seo.hreflang_alternates", reason=f"not 'code URL': {line}")
            for line in bad
        ]
        seo = SeoChanges(
            meta_title=values["seo.meta_title"],
            meta_description=values["seo.meta_description"],
            keywords=split_list(values["seo.keywords"]),
            og_image_url=values["seo.og_image_url"] or None,
            hreflang_alternates=alternates,
        )
    if any(values[name] for name in ("cta.label", "cta.action", "cta.url")):
        cta = CtaChanges(
            label=values["cta.label"], action=values["cta.action"], url=values["cta.url"] or None
        )
    amount, currency = values["price.amount"], values["price.currency"]
    if amount or currency:
        minor = amount_minor(amount) if amount else None
        if minor is None:
            problems.append(
                FieldError(field="price.amount", reason="a number with at most two decimals")
            )
        else:
            price = PriceChanges(amount_minor=minor, currency=currency.upper())
    if problems:
        raise ValidationFailed("; ".join(p.reason for p in problems), errors=problems)
    return DistributionChanges(seo=seo, cta=cta, price=price)


@router.post("/admin/distributions/{distribution_id}")
async def update(posted: Posted, distribution_id: uuid.UUID) -> Response:
    view = posted.view
    values = {
        name: posted.text(name, strip=name != "seo.hreflang_alternates") for name in FORM_FIELDS
    }
    try:
        await view.deps.distributions.update(
            posted.operator.principal, distribution_id, _changes(values)
        )
    except ValidationFailed as exc:
        errors = FieldErrors.of(exc, EDIT_FIELDS, ALIASES)
        return await _page(view, distribution_id, values=values, errors=errors)
    except Conflict as exc:
        return view.redirect(f"/admin/distributions/{distribution_id}", error=exc.detail)
    return view.redirect(f"/admin/distributions/{distribution_id}", ok=view.t["distribution_saved"])


@router.post("/admin/distributions/{distribution_id}/publish")
async def publish(posted: Posted, distribution_id: uuid.UUID) -> Response:
    view, t = posted.view, posted.view.t
    back = f"/admin/distributions/{distribution_id}"
    try:
        detail = await view.deps.distributions.publish(
            posted.operator.principal, distribution_id, posted.text("visibility")
        )
    except ValidationFailed as exc:
        missing = ", ".join(e.field for e in exc.errors or []) or exc.detail
        return view.redirect(back, error=t["missing_to_publish"].format(fields=missing))
    return view.redirect(back, ok=t["published"].format(visibility=detail.summary.visibility))


@router.post("/admin/distributions/{distribution_id}/unpublish")
async def unpublish(posted: Posted, distribution_id: uuid.UUID) -> Response:
    view = posted.view
    await view.deps.distributions.unpublish(posted.operator.principal, distribution_id)
    return view.redirect(f"/admin/distributions/{distribution_id}", ok=view.t["unpublished"])


@router.post("/admin/distributions/{distribution_id}/micro-niches")
async def create_micro_niche(posted: Posted, distribution_id: uuid.UUID) -> Response:
    view = posted.view
    try:
        variant = await view.deps.distributions.create_micro_niche(
            posted.operator.principal,
            distribution_id,
            target_group=tuple(posted.texts("target_group")),
            title=posted.text("title") or None,
        )
    except ValidationFailed as exc:
        errors = FieldErrors.of(exc, ("target_group", "title", "slug"))
        return await _page(view, distribution_id, niche_errors=errors)
    except Conflict as exc:
        return view.redirect(f"/admin/distributions/{distribution_id}", error=exc.detail)
    return view.redirect(
        f"/admin/distributions/{variant.distribution_id}",
        ok=view.t["micro_niche_created"].format(slug=variant.slug),
    )


@router.post("/admin/distributions/{distribution_id}/bump-version")
async def bump_version(posted: Posted, distribution_id: uuid.UUID) -> Response:
    view = posted.view
    try:
        detail = await view.deps.distributions.bump_version(
            posted.operator.principal, distribution_id, posted.text("message")
        )
    except ValidationFailed as exc:
        return await _page(view, distribution_id, bump_errors=FieldErrors.of(exc, ("message",)))
    return view.redirect(
        f"/admin/distributions/{distribution_id}",
        ok=view.t["version_bumped"].format(version=detail.summary.version),
    )
