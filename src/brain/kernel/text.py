"""Measuring and fitting free text into limits given in characters and in JSON bytes."""

from __future__ import annotations

import json


def json_size(text: str) -> int:
    """Bytes `text` takes inside a UTF-8 JSON document (escapes included, quotes not)."""
    return len(json.dumps(text, ensure_ascii=False).encode()) - 2


def shorten(text: str, max_chars: int, max_bytes: int | None = None) -> str:
    """`text` with its whitespace collapsed if it fits, else cut at a word boundary with an
    ellipsis, within both limits."""
    text = " ".join(text.split())
    max_bytes = max_bytes or max_chars * 4

    def fits(candidate: str) -> bool:
        return len(candidate) <= max_chars and json_size(candidate) <= max_bytes

    if fits(text):
        return text
    limit = max_chars - 1
    while limit > 0:
        cut = text[:limit]
        if " " in cut[limit // 2 :]:
            cut = cut[: cut.rfind(" ")]
        candidate = cut.rstrip(" ,;:.-") + "…"
        if fits(candidate):
            return candidate
        limit -= max(1, limit // 10)
    return "…"
