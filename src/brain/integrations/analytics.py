"""The analytics read model: per tenant, course and UTC day — generations requested, completed
and failed with their durations, course page views, enrolment clicks, checkouts and payments.

`apply` is the one projection, used by the `integrations_analytics` subscriber for each event as
it comes and by `rebuild` for the whole event log (`brain analytics rebuild`); a test checks that
the two agree. Both take the read model's lock first and note each event they count in
`analytics_applied`, so a rebuild running beside the live subscriber neither loses an event nor
counts one twice: whichever applies an event first counts it, the other finds it noted.

Views are counted per distribution: the course they belong to comes from `distribution.created`,
which precedes the distribution's views (same aggregate, so the stream keeps them in order).
A day is the UTC date of the event's timestamp.
"""

from __future__ import annotations

import csv
import io
import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date

from brain.events import CATALOG, Event
from brain.events.contracts.course import (
    CourseGenerationCompleted,
    CourseGenerationFailed,
    CourseGenerationRequested,
)
from brain.events.contracts.course_commerce import CoursePaymentCompleted, CoursePaymentRequired
from brain.events.contracts.distribution import (
    DistributionCreated,
    DistributionEnrollmentClicked,
    DistributionViewed,
)
from brain.events.operations import EventOperations
from brain.integrations.models import AnalyticsCourseDay
from brain.integrations.repository import COUNTERS, AnalyticsRepository
from brain.integrations.schemas import CourseFigures, DayFigures, Figures
from brain.kernel.uow import UnitOfWork

PAYLOADS = (
    CourseGenerationRequested,
    CourseGenerationCompleted,
    CourseGenerationFailed,
    DistributionCreated,
    DistributionViewed,
    DistributionEnrollmentClicked,
    CoursePaymentRequired,
    CoursePaymentCompleted,
)
TYPES = frozenset(CATALOG.spec_of(payload).type for payload in PAYLOADS)
_LOCKED = "analytics_locked"
REBUILD_PAGE = 500


def day_of(event: Event) -> date:
    return event.timestamp.astimezone(UTC).date()


async def apply(uow: UnitOfWork, event: Event) -> bool:
    """Count one event into the read model; whether it counted (not already there, a type the
    read model counts, with a tenant)."""
    tenant_id = event.meta.tenant_id
    if event.type not in TYPES or tenant_id is None:
        return False
    repo = AnalyticsRepository(uow.session)
    if not uow.info.get(_LOCKED):
        await repo.lock()
        uow.info[_LOCKED] = True
    if not await repo.mark_applied(event.id):
        return False
    payload = CATALOG.parse(event.type, event.meta.schema_version, event.payload)
    day = day_of(event)
    match payload:
        case CourseGenerationRequested():
            await repo.count(tenant_id, payload.course_id, day, generations_requested=1)
        case CourseGenerationCompleted():
            await repo.count(tenant_id, payload.course_id, day, generations_completed=1)
            await repo.add_generation_time(
                event.id, tenant_id, payload.course_id, day, payload.execution_time_seconds
            )
        case CourseGenerationFailed():
            await repo.count(tenant_id, payload.course_id, day, generations_failed=1)
        case DistributionCreated():
            await repo.keep_distribution(payload.distribution_id, tenant_id, payload.course_id)
        case DistributionViewed():
            course_id = await repo.course_of(payload.distribution_id)
            if course_id is not None:
                await repo.count(tenant_id, course_id, day, views=payload.views)
        case DistributionEnrollmentClicked():
            await repo.count(tenant_id, payload.course_id, day, enrollment_clicks=payload.clicks)
        case CoursePaymentRequired():
            await repo.count(tenant_id, payload.course_id, day, checkouts=1)
        case CoursePaymentCompleted():
            await repo.count(tenant_id, payload.course_id, day, payments=1)
    return True


async def rebuild(uow: UnitOfWork, events: EventOperations) -> int:
    """The read model from scratch, from every event in the log; the number of events counted.
    Runs in one transaction, holding the read model's lock: the live subscriber waits and then
    skips what the rebuild has counted."""
    repo = AnalyticsRepository(uow.session)
    await repo.lock()
    uow.info[_LOCKED] = True
    await repo.clear()
    counted = 0
    after: int | None = None
    while True:
        page = await events.list_events(
            tenant_id=None, all_tenants=True, after=after, limit=REBUILD_PAGE
        )
        for _, event, _published in page.items:
            counted += await apply(uow, event)
        if page.next_cursor is None:
            return counted
        after = page.next_cursor


# -- reading -------------------------------------------------------------------------------------


def _figures(rows: Iterable[AnalyticsCourseDay], seconds: Sequence[float]) -> dict[str, object]:
    totals = dict.fromkeys(COUNTERS, 0)
    for row in rows:
        for name in COUNTERS:
            totals[name] += getattr(row, name)
    clicks, payments = totals["enrollment_clicks"], totals["payments"]
    return {
        **totals,
        "median_generation_seconds": round(statistics.median(seconds), 3) if seconds else None,
        "conversion": round(payments / clicks, 4) if clicks else None,
    }


async def course_report(
    repo: AnalyticsRepository, tenant_id: uuid.UUID, course_id: uuid.UUID, start: date, end: date
) -> tuple[Figures, list[DayFigures]]:
    rows = await repo.course_days(tenant_id, course_id, start, end)
    times = await repo.generation_times(tenant_id, course_id, start, end)
    return _totals_and_days(rows, times)


def _totals_and_days(
    rows: Sequence[AnalyticsCourseDay], times: Sequence[tuple[uuid.UUID, date, float]]
) -> tuple[Figures, list[DayFigures]]:
    by_day: dict[date, list[AnalyticsCourseDay]] = defaultdict(list)
    for row in rows:
        by_day[row.day].append(row)
    seconds_by_day: dict[date, list[float]] = defaultdict(list)
    for _course, day, seconds in times:
        seconds_by_day[day].append(seconds)
    days = [
        DayFigures(day=day, **_figures(by_day[day], seconds_by_day[day])) for day in sorted(by_day)
    ]
    totals = Figures(**_figures(rows, [s for _c, _d, s in times]))
    return totals, days


async def tenant_report(
    repo: AnalyticsRepository, tenant_id: uuid.UUID, start: date, end: date
) -> tuple[Figures, list[DayFigures], list[CourseFigures]]:
    rows = await repo.course_days(tenant_id, None, start, end)
    times = await repo.generation_times(tenant_id, None, start, end)
    totals, days = _totals_and_days(rows, times)
    by_course: dict[uuid.UUID, list[AnalyticsCourseDay]] = defaultdict(list)
    for row in rows:
        by_course[row.course_id].append(row)
    seconds_by_course: dict[uuid.UUID, list[float]] = defaultdict(list)
    for course, _day, seconds in times:
        seconds_by_course[course].append(seconds)
    courses = [
        CourseFigures(
            course_id=course,
            **_figures(by_course[course], seconds_by_course[course]),
        )
        for course in sorted(by_course, key=str)
    ]
    return totals, days, courses


CSV_COLUMNS = ("day", *Figures.model_fields)


def as_csv(totals: Figures, days: Sequence[DayFigures]) -> str:
    """One row per day with activity, then a `total` row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in [*days, totals]:
        values = row.model_dump()
        day = values.pop("day", None)
        writer.writerow(
            [day.isoformat() if day else "total"]
            + ["" if values[name] is None else values[name] for name in Figures.model_fields]
        )
    return out.getvalue()
