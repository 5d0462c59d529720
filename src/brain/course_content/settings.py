"""The course content's settings (`BRAIN_CONTENT_*`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from brain.kernel.config import BrainSettings

PLACEHOLDERS = ("{course_id}", "{tenant_id}")


class ContentSettings(BrainSettings):
    content_task_queue: Annotated[str, Field(min_length=1, max_length=200)] = "course-content"
    content_git_remote_template: str = ""
    """Empty: the course repositories stay local; else a URL with `{course_id}` (and optionally
    `{tenant_id}`) that every release pushes to."""
    content_release_heartbeat_seconds: Annotated[float, Field(gt=0, le=600)] = 30.0
    content_release_push_attempts: Annotated[int, Field(ge=1, le=10)] = 3
    content_upload_max_bytes: Annotated[int, Field(ge=1024, le=1024 * 1024 * 1024)] = (
        11 * 1024 * 1024
    )
    """Request bodies of example uploads (the zip may have 10 MiB, plus the multipart frame)."""

    @field_validator("content_git_remote_template")
    @classmethod
    def _names_the_course(cls, value: str) -> str:
        if value and "{course_id}" not in value:
            raise ValueError("the remote template must contain {course_id}")
        try:
            value.format(course_id="c", tenant_id="t")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"only {{course_id}} and {{tenant_id}} may be used ({exc})") from None
        return value
