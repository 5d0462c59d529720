"""The learner's side of access to a priced course: `GET /learn/access?token=…` exchanges the
personal token of an access grant for a cookie and sends the learner to the course's learner
view; with no valid grant (never issued, or revoked by a refund) it answers 403.

The cookie holds the token itself (HttpOnly, Secure when the request came over HTTPS, SameSite=Lax,
one per course); every request of the learner view checks it against the active grants
(`access.LearnerGate`), so a refund locks the course at once.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from brain.course_factory.access import COOKIE_MAX_AGE, cookie_name
from brain.course_factory.dependencies import Deps
from brain.course_factory.site import UI_STRINGS

_PACKAGE = "brain.course_factory"

ACCESS_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "forbidden": "No access to this course",
        "forbidden_text": "This access link is not valid (any more). A purchase that was refunded "
        "no longer opens the course.",
        "locked": "This course is for buyers",
        "locked_text": "Open your personal access link from your purchase to read it here.",
        "missing": "Course not found",
        "missing_text": "This course does not exist or is not published.",
        "to_course_page": "To the course page",
        "all_courses": "All courses",
    },
    "de": {
        "forbidden": "Kein Zugang zu diesem Kurs",
        "forbidden_text": "Dieser Zugangslink gilt nicht (mehr). Ein erstatteter Kauf öffnet den "
        "Kurs nicht mehr.",
        "locked": "Dieser Kurs ist für Käuferinnen und Käufer",
        "locked_text": "Öffne deinen persönlichen Zugangslink aus deinem Kauf, um ihn hier zu "
        "lesen.",
        "missing": "Kurs nicht gefunden",
        "missing_text": "Diesen Kurs gibt es nicht oder er ist nicht veröffentlicht.",
        "to_course_page": "Zur Kursseite",
        "all_courses": "Alle Kurse",
    },
}

router = APIRouter(include_in_schema=False)


def learner_strings(language: str) -> dict[str, str]:
    site = UI_STRINGS.get(language, UI_STRINGS["en"])  # type: ignore[call-overload]
    return {**site, **ACCESS_STRINGS.get(language, ACCESS_STRINGS["en"])}


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader(_PACKAGE, "templates/learner"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def _stylesheet() -> tuple[str, str]:
    css = resources.files(_PACKAGE).joinpath("templates", "staging", "style.css").read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"'sha256-{digest}'"


def learner_page(
    template: str,
    *,
    status_code: int = 200,
    noindex: bool = True,
    cache_control: str = "private, no-store",
    **context: Any,
) -> HTMLResponse:
    """A learner-view page: escaped, no JavaScript, its one stylesheet allowed by hash."""
    css, style_hash = _stylesheet()
    style = Markup(css)  # noqa: S704 - the package's own stylesheet, not user input
    body = _environment().get_template(template).render(css=style, noindex=noindex, **context)
    headers = {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src {style_hash}; img-src https: data:; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": cache_control,
    }
    if noindex:
        headers["X-Robots-Tag"] = "noindex"
    return HTMLResponse(body, status_code=status_code, headers=headers)


def message_page(language: str, key: str, status_code: int, back: str | None = None) -> Response:
    t = learner_strings(language)
    return learner_page(
        "message.html.j2",
        status_code=status_code,
        lang=language,
        t=t,
        page_title=t[key],
        heading_link=t["all_courses"],
        heading=t[key],
        text=t[f"{key}_text"],
        back=back,
        back_label=t["to_course_page"],
    )


@router.get("/learn/access")
async def exchange_token(
    request: Request,
    deps: Deps,
    token: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    grant = await deps.gate.active_grant(token)
    if grant is None or token is None:
        return message_page("en", "forbidden", 403)
    distributions = await deps.distributions.of_course(grant.tenant_id, grant.course_id)
    visible = sorted(
        (d for d in distributions if d.visible),
        key=lambda d: (not d.priced, d.visibility != "PUBLIC"),
    )
    if not visible:
        return message_page("en", "missing", 404)
    response = RedirectResponse(
        f"/learn/{quote(visible[0].slug)}",
        status_code=303,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
    response.set_cookie(
        cookie_name(grant.course_id),
        token,
        max_age=COOKIE_MAX_AGE,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )
    return response
