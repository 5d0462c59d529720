"""The release of a course's assignments into its learner repository, as a durable Temporal
workflow (workflow id `release-<course_id>`: one release of a course at a time).

begin (mark the deployments `deploying`) → publish (build each assignment's learner files, write
one commit, record the outcome) → completed; a failure that exhausts the retries ends in
`fail_release`. The workflow itself never touches the database or git; each activity has 3
attempts with a backoff of 5 s up to 1 min, a business error is not retried, and a release may
take 30 minutes at most.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError

WORKFLOW = "CourseContentRelease"
NON_RETRYABLE = ["ReleaseRefused"]
RELEASE_TIMEOUT = timedelta(minutes=30)
RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=5),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=1),
    maximum_attempts=3,
    non_retryable_error_types=NON_RETRYABLE,
)


def workflow_id(course_id: str) -> str:
    return f"release-{course_id}"


@dataclass
class ReleaseInput:
    course_id: str
    tenant_id: str
    requested_by: str
    content_ids: list[str] = field(default_factory=list)
    all_pending: bool = False
    force_redeploy: bool = False
    heartbeat_seconds: float = 30.0


@dataclass
class ReleaseRef:
    release: ReleaseInput
    workflow_id: str
    run_id: str


@dataclass
class ReleasePlan:
    release_id: str
    deployments: int


@dataclass
class ReleaseFailure:
    ref: ReleaseRef
    error_type: str
    message: str


@dataclass
class ReleaseResult:
    status: str
    commit_sha: str | None = None
    deployed: int = 0
    failed: int = 0
    timings: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@workflow.defn(name=WORKFLOW)
class ReleaseWorkflow:
    def __init__(self) -> None:
        self._stage = "queued"

    @workflow.query
    def stage(self) -> str:
        return self._stage

    @workflow.run
    async def run(self, request: ReleaseInput) -> ReleaseResult:
        info = workflow.info()
        ref = ReleaseRef(request, info.workflow_id, info.run_id)
        try:
            self._stage = "begin"
            plan = await workflow.execute_activity(
                "begin_release",
                ref,
                result_type=ReleasePlan,
                start_to_close_timeout=timedelta(minutes=2),
                retry_policy=RETRY,
            )
            self._stage = "publish"
            result: ReleaseResult = await workflow.execute_activity(
                "publish_release",
                ref,
                result_type=ReleaseResult,
                start_to_close_timeout=timedelta(minutes=20),
                heartbeat_timeout=timedelta(seconds=request.heartbeat_seconds),
                retry_policy=RETRY,
            )
            del plan
            self._stage = result.status
            return result
        except (ActivityError, ApplicationError, CancelledError, asyncio.CancelledError) as exc:
            error_type, message = _describe(exc)
            self._stage = "failed"
            await workflow.execute_activity(
                "fail_release",
                ReleaseFailure(ref, error_type, message),
                start_to_close_timeout=timedelta(minutes=1),
                retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=10)),
            )
            return ReleaseResult("failed", error=f"{error_type}: {message}")


def _describe(exc: BaseException) -> tuple[str, str]:
    cause: BaseException = exc
    while cause.__cause__ is not None:
        cause = cause.__cause__
    if isinstance(cause, ApplicationError) and cause.type:
        return cause.type, cause.message
    if isinstance(cause, CancelledError | asyncio.CancelledError):
        return "ReleaseCancelled", "the release was cancelled"
    return type(cause).__name__, str(cause) or type(cause).__name__
