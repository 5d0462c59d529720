"""How a dashboard page is put together: one `View` per request (its language, the signed-in
operator, the flash message), the templates with what every page shows (navigation, language
switch, sign-out form), cookies with one set of flags, redirects that carry a flash message."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markdown_it import MarkdownIt
from markupsafe import Markup

from brain.dashboard.dependencies import DashboardDeps
from brain.dashboard.sessions import COOKIE_PATH, FLASH_COOKIE, Flash, Session
from brain.dashboard.strings import LANGUAGES, strings
from brain.kernel.admin_contracts import Page
from brain.kernel.auth import Principal, Role, has_role
from brain.kernel.templates import environment

STATIC_FILES = {"dashboard.css": "text/css", "dashboard.js": "text/javascript"}

templates = environment("brain.dashboard", "templates")


@cache
def static_asset(name: str) -> tuple[bytes, str]:
    """A static file's bytes and a short hash of them (the `?v=` of its address)."""
    data = files("brain.dashboard").joinpath("templates", "admin", name).read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:12]


def static_url(name: str) -> str:
    return f"/admin/static/{name}?v={static_asset(name)[1]}"


@cache
def _markdown() -> MarkdownIt:
    # CommonMark without raw HTML (escaped) and with markdown-it's link validation, as the
    # staging site renders lessons: an edited lesson cannot inject script into the dashboard.
    return MarkdownIt("commonmark", {"html": False})


def markdown(text: str | None) -> Markup:
    return Markup(_markdown().render(text or ""))  # noqa: S704 - markdown-it escapes HTML


def iso(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else ""


def utc_text(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else ""


def money(amount_minor: int | None, currency: str | None) -> str:
    if amount_minor is None or not currency:
        return ""
    return f"{amount_minor / 100:.2f} {currency}"


templates.filters.update(md=markdown, iso=iso, utc=utc_text)


def who(actor: str | None, names: Mapping[str, str]) -> str:
    return names.get(actor or "", actor or "")


templates.globals.update(money=money, static_url=static_url, quote=quote, who=who)


@dataclass(frozen=True)
class Operator:
    """The signed-in API key: its principal, its session and that session's CSRF token."""

    principal: Principal
    session: Session
    csrf: str

    @property
    def role(self) -> str:
        return self.principal.role.value

    @property
    def can_edit(self) -> bool:
        return has_role(self.principal, Role.EDITOR)

    @property
    def can_approve(self) -> bool:
        return has_role(self.principal, Role.APPROVER)

    @property
    def is_admin(self) -> bool:
        return has_role(self.principal)


@dataclass(frozen=True)
class Pager:
    """Links to the previous and next page of a `Page`, keeping the other query parameters."""

    label: str
    previous: str | None
    next: str | None

    @classmethod
    def of(cls, page: Page[Any], path: str, params: Mapping[str, str | None], label: str) -> Pager:
        pages = max(1, math.ceil(page.total / page.limit)) if page.limit else 1
        number = page.offset // page.limit + 1 if page.limit else 1

        def link(offset: int) -> str:
            query = {k: v for k, v in params.items() if v}
            if offset > 0:
                query["offset"] = str(offset)
            return f"{path}?{urlencode(query)}" if query else path

        return cls(
            label=label.format(n=number, total=pages),
            previous=link(max(page.offset - page.limit, 0)) if page.offset > 0 else None,
            next=link(page.offset + page.limit) if page.offset + page.limit < page.total else None,
        )


@dataclass
class View:
    request: Request
    deps: DashboardDeps
    lang: str
    operator: Operator | None = None
    ended: bool = False
    """Set when the request ended the session (sign-out): its cookie is not renewed."""
    cookies: list[tuple[str, str | None, int | None]] = field(default_factory=list)
    """Cookies to set (a value) or delete (None) on the response, with their max age."""

    @property
    def t(self) -> Mapping[str, str]:
        return strings(self.lang)

    @property
    def principal(self) -> Principal:
        if self.operator is None:
            raise RuntimeError("the page needs a signed-in operator (SignedIn)")
        return self.operator.principal

    @property
    def secure(self) -> bool:
        return self.deps.https or self.request.url.scheme == "https"

    def nav(self) -> list[tuple[str, str]]:
        deps, operator = self.deps, self.operator
        entries = [
            ("/admin", "overview"),
            ("/admin/courses", "courses"),
            ("/admin/approvals", "approvals"),
            ("/admin/distributions", "distributions"),
        ]
        if deps.content is not None:
            entries.append(("/admin/content", "content"))
        if deps.payments is not None:
            entries.append(("/admin/payments", "payments"))
        entries.append(("/admin/events", "events"))
        if deps.webhooks is not None and operator is not None and operator.is_admin:
            entries.append(("/admin/webhooks", "webhooks"))
        if operator is not None and operator.is_admin:
            entries.append(("/admin/keys", "keys"))
        return entries

    def language_links(self) -> list[tuple[str, str]]:
        here = "/admin"
        if self.request.method == "GET":
            query = self.request.url.query
            here = self.request.url.path + (f"?{query}" if query else "")
        return [
            (lang, f"/admin/language?{urlencode({'lang': lang, 'next': here})}")
            for lang in LANGUAGES
        ]

    def render(
        self,
        template: str,
        *,
        title: str,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        flash = None
        incoming = self.request.cookies.get(FLASH_COOKIE)
        if incoming:
            flash = self.deps.sessions.load_flash(incoming)
            self.cookies.append((FLASH_COOKIE, None, None))
        body = templates.get_template(f"admin/{template}").render(
            t=self.t,
            lang=self.lang,
            title=title,
            operator=self.operator,
            csrf=self.operator.csrf if self.operator else "",
            nav=self.nav(),
            here=self.request.url.path,
            languages=self.language_links(),
            flash=flash,
            **context,
        )
        return HTMLResponse(body, status_code=status, headers=dict(headers or {}))

    def redirect(self, url: str, *, ok: str | None = None, error: str | None = None) -> Response:
        if ok or error:
            flash = Flash("error" if error else "ok", error or ok or "")
            self.cookies.append((FLASH_COOKIE, self.deps.sessions.dump_flash(flash), 120))
        return RedirectResponse(url, status_code=303)

    def apply_cookies(self, response: Response) -> None:
        for name, value, max_age in self.cookies:
            if value is None:
                response.delete_cookie(
                    name, path=COOKIE_PATH, secure=self.secure, httponly=True, samesite="strict"
                )
            else:
                response.set_cookie(
                    name,
                    value,
                    max_age=max_age,
                    path=COOKIE_PATH,
                    secure=self.secure,
                    httponly=True,
                    samesite="strict",
                )


def local_path(value: str | None, default: str = "/admin") -> str:
    """`value` when it is a path of the dashboard (a safe redirect target), else `default`."""
    if (
        value
        and value.startswith("/admin")
        and not value.startswith("//")
        and "\\" not in value
        and all(ord(ch) > 31 for ch in value)
    ):
        return value
    return default


def choices(values: Sequence[str], chosen: str | None) -> list[tuple[str, bool]]:
    return [(value, value == chosen) for value in values]
