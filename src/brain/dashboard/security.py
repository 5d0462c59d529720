"""What every dashboard response carries, and how refusals become pages.

`DashboardRoute` wraps each dashboard route: a missing session becomes a redirect to the sign-in
page, a refused CSRF token or role a 403 page, the platform's errors (`brain.kernel.errors`) an
HTML page with their status; each response gets the security headers below and, while the
session is in use, its renewed cookie (the idle time counts from the last request).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute

from brain.dashboard.access import CsrfRefused, SignInRequired, current_view
from brain.dashboard.dependencies import DASHBOARD
from brain.dashboard.rendering import View
from brain.dashboard.sessions import SESSION_COOKIE
from brain.kernel.errors import BrainError, Unauthorized

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


async def _view(request: Request) -> View:
    view = getattr(request.state, "dashboard_view", None)
    if isinstance(view, View):
        return view
    return await current_view(request, DASHBOARD.value(request.app))


def error_page(view: View, status: int, detail: str) -> Response:
    t = view.t
    return view.render(
        "error.html.j2",
        title=t.get(f"error_{status}", t["error"]),
        status=status,
        detail=detail,
        code=status,
    )


def sign_in_redirect(view: View, reason: str) -> Response:
    request = view.request
    query = {"reason": reason}
    if request.method == "GET" and request.url.path not in ("/admin", "/admin/"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        query["next"] = target
    response = RedirectResponse(f"/admin/login?{urlencode(query)}", status_code=303)
    if request.cookies.get(SESSION_COOKIE):
        view.cookies.append((SESSION_COOKIE, None, None))
    return response


class DashboardRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                response = await handler(request)
            except SignInRequired as exc:
                response = sign_in_redirect(await _view(request), exc.reason)
            except CsrfRefused:
                view = await _view(request)
                response = error_page(view, 403, view.t["form_expired"])
            except Unauthorized:
                response = sign_in_redirect(await _view(request), "revoked")
            except BrainError as exc:
                response = error_page(await _view(request), exc.status, exc.detail)
            except RequestValidationError:
                view = await _view(request)
                response = error_page(view, 404, view.t["error_404"])
            finish(request, response)
            return response

        return handle


def finish(request: Request, response: Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Cache-Control", "no-store")
    view = getattr(request.state, "dashboard_view", None)
    if not isinstance(view, View):
        return
    operator = view.operator
    if operator is not None and not view.ended:
        sessions = view.deps.sessions
        if sessions.due_for_refresh(operator.session):
            view.cookies.append((SESSION_COOKIE, sessions.dump(operator.session), None))
    view.apply_cookies(response)
