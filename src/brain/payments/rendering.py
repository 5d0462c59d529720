"""Rendering the payments module's pages: Jinja2 with autoescape, one inline stylesheet allowed by
its hash in the Content-Security-Policy, no JavaScript, and the pages' texts per language."""

from __future__ import annotations

import base64
import functools
import hashlib
from importlib import resources
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

_PACKAGE = "brain.payments"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "all_courses": "All courses",
        "email": "Your e-mail address",
        "buy": "Buy for {price}",
        "back": "Back to the course",
        "not_found": "Course not found",
        "not_found_text": "This course does not exist or is not on sale.",
        "free": "This course is free",
        "free_text": "It needs no purchase; enrol on its page.",
        "bad_email": "Please check your e-mail address",
        "too_many": "Too many attempts",
        "too_many_text": "Please wait a moment and try again.",
        "provider_down": "The payment provider is not answering",
        "provider_down_text": "Nothing was charged. Please try again in a moment.",
        "waiting": "Confirming your payment",
        "waiting_text": "We are waiting for the payment provider to confirm your payment.",
        "preparing": "Payment confirmed",
        "preparing_text": "Your access is being prepared.",
        "paid": "Thank you, your payment is confirmed",
        "paid_text": "Here is your personal access link to the course.",
        "open_course": "Open the course",
        "keep_link": "Keep this link to yourself; it opens the course on any device.",
        "refreshing": "This page refreshes by itself.",
        "failed": "The payment did not go through",
        "failed_text": "Nothing was charged. You can try again from the course page.",
        "refunded": "This purchase was refunded",
        "refunded_text": "The access to the course has ended.",
        "disputed": "This payment is disputed",
        "disputed_text": "The access to the course has ended while the dispute lasts.",
        "review": "We are reviewing this payment",
        "review_text": "The payment needs a check by our team before access is granted.",
    },
    "de": {
        "all_courses": "Alle Kurse",
        "email": "Deine E-Mail-Adresse",
        "buy": "Für {price} kaufen",
        "back": "Zurück zum Kurs",
        "not_found": "Kurs nicht gefunden",
        "not_found_text": "Diesen Kurs gibt es nicht oder er ist nicht im Verkauf.",
        "free": "Dieser Kurs ist kostenlos",
        "free_text": "Er braucht keinen Kauf; melde dich auf seiner Seite an.",
        "bad_email": "Bitte prüfe deine E-Mail-Adresse",
        "too_many": "Zu viele Versuche",
        "too_many_text": "Bitte warte einen Moment und versuche es erneut.",
        "provider_down": "Der Zahlungsanbieter antwortet nicht",
        "provider_down_text": "Es wurde nichts abgebucht. Bitte versuche es gleich noch einmal.",
        "waiting": "Deine Zahlung wird bestätigt",
        "waiting_text": "Wir warten auf die Bestätigung des Zahlungsanbieters.",
        "preparing": "Zahlung bestätigt",
        "preparing_text": "Dein Zugang wird vorbereitet.",
        "paid": "Danke, deine Zahlung ist bestätigt",
        "paid_text": "Hier ist dein persönlicher Zugangslink zum Kurs.",
        "open_course": "Kurs öffnen",
        "keep_link": "Behalte diesen Link für dich; er öffnet den Kurs auf jedem Gerät.",
        "refreshing": "Diese Seite aktualisiert sich von selbst.",
        "failed": "Die Zahlung ist nicht durchgegangen",
        "failed_text": "Es wurde nichts abgebucht. Du kannst es auf der Kursseite erneut "
        "versuchen.",
        "refunded": "Dieser Kauf wurde erstattet",
        "refunded_text": "Der Zugang zum Kurs ist beendet.",
        "disputed": "Diese Zahlung wird angefochten",
        "disputed_text": "Der Zugang zum Kurs ist beendet, solange der Widerspruch läuft.",
        "review": "Wir prüfen diese Zahlung",
        "review_text": "Die Zahlung muss von unserem Team geprüft werden, bevor der Zugang "
        "frei wird.",
    },
}
STRINGS["fr"] = STRINGS["en"]
STRINGS["es"] = STRINGS["en"]


def strings(language: str) -> dict[str, str]:
    return STRINGS.get(language, STRINGS["en"])


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader(_PACKAGE, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def _stylesheet() -> tuple[str, str]:
    css = resources.files(_PACKAGE).joinpath("templates", "public", "style.css").read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"'sha256-{digest}'"


def page(
    template: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A rendered page that no cache keeps and no search engine lists."""
    css, style_hash = _stylesheet()
    context.setdefault("refresh", None)
    body = _environment().get_template(template).render(css=Markup(css), **context)  # noqa: S704
    return HTMLResponse(
        body,
        status_code=status_code,
        headers={
            "Content-Security-Policy": (
                f"default-src 'none'; style-src {style_hash}; base-uri 'none'; "
                "form-action 'self' https:; frame-ancestors 'none'"
            ),
            "X-Content-Type-Options": "nosniff",
            "X-Robots-Tag": "noindex",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
            **(headers or {}),
        },
    )


def price_label(amount_minor: int, currency: str) -> str:
    return f"{amount_minor / 100:.2f} {currency.upper()}"
