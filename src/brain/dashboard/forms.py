"""Putting a contract's `ValidationFailed` next to the form fields it names, and reading the few
values a form gives as text but a contract takes otherwise (amounts, lists, times)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from brain.kernel.errors import BrainError, FieldError, ValidationFailed


@dataclass
class FieldErrors:
    """Reasons by form field; what names no field of the form is `general`."""

    by_field: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        exc: ValidationFailed,
        fields: Iterable[str],
        aliases: Mapping[str, str] | None = None,
    ) -> FieldErrors:
        """Each error at the field it names, or at the field it is part of (`seo.keywords.3`
        at `seo.keywords`, `target_audiences.0` at `target_audiences`); an error on a group
        (`cta`) goes to the group's name when the form has it."""
        names = sorted(fields, key=len, reverse=True)
        errors = cls()
        for error in exc.errors or [FieldError(field="", reason=exc.detail)]:
            path = (aliases or {}).get(error.field, error.field)
            target = next(
                (name for name in names if path == name or path.startswith(f"{name}.")), None
            )
            if target is None:
                errors.general.append(
                    f"{error.field}: {error.reason}" if error.field else error.reason
                )
            else:
                errors.add(target, error.reason)
        return errors

    def add(self, name: str, reason: str) -> None:
        self.by_field.setdefault(name, []).append(reason)

    def get(self, name: str) -> list[str]:
        return self.by_field.get(name, [])

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)


def amount_minor(text: str) -> int | None:
    """`19.90` → 1990 (cents); None when it is not an amount with at most two decimals."""
    try:
        amount = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return None
    return int(amount * 100)


def split_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def parse_pairs(text: str) -> tuple[dict[str, str], list[str]]:
    """`code URL` per line → {code: URL}, and the lines that are not such a pair."""
    pairs: dict[str, str] = {}
    bad: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        code, _, url = line.strip().partition(" ")
        if not url.strip():
            bad.append(line.strip())
        else:
            pairs[code] = url.strip()
    return pairs, bad


TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


def utc_time(text: str) -> datetime | None:
    """A time typed as UTC (`2026-01-31 14:00`, what a datetime-local input sends, or an ISO time
    with its offset); None when it is none of these."""
    value = text.strip()
    for pattern in TIME_FORMATS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def refusal(exc: BrainError) -> str | None:
    """What to flash when a contract refused a form (a conflict, bad input, a provider or
    workflow engine that is unavailable); None for what must answer with its own page: a
    refused role (403) and an object not found (404), so a forged form is refused as such."""
    return None if exc.status in (401, 403, 404) else exc.detail
