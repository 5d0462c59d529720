"""Which content generator the platform uses, from the settings.

`BRAIN_LLM_BASE_URL` set: `LlmGenerator` on that endpoint with `BRAIN_LLM_MODEL`,
`BRAIN_LLM_API_KEY` and `BRAIN_LLM_TIMEOUT_SECONDS`. Not set (the default): the offline
`TemplateGenerator`, so the platform generates complete courses without any external service.
"""

from __future__ import annotations

from brain.course_factory.content import ContentGenerator
from brain.course_factory.generators.llm import LlmGenerator
from brain.course_factory.generators.template import TemplateGenerator
from brain.course_factory.settings import FactorySettings


def build_generator(settings: FactorySettings) -> ContentGenerator:
    """The configured generator. An `LlmGenerator` owns its HTTP client: call `aclose()` on it
    when the platform shuts down."""
    if settings.llm_base_url:
        return LlmGenerator(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key,
            timeout_seconds=settings.llm_timeout_seconds,
        )
    return TemplateGenerator()
