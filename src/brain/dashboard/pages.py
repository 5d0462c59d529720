"""Signing in and out, the language switch, the static files and the overview."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from brain.dashboard import service
from brain.dashboard.access import Posted, PublicView, SignedIn, SignInRequired, signed_in
from brain.dashboard.forms import FieldErrors
from brain.dashboard.rendering import STATIC_FILES, View, local_path, static_asset
from brain.dashboard.security import DashboardRoute
from brain.dashboard.sessions import (
    LANGUAGE_COOKIE,
    LOGIN_COOKIE,
    LOGIN_SECONDS,
    SESSION_COOKIE,
)
from brain.dashboard.strings import TABLES
from brain.kernel.errors import BadRequest, NotFound, Unauthorized

router = APIRouter(include_in_schema=False, route_class=DashboardRoute)

REASONS = ("expired", "revoked", "required")
LANGUAGE_SECONDS = 365 * 24 * 3600


def _login_token(view: View, nonce: str) -> str:
    return view.deps.sessions.csrf_token(f"login:{nonce}")


def _login_page(
    view: View,
    *,
    next_path: str,
    status: int = 200,
    message: str | None = None,
    message_kind: str = "error",
    errors: FieldErrors | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    nonce = view.request.cookies.get(LOGIN_COOKIE) or view.deps.sessions.login_nonce()
    view.cookies.append((LOGIN_COOKIE, nonce, LOGIN_SECONDS))
    return view.render(
        "login.html.j2",
        title=view.t["sign_in"],
        status=status,
        headers=headers,
        login_token=_login_token(view, nonce),
        next=next_path,
        message=message,
        message_kind=message_kind,
        errors=errors,
    )


@router.get("/admin/login")
async def login_page(
    view: PublicView,
    reason: Annotated[str | None, Query(max_length=20)] = None,
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    if view.request.cookies.get(SESSION_COOKIE):
        try:
            await signed_in(view)
        except SignInRequired:
            view.operator = None
        else:
            return view.redirect(local_path(next))
    message = view.t[f"reason_{reason}"] if reason in REASONS and reason != "required" else None
    return _login_page(view, next_path=local_path(next), message=message, message_kind="status")


@router.post("/admin/login")
async def login(view: PublicView) -> Response:
    try:
        form = await view.request.form()
    except Exception as exc:  # a malformed body: multipart errors come in several types
        raise BadRequest(f"the form could not be read: {exc}") from None
    next_path = local_path(str(form.get("next") or ""))
    nonce = view.request.cookies.get(LOGIN_COOKIE)
    sessions = view.deps.sessions
    if not nonce or not sessions.csrf_matches(f"login:{nonce}", form.get("csrf_token")):
        return _login_page(view, next_path=next_path, status=403, message=view.t["sign_in_expired"])
    client = view.request.client.host if view.request.client else "unknown"
    wait = view.deps.sign_ins.retry_after(client)
    if wait is not None:
        seconds = math.ceil(wait)
        return _login_page(
            view,
            next_path=next_path,
            status=429,
            message=view.t["too_many_attempts"].format(seconds=seconds),
            headers={"Retry-After": str(seconds)},
        )
    api_key = str(form.get("api_key") or "").strip()
    try:
        signed = await service.sign_in(view.deps, api_key)
    except (Unauthorized, NotFound):
        view.deps.sign_ins.failed(client)
        errors = FieldErrors()
        errors.add("api_key", view.t["bad_key"])
        return _login_page(view, next_path=next_path, status=401, errors=errors)
    view.deps.sign_ins.succeeded(client)
    session = sessions.start(signed.principal.api_key_id, signed.tenant_name)
    view.cookies.append((SESSION_COOKIE, sessions.dump(session), None))
    view.cookies.append((LOGIN_COOKIE, None, None))
    return view.redirect(next_path, ok=view.t["signed_in"])


@router.post("/admin/logout")
async def logout(posted: Posted) -> Response:
    view = posted.view
    view.ended = True
    view.cookies.append((SESSION_COOKIE, None, None))
    return view.redirect("/admin/login", ok=view.t["signed_out"])


@router.get("/admin/language")
async def language(
    view: PublicView,
    lang: Annotated[str, Query(max_length=8)] = "en",
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    if lang in TABLES:
        view.cookies.append((LANGUAGE_COOKIE, lang, LANGUAGE_SECONDS))
    return view.redirect(local_path(next))


@router.get("/admin/static/{name}")
async def static(name: str) -> Response:
    media_type = STATIC_FILES.get(name)
    if media_type is None:
        raise NotFound(f"no static file {name!r}")
    data, _ = static_asset(name)
    return Response(
        data,
        media_type=f"{media_type}; charset=utf-8",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


@router.get("/admin")
async def overview(view: SignedIn) -> Response:
    found = await service.overview(view.deps, view.principal)
    return view.render("overview.html.j2", title=view.t["overview_title"], o=found)
