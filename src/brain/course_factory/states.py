"""The course workflow: DRAFT → REVIEW → PUBLISH_READY → PUBLISHED → ARCHIVED.

| from          | to            | needs an approval |
|---------------|---------------|-------------------|
| DRAFT         | REVIEW        | no (also done by `system` when a generation completes) |
| REVIEW        | PUBLISH_READY | yes: an approver other than the requester decides |
| REVIEW        | DRAFT         | no |
| PUBLISH_READY | PUBLISHED     | no; emits `course.distribution.requested` |
| PUBLISH_READY | REVIEW        | no |
| PUBLISHED     | ARCHIVED      | no |
| PUBLISHED     | PUBLISH_READY | no (taken back for changes) |
| ARCHIVED      | DRAFT         | no |
"""

from __future__ import annotations

from brain.course_factory.models import WorkflowState as S

TRANSITIONS: dict[S, dict[S, bool]] = {
    S.DRAFT: {S.REVIEW: False},
    S.REVIEW: {S.PUBLISH_READY: True, S.DRAFT: False},
    S.PUBLISH_READY: {S.PUBLISHED: False, S.REVIEW: False},
    S.PUBLISHED: {S.ARCHIVED: False, S.PUBLISH_READY: False},
    S.ARCHIVED: {S.DRAFT: False},
}


def allowed_targets(state: S) -> list[S]:
    return list(TRANSITIONS.get(state, {}))


def needs_approval(source: S, target: S) -> bool | None:
    """True/False for a legal transition, None for an illegal one."""
    return TRANSITIONS.get(source, {}).get(target)
