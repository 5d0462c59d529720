"""Rendering the public pages: Jinja2 templates (autoescape on) with one small inline stylesheet,
allowed by its hash in the Content-Security-Policy, and no JavaScript, so a page is one request."""

from __future__ import annotations

import base64
import functools
import hashlib
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup

from brain.course_distribution.http_cache import Prepared
from brain.kernel.templates import environment

_PACKAGE = "brain.course_distribution"
_TEMPLATE_DIR = "templates/public"


@functools.cache
def _stylesheet() -> tuple[str, str]:
    """The inline stylesheet and its CSP source expression."""
    css = resources.files(_PACKAGE).joinpath(_TEMPLATE_DIR, "style.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"'sha256-{digest}'"


def _csp(*, sells: bool = False) -> str:
    _css, style_hash = _stylesheet()
    # A buy form's answer redirects to the payment provider's hosted checkout, which browsers
    # check against form-action too.
    targets = "'self' https:" if sells else "'self'"
    return (
        f"default-src 'none'; style-src {style_hash}; img-src https: data:; base-uri 'none'; "
        f"form-action {targets}; frame-ancestors 'none'"
    )


def page(template: str, **context: Any) -> Prepared:
    css, _hash = _stylesheet()
    template_ = environment(_PACKAGE, _TEMPLATE_DIR).get_template(template)
    body = template_.render(css=Markup(css), **context)  # noqa: S704 - our own stylesheet
    headers = {
        "Content-Security-Policy": _csp(sells=bool(context.get("buy_path"))),
        "X-Content-Type-Options": "nosniff",
    }
    if context.get("noindex"):
        headers["X-Robots-Tag"] = "noindex"
    return Prepared.of(body, "text/html; charset=utf-8", headers)


def html(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    return page(template, **context).send(request, status_code)
