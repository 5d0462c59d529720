"""Subscription patterns: an exact event type, or `*` standing for any run of characters
(`course.generation.*`, `distribution.*`, `*`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from sqlalchemy import ColumnElement, false, or_
from sqlalchemy.orm import InstrumentedAttribute


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$")


def matches(patterns: Sequence[str], event_type: str) -> bool:
    return any(_compiled(pattern).match(event_type) for pattern in patterns)


def sql_filter(
    column: ColumnElement[str] | InstrumentedAttribute[str], patterns: Sequence[str]
) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    for pattern in patterns:
        if "*" not in pattern:
            clauses.append(column == pattern)
            continue
        escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append(column.like(escaped.replace("*", "%"), escape="\\"))
    return or_(*clauses) if clauses else false()
