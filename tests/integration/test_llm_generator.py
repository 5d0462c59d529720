"""The LLM generator against a real OpenAI-compatible HTTP server on loopback.

`FakeLlm` is a small HTTP/1.1 server (asyncio streams, keep-alive) that speaks the
chat-completions protocol: each test scripts its replies (valid JSON, invalid JSON, schema-invalid
JSON, slow replies, 429, 5xx, 401) and inspects the requests it received. The generator's sleep is
injected so that backoff and `Retry-After` are recorded instead of waited for.
"""

from __future__ import annotations

import json
import logging
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from brain.bootstrap import build_platform
from brain.course_factory.content import (
    Audience,
    ContentGenerator,
    CourseBrief,
    GenerationError,
    LandingPage,
    LessonContent,
    Outline,
    Quiz,
    QuizQuestion,
)
from brain.course_factory.generators import LlmGenerator, TemplateGenerator, build_generator
from brain.course_factory.module import MODULE as FACTORY
from tests.conftest import make_settings
from tests.support.fake_llm import FakeLlm, Reply, completion

API_KEY = "sk-test-0123456789abcdefSECRET"
MODEL = "brain-test-model"


@pytest.fixture
async def fake_llm() -> AsyncIterator[FakeLlm]:
    server = FakeLlm()
    await server.start()
    yield server
    await server.stop()


@dataclass
class Harness:
    server: FakeLlm
    sleeps: list[float]
    make: Callable[..., LlmGenerator]


@pytest.fixture
async def llm(fake_llm: FakeLlm) -> AsyncIterator[Harness]:
    sleeps: list[float] = []
    made: list[LlmGenerator] = []

    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def make(**options: Any) -> LlmGenerator:
        options.setdefault("timeout_seconds", 2.0)
        generator = LlmGenerator(
            options.pop("base_url", fake_llm.base_url),
            MODEL,
            options.pop("api_key", API_KEY),
            sleep=record_sleep,
            **options,
        )
        made.append(generator)
        return generator

    yield Harness(fake_llm, sleeps, make)
    for generator in made:
        await generator.aclose()


def brief(language: str = "de", template_id: str = "banking_alternatives") -> CourseBrief:
    return CourseBrief(
        course_id=uuid.UUID("00000000-0000-4000-8000-00000000c0de"),
        title="Besser als die Hausbank",
        description="Neobanken, Genossenschaftsbanken und ein sicherer Kontowechsel.",
        language=language,  # type: ignore[arg-type]
        target_audiences=[Audience.STUDENTS, Audience.RETIREES],
        template_id=template_id,
    )


async def template_content() -> tuple[Outline, LessonContent, Quiz, LandingPage]:
    """Valid content to serve as the model's replies."""
    generator = TemplateGenerator()
    outline = (await generator.outline(brief())).value
    lesson = (await generator.lesson(brief(), outline, 0, 0)).value
    quiz = (await generator.quiz(brief(), outline)).value
    page = (await generator.landing_page(brief(), outline)).value
    return outline, lesson, quiz, page


# --- the happy path and what is sent -----------------------------------------------------------


async def test_valid_json_is_returned_with_its_usage_and_the_request_is_complete(
    llm: Harness,
) -> None:
    outline, *_ = await template_content()
    llm.server.script(completion(outline, prompt_tokens=321, completion_tokens=123))
    _typed: ContentGenerator = llm.make()
    generated = await _typed.outline(brief("de"))

    assert generated.value == outline
    assert (generated.usage.prompt_tokens, generated.usage.completion_tokens) == (321, 123)
    assert len(llm.server.requests) == 1
    request = llm.server.requests[0]
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.body["model"] == MODEL
    assert request.body["response_format"] == {"type": "json_object"}
    system, user = request.messages
    assert (system["role"], user["role"]) == ("system", "user")
    assert "German" in system["content"]
    assert "'de'" in system["content"]
    assert json.dumps(Outline.model_json_schema(), separators=(",", ":")) in system["content"]
    assert "12 to 30 lessons" in system["content"]
    assert "Besser als die Hausbank" in user["content"]
    assert "students, retirees" in user["content"]
    assert llm.sleeps == []


@pytest.mark.parametrize(
    ("language", "name"), [("en", "English"), ("fr", "French"), ("es", "Spanish")]
)
async def test_the_prompt_names_the_briefs_language(llm: Harness, language: str, name: str) -> None:
    outline, *_ = await template_content()
    llm.server.script(completion(outline))
    await llm.make().outline(brief(language))
    system = llm.server.requests[0].messages[0]["content"]
    assert f"Write every text in {name}" in system
    assert f"'{language}'" in system


async def test_every_method_validates_its_own_model_and_sends_the_outline(llm: Harness) -> None:
    outline, lesson, quiz, page = await template_content()
    llm.server.script(
        completion(lesson, 10, 1),
        completion(quiz, 20, 2),
        completion(quiz.questions[3], 30, 3),
        completion(page, 40, 4),
    )
    generator = llm.make()
    course = brief()
    assert (await generator.lesson(course, outline, 0, 0)).value == lesson
    assert (await generator.quiz(course, outline)).value == quiz
    question = await generator.quiz_question(course, outline, 3)
    assert question.value == quiz.questions[3]
    assert question.usage.completion_tokens == 3
    assert (await generator.landing_page(course, outline)).value == page

    schemas = [LessonContent, Quiz, QuizQuestion, LandingPage]
    for request, schema in zip(llm.server.requests, schemas, strict=True):
        system, user = request.messages
        assert json.dumps(schema.model_json_schema(), separators=(",", ":")) in system["content"]
        for module in outline.modules:
            assert module.title in user["content"]
    assert outline.modules[0].lessons[0].title in llm.server.requests[0].messages[1]["content"]


async def test_a_json_reply_in_a_code_fence_is_accepted(llm: Harness) -> None:
    outline, *_ = await template_content()
    llm.server.script(completion(f"```json\n{outline.model_dump_json()}\n```"))
    assert (await llm.make().outline(brief())).value == outline


async def test_without_an_api_key_no_authorization_header_is_sent(llm: Harness) -> None:
    outline, *_ = await template_content()
    llm.server.script(completion(outline))
    await llm.make(api_key="").outline(brief())
    assert "authorization" not in llm.server.requests[0].headers


# --- invalid output and repair -----------------------------------------------------------------


async def test_invalid_json_is_repaired_with_one_more_request(llm: Harness) -> None:
    outline, *_ = await template_content()
    llm.server.script(
        completion('{"modules": [', prompt_tokens=100, completion_tokens=7),
        completion(outline, prompt_tokens=180, completion_tokens=900),
    )
    generated = await llm.make().outline(brief())

    assert generated.value == outline
    assert (generated.usage.prompt_tokens, generated.usage.completion_tokens) == (280, 907)
    assert len(llm.server.requests) == 2
    repair = llm.server.requests[1].messages
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    assert repair[2]["content"] == '{"modules": ['
    assert "not valid JSON" in repair[3]["content"]
    assert llm.sleeps == []


async def test_schema_invalid_json_twice_then_valid_starts_over_after_the_failed_repair(
    llm: Harness,
) -> None:
    outline, *_ = await template_content()
    too_short = {"modules": [m.model_dump() for m in outline.modules[:2]]}
    extra_field = {**outline.model_dump(), "comment": "here is your outline"}
    llm.server.script(
        completion(too_short, 10, 1),
        completion(extra_field, 20, 2),
        completion(outline, 30, 3),
    )
    generated = await llm.make().outline(brief())

    assert generated.value == outline
    assert (generated.usage.prompt_tokens, generated.usage.completion_tokens) == (60, 6)
    first, repair, fresh = llm.server.requests
    assert len(first.messages) == 2
    assert len(repair.messages) == 4
    assert "does not match the schema" in repair.messages[3]["content"]
    assert "modules" in repair.messages[3]["content"]
    assert fresh.messages == first.messages


async def test_output_that_stays_invalid_is_a_retryable_error(llm: Harness) -> None:
    llm.server.otherwise = completion({"modules": []}, 5, 5)
    with pytest.raises(GenerationError, match="no valid Outline") as raised:
        await llm.make(max_attempts=2).outline(brief())
    assert raised.value.retryable is True
    assert len(llm.server.requests) == 4  # 2 rounds of request + repair


# --- timeouts, 5xx, 429 ------------------------------------------------------------------------


async def test_a_timeout_is_retried_after_a_backoff(llm: Harness) -> None:
    outline, *_ = await template_content()
    llm.server.script(Reply(delay=1.0, body={}), completion(outline, 7, 8))
    generated = await llm.make(timeout_seconds=0.2).outline(brief())
    assert generated.value == outline
    assert (generated.usage.prompt_tokens, generated.usage.completion_tokens) == (7, 8)
    assert len(llm.server.requests) == 2
    assert llm.sleeps == [0.5]


async def test_a_server_that_is_always_too_slow_gives_a_retryable_error(llm: Harness) -> None:
    llm.server.otherwise = Reply(delay=1.0, body={})
    with pytest.raises(GenerationError, match=r"no answer within 0\.2 s") as raised:
        await llm.make(timeout_seconds=0.2, max_attempts=3).outline(brief())
    assert raised.value.retryable is True
    assert len(llm.server.requests) == 3
    assert llm.sleeps == [0.5, 1.0]


async def test_a_5xx_is_retried_and_the_last_one_reported(llm: Harness) -> None:
    outline, *_ = await template_content()
    llm.server.script(Reply(503, {"error": {"message": "overloaded"}}), completion(outline))
    assert (await llm.make().outline(brief())).value == outline
    assert llm.sleeps == [0.5]

    llm.server.otherwise = Reply(502, "<html>bad gateway</html>")
    with pytest.raises(GenerationError, match="HTTP 502") as raised:
        await llm.make(max_attempts=2).outline(brief())
    assert raised.value.retryable is True


async def test_a_429_waits_for_its_retry_after(llm: Harness) -> None:
    outline, *_ = await template_content()
    llm.server.script(
        Reply(429, {"error": {"message": "slow down"}}, headers={"Retry-After": "1"}),
        completion(outline, 11, 22),
    )
    generated = await llm.make().outline(brief())
    assert generated.value == outline
    assert llm.sleeps == [1.0]
    assert (generated.usage.prompt_tokens, generated.usage.completion_tokens) == (11, 22)


async def test_a_long_retry_after_is_capped_and_a_missing_one_backs_off(llm: Harness) -> None:
    outline, *_ = await template_content()
    llm.server.script(
        Reply(429, {}, headers={"Retry-After": "3600"}),
        Reply(429, {}),
        completion(outline),
    )
    await llm.make(max_attempts=3, max_retry_after_seconds=30).outline(brief())
    assert llm.sleeps == [30.0, 1.0]


async def test_a_reply_that_is_not_a_chat_completion_is_retried(llm: Harness) -> None:
    outline, *_ = await template_content()
    llm.server.script(Reply(200, {"unexpected": True}), completion(outline))
    assert (await llm.make().outline(brief())).value == outline
    assert len(llm.server.requests) == 2


async def test_a_refused_connection_is_a_retryable_error(llm: Harness) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    generator = llm.make(base_url=f"http://127.0.0.1:{port}/v1", max_attempts=2)
    with pytest.raises(GenerationError, match="connection failed") as raised:
        await generator.outline(brief())
    assert raised.value.retryable is True
    assert llm.sleeps == [0.5]


# --- permanent errors and the secret -----------------------------------------------------------


@pytest.mark.parametrize("status", [400, 401, 403, 404])
async def test_a_4xx_is_a_permanent_error_that_never_shows_the_key(
    llm: Harness, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = {"error": {"message": f"Incorrect API key provided: {API_KEY}", "code": status}}
    llm.server.otherwise = Reply(status, echo)
    generator = llm.make()
    with pytest.raises(GenerationError, match=f"HTTP {status}") as raised:
        await generator.outline(brief())

    assert raised.value.retryable is False
    assert len(llm.server.requests) == 1
    assert llm.sleeps == []
    shown = " ".join([str(raised.value), repr(raised.value), repr(generator), caplog.text])
    assert API_KEY not in shown
    assert "Incorrect API key provided: ***" in str(raised.value)


async def test_the_key_stays_out_of_retry_logs_and_final_errors(
    llm: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    llm.server.otherwise = Reply(500, {"error": {"message": f"upstream rejected {API_KEY}"}})
    with pytest.raises(GenerationError) as raised:
        await llm.make(max_attempts=2).outline(brief())
    assert "HTTP 500" in caplog.text
    assert API_KEY not in caplog.text
    assert API_KEY not in str(raised.value)
    assert raised.value.__cause__ is None or API_KEY not in str(raised.value.__cause__)


async def test_an_unknown_template_fails_before_any_request(llm: Harness) -> None:
    generator = llm.make()
    assert generator.knows_template("custom")
    assert not generator.knows_template("astrology")
    with pytest.raises(GenerationError) as raised:
        await generator.outline(brief(template_id="astrology"))
    assert raised.value.retryable is False
    assert llm.server.requests == []


@pytest.mark.parametrize("base_url", ["", "api.example.com/v1", "ftp://example.com", "http://"])
def test_a_base_url_that_is_not_http_is_refused_at_construction(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        LlmGenerator(base_url, MODEL, API_KEY)


# --- the factory -------------------------------------------------------------------------------


async def test_the_factory_picks_the_template_generator_without_an_endpoint() -> None:
    generator = build_generator(make_settings())
    assert isinstance(generator, TemplateGenerator)


async def test_the_factory_builds_the_llm_generator_from_the_settings(fake_llm: FakeLlm) -> None:
    settings = make_settings(
        llm_base_url=fake_llm.base_url,
        llm_model=MODEL,
        llm_api_key=API_KEY,
        llm_timeout_seconds=5,
    )
    assert API_KEY not in repr(settings)
    assert isinstance(settings.llm_api_key, SecretStr)
    generator = build_generator(settings)
    assert isinstance(generator, LlmGenerator)
    assert (generator.model, generator.timeout_seconds) == (MODEL, 5.0)
    outline, *_ = await template_content()
    fake_llm.script(completion(outline))
    try:
        assert (await generator.outline(brief())).value == outline  # its own HTTP client
    finally:
        await generator.aclose()
    assert fake_llm.requests[0].headers["authorization"] == f"Bearer {API_KEY}"


async def test_an_injected_client_is_used_and_left_open(fake_llm: FakeLlm) -> None:
    outline, *_ = await template_content()
    fake_llm.script(completion(outline))
    async with httpx.AsyncClient(headers={"X-Trace": "on"}) as client:
        async with LlmGenerator(fake_llm.base_url, MODEL, API_KEY, client=client) as generator:
            await generator.outline(brief())
        assert not client.is_closed
    assert fake_llm.requests[0].headers["x-trace"] == "on"


async def test_closing_the_platform_closes_the_llm_generators_client(
    fake_llm: FakeLlm, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, llm_base_url=fake_llm.base_url, llm_model=MODEL)
    platform = build_platform(settings)
    generator = platform.deps_of(FACTORY).steps.generator
    assert isinstance(generator, LlmGenerator)
    outline, *_ = await template_content()
    fake_llm.script(completion(outline))
    await generator.outline(brief())
    client = generator._client
    assert client is not None and not client.is_closed
    await platform.close()
    assert client.is_closed
