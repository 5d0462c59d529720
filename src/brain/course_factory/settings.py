"""The course factory's settings (`BRAIN_GENERATION_*`, `BRAIN_LLM_*`, the task queue, the key of
the learners' access links)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr

from brain.kernel.config import BrainSettings


class FactorySettings(BrainSettings):
    temporal_task_queue: Annotated[str, Field(min_length=1, max_length=200)] = "course-factory"
    generation_lesson_concurrency: Annotated[int, Field(ge=1, le=30)] = 4
    generation_activity_timeout_seconds: Annotated[float, Field(gt=0, le=3600)] = 120.0
    generation_max_attempts: Annotated[int, Field(ge=1, le=20)] = 5
    llm_base_url: str = ""
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr = SecretStr("")
    llm_timeout_seconds: Annotated[float, Field(gt=0, le=600)] = 60.0
    preview_link_seconds: Annotated[int, Field(ge=60, le=30 * 86_400)] = 3600
    """How long a staging site's preview link opens it."""
