"""What search engines read: JSON-LD, hreflang alternates, Open Graph locales and the sitemap.

Everything a user typed is escaped: JSON-LD by `json_ld` (which also escapes `<`, `>` and `&`, so a
title containing `</script>` cannot end the script element), the sitemap by the XML escaper.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from markupsafe import Markup

PROVIDER = "BRAiN"
"""The organisation named as the courses' provider (schema.org `provider`, `og:site_name`)."""
OG_LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "it": "it_IT"}


def course_url(base: str, slug: str) -> str:
    return f"{base}/courses/{quote(slug)}"


def json_ld(data: Mapping[str, Any]) -> Markup:
    """`data` as JSON safe to put inside `<script type="application/ld+json">`."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    raw = raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    raw = raw.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(raw)  # noqa: S704 - every `<`, `>` and `&` is escaped above


def _alternates(seo: Mapping[str, Any]) -> dict[str, str]:
    raw = seo.get("hreflang_alternates") or {}
    if isinstance(raw, Mapping):
        return {str(k): str(v) for k, v in raw.items() if k and v}
    if isinstance(raw, list):  # tolerate [{"hreflang"/"language": …, "url"/"href": …}]
        found = {}
        for item in raw:
            if isinstance(item, Mapping):
                code = item.get("hreflang") or item.get("language")
                url = item.get("url") or item.get("href")
                if code and url:
                    found[str(code)] = str(url)
        return found
    return {}


def hreflang_links(language: str, canonical: str, seo: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(hreflang, href) pairs: the page itself, each alternate, and x-default."""
    links = {language: canonical}
    for code, url in _alternates(seo).items():
        if code != language:
            links[code] = url
    pairs = sorted(links.items())
    pairs.append(("x-default", canonical))
    return pairs


def sitemap_xml(base: str, rows: Sequence[Any]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
        f"<url><loc>{xml_escape(base + '/courses')}</loc></url>",
    ]
    for row in rows:
        loc = course_url(base, row.slug)
        parts = [f"<url><loc>{xml_escape(loc)}</loc>"]
        modified = _latest(row.updated_at, row.published_at)
        if modified is not None:
            parts.append(f"<lastmod>{modified.date().isoformat()}</lastmod>")
        for code, href in hreflang_links(row.language, loc, row.item.get("seo") or {}):
            parts.append(
                f'<xhtml:link rel="alternate" hreflang={quoteattr(code)} href={quoteattr(href)}/>'
            )
        parts.append("</url>")
        lines.append("".join(parts))
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None
