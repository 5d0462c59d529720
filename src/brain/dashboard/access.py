"""Who may see a dashboard page and send its forms: the request dependencies.

`SignedIn` needs a valid session whose API key is still active (checked on every request, so a
revoked key ends its sessions at once); `Posted` also needs the form's CSRF token, bound to that
session. Failing either raises an exception the dashboard's route class answers (a redirect to
the sign-in page, or a 403 page): no handler runs, nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData, UploadFile

from brain.dashboard.dependencies import Deps
from brain.dashboard.rendering import Operator, View
from brain.dashboard.sessions import LANGUAGE_COOKIE, SESSION_COOKIE
from brain.dashboard.strings import pick_language
from brain.kernel.auth.service import AuthService
from brain.kernel.errors import BadRequest, Unauthorized


class SignInRequired(Exception):
    """No valid session: the page answers a redirect to the sign-in page."""

    def __init__(self, reason: str = "required") -> None:
        super().__init__(reason)
        self.reason = reason


class CsrfRefused(Exception):
    """A state-changing form without its session's CSRF token."""


async def current_view(request: Request, deps: Deps) -> View:
    view = getattr(request.state, "dashboard_view", None)
    if view is None:
        language = pick_language(
            request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
        )
        view = View(request, deps, language)
        request.state.dashboard_view = view
    return view


PublicView = Annotated[View, Depends(current_view)]


async def signed_in(view: PublicView) -> View:
    cookie = view.request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise SignInRequired()
    sessions = view.deps.sessions
    session = sessions.load(cookie)
    if session is None:
        raise SignInRequired("expired")
    async with view.deps.database.read_session() as db:
        try:
            principal = await AuthService(db).principal_of_key(session.key_id)
        except Unauthorized:
            raise SignInRequired("revoked") from None
    view.operator = Operator(principal, session, sessions.csrf_token(session.nonce))
    return view


SignedIn = Annotated[View, Depends(signed_in)]


@dataclass(frozen=True)
class PostedForm:
    view: View
    form: FormData

    @property
    def operator(self) -> Operator:
        assert self.view.operator is not None
        return self.view.operator

    def text(self, name: str, *, strip: bool = True) -> str:
        value = self.form.get(name)
        if value is None or isinstance(value, UploadFile):
            return ""
        return value.strip() if strip else value

    def texts(self, name: str) -> list[str]:
        return [v.strip() for v in self.form.getlist(name) if isinstance(v, str) and v.strip()]

    def flag(self, name: str) -> bool:
        return self.form.get(name) not in (None, "", "0", "false")


async def posted_form(view: SignedIn) -> PostedForm:
    try:
        form = await view.request.form()
    except Exception as exc:  # a malformed body: multipart errors come in several types
        raise BadRequest(f"the form could not be read: {exc}") from None
    operator = view.operator
    assert operator is not None
    if not view.deps.sessions.csrf_matches(operator.session.nonce, form.get("csrf_token")):
        raise CsrfRefused()
    return PostedForm(view, form)


Posted = Annotated[PostedForm, Depends(posted_form)]
