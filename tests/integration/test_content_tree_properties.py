"""Property: any sequence of create / move / delete, allowed or refused, keeps the tree sound —
every path unique, every parent existing, no child below a kind that may not have children — and
a refused operation changes nothing (the service on a real database, both dialects)."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brain.bootstrap import Platform
from brain.course_content.models import CourseContent
from brain.course_content.module import MODULE as CONTENT
from brain.course_content.schemas import ContentCreate, ContentUpdate
from brain.course_content.tree import parent_of
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import Principal
from brain.kernel.errors import BrainError
from tests.conftest import TenantKeys
from tests.support.content import make_course

LABELS = st.sampled_from(["a", "b", "c"])
PATHS = st.lists(LABELS, min_size=1, max_size=3).map(".".join)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("create"), PATHS, st.sampled_from(["unit", "assignment"])),
        st.tuples(st.just("move"), st.integers(0, 20), PATHS),
        st.tuples(st.just("delete"), st.integers(0, 20), st.booleans()),
    ),
    min_size=1,
    max_size=12,
)


async def snapshot(platform: Platform, course_id: uuid.UUID) -> dict[str, str]:
    async with platform.database.read_session() as session:
        rows = await session.execute(
            CourseContent.__table__.select().where(CourseContent.course_id == course_id)
        )
        return {row.path: row.kind_id for row in rows}


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
async def test_random_tree_operations_keep_paths_unique_and_parents_real(
    platform: Platform, tenant: TenantKeys, operations: list[tuple[object, ...]]
) -> None:
    course_id = await _course(platform, tenant)
    deps = platform.deps_of(CONTENT)
    principal = Principal(tenant.tenant_id, tenant.key_ids[Role.EDITOR], Role.EDITOR)
    containers = {"unit"}
    for operation in operations:
        before = await snapshot(platform, course_id)
        ids = await _ids(platform, course_id)
        try:
            async with platform.unit_of_work() as uow:
                service = deps.content(uow)
                if operation[0] == "create":
                    _, path, kind = operation
                    await service.create(
                        tenant.tenant_id,
                        ContentCreate(course_id=course_id, path=path, kind=kind, title="t"),
                    )
                elif ids and operation[0] == "move":
                    _, index, path = operation
                    await service.update(
                        principal, ids[int(index) % len(ids)], ContentUpdate(path=path)
                    )
                elif ids and operation[0] == "delete":
                    _, index, cascade = operation
                    await service.delete(
                        principal, ids[int(index) % len(ids)], cascade=bool(cascade)
                    )
        except BrainError:
            assert await snapshot(platform, course_id) == before, operation
        after = await snapshot(platform, course_id)
        for path in after:
            above = parent_of(path)
            if above is not None:
                assert above in after, (operation, path, after)
                assert after[above] in containers, (operation, path, after)
        assert len(await _ids(platform, course_id)) == len(after)


_courses: dict[uuid.UUID, uuid.UUID] = {}


async def _course(platform: Platform, tenant: TenantKeys) -> uuid.UUID:
    """One course per test run (its tenant), a fresh content tree per example: earlier examples'
    nodes are removed first."""
    if tenant.tenant_id not in _courses:
        _courses[tenant.tenant_id] = await make_course(platform, tenant)
    course_id = _courses[tenant.tenant_id]
    async with platform.unit_of_work() as uow:
        await uow.session.execute(
            CourseContent.__table__.delete().where(CourseContent.course_id == course_id)
        )
    return course_id


async def _ids(platform: Platform, course_id: uuid.UUID) -> list[uuid.UUID]:
    async with platform.database.read_session() as session:
        rows = await session.scalars(
            CourseContent.__table__.select()
            .with_only_columns(CourseContent.id)
            .where(CourseContent.course_id == course_id)
            .order_by(CourseContent.path)
        )
        return list(rows.all())
