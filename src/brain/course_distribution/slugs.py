"""Slugs from titles: lower case, ä→ae, ö→oe, ü→ue, ß→ss, other accents folded,
special characters removed, words joined by hyphens; at most 60 characters, cut at a word."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG = 60
_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"}
)
_NOT_WORD = re.compile(r"[^a-z0-9]+")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(title: str, *, max_length: int = MAX_SLUG) -> str:
    text = title.translate(_GERMAN)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = [word for word in _NOT_WORD.split(text) if word]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_length]
    return slug or "course"


def numbered(slug: str, number: int, *, max_length: int = MAX_SLUG) -> str:
    """`slug-2`, `slug-3`, … still within `max_length`."""
    if number < 2:
        return slug
    suffix = f"-{number}"
    base = slug[: max_length - len(suffix)].rstrip("-")
    return f"{base}{suffix}"
