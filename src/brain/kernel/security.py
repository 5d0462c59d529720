"""Response headers that keep browsers from misusing what the platform sends, and the API docs
pages with a Content-Security-Policy that lets exactly their own scripts run.

Every response gets `X-Content-Type-Options: nosniff`; every HTML response also
`X-Frame-Options: DENY`, `Referrer-Policy: strict-origin-when-cross-origin` and a CSP (`HTML_CSP`
unless the route set its own). The docs pages (`/docs`, `/redoc`) load Swagger UI / ReDoc from
their CDN and start them with an inline script: their CSP names those origins and the SHA-256
of each inline script, computed from the page itself, so nothing else can run there.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse

from brain.kernel.observability import ASGIApp, Message, Receive, Scope, Send

HTML_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; "
    "base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""The policy of the platform's own pages: no script at all, styles and images from the site."""

_HTML_HEADERS = {
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"strict-origin-when-cross-origin",
}


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {name.lower() for name, _ in headers}
                added = {b"x-content-type-options": b"nosniff"}
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    added.update(_HTML_HEADERS)
                    added[b"content-security-policy"] = HTML_CSP.encode()
                headers += [(name, value) for name, value in added.items() if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_SRC = re.compile(r"""\bsrc=["']([^"']+)["']""")
_STYLESHEET = re.compile(r"""<link[^>]*rel=["']stylesheet["'][^>]*>""", re.IGNORECASE)
_HREF = re.compile(r"""\bhref=["']([^"']+)["']""")


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def page_csp(html: str) -> str:
    """The CSP of a docs page: its scripts' origins and inline scripts' hashes, its stylesheets'
    origins (their widgets add inline styles at run time), images, and fetches to the site."""
    scripts: set[str] = set()
    for match in _SCRIPT.finditer(html):
        src = _SRC.search(match["attrs"])
        if src is not None:
            scripts.add(_origin(src[1]) or "'self'")
        elif match["body"].strip():
            scripts.add(_sha256(match["body"]))
    styles = {
        _origin(href[1]) or "'self'"
        for link in _STYLESHEET.finditer(html)
        for href in [_HREF.search(link[0])]
        if href is not None
    }
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(sorted(scripts)),
            "style-src " + " ".join(sorted(styles | {"'unsafe-inline'"})),
            "font-src https://fonts.gstatic.com",
            "img-src 'self' https: data:",
            "connect-src 'self'",
            "worker-src blob:",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _with_csp(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = page_csp(bytes(page.body).decode())
    return page


def install_docs(app: FastAPI, *, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    """The docs pages of `app` (created with `docs_url=None, redoc_url=None`), each with its CSP."""
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect = f"{docs_url}/oauth2-redirect"
    options: dict[str, Any] = {"include_in_schema": False}

    @app.get(docs_url, **options)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return _with_csp(
            get_swagger_ui_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - Swagger UI",
                oauth2_redirect_url=root + oauth2_redirect,
            )
        )

    @app.get(oauth2_redirect, **options)
    async def swagger_ui_redirect() -> HTMLResponse:
        return _with_csp(get_swagger_ui_oauth2_redirect_html())

    @app.get(redoc_url, **options)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return _with_csp(
            get_redoc_html(openapi_url=root + openapi_url, title=f"{app.title} - ReDoc")
        )
