"""The LLM generator: course content from any OpenAI-compatible chat-completions endpoint.

`LlmGenerator` sends `POST {base_url}/chat/completions` (OpenAI, Azure OpenAI behind a compatible
gateway, vLLM, Ollama, LM Studio, llama.cpp server, ...) with

- `Authorization: Bearer <api_key>` (left out when the key is empty, for local servers);
- `model`, `messages` and `response_format={"type": "json_object"}`;
- a system message that names the language to write in (the brief's) and carries the JSON Schema
  of the expected model (`Outline`, `LessonContent`, `Quiz`, `QuizQuestion`, `LandingPage`) plus
  the rules a schema cannot express (lesson counts, distinct options, hero first, ...);
- a user message with the brief (and the outline, for everything after the outline).

The reply's `choices[0].message.content` is parsed as JSON (a surrounding Markdown code fence is
tolerated) and validated with the same pydantic models the template generator's output satisfies.

Failure handling, per call of a generator method:

- Invalid JSON or a validation error: one **repair** request follows, which repeats the
  conversation, adds the invalid reply and the list of errors, and asks for the corrected JSON.
  If the repair is invalid too, the whole request starts over; after `max_attempts` such rounds
  the call fails with `GenerationError(retryable=True)`.
- Transport problems are retried inside each request, up to `max_attempts` tries: timeouts
  (`timeout_seconds` per try), connection errors, 5xx and replies that are not a chat completion,
  with exponential backoff (`backoff_seconds` doubled per try, at most `max_backoff_seconds`);
  a **429** waits for its `Retry-After` (seconds or an HTTP date), capped at
  `max_retry_after_seconds`, or the backoff when the header is missing. Exhausted tries raise
  `GenerationError(retryable=True)`.
- Any other 3xx/4xx (bad key, unknown model, request too large) raises
  `GenerationError(retryable=False)`: repeating the same request cannot help.

`Generated.usage` is the sum of `usage.prompt_tokens` / `usage.completion_tokens` over every
response of the call (repairs and restarts included; failed tries report none).

The API key never appears in exceptions, log records or `repr`: it is kept as a `SecretStr`, error
excerpts of response bodies are redacted, and credentials in `base_url` are masked.

`quiz_question(i)` asks the model for one fresh question about lesson `i` (modulo the number of
lessons); it is an alternative to `quiz().questions[i]`, not a copy of it (a model is not
deterministic). The sleep function is injectable (`sleep=`) so tests run without waiting.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from brain.course_factory.content import (
    CourseBrief,
    Generated,
    GenerationError,
    LandingPage,
    LessonContent,
    Outline,
    Quiz,
    QuizQuestion,
    Usage,
)
from brain.course_factory.generators.template import TEMPLATE_IDS
from brain.kernel.config import redact_url

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
Sleep = Callable[[float], Awaitable[None]]

LANGUAGE_NAMES = {
    "de": "German (Deutsch)",
    "en": "English",
    "fr": "French (français)",
    "es": "Spanish (español)",
}

TEMPLATE_TOPICS = {
    "banking_alternatives": (
        "a course on alternatives to traditional banks: neobanks, credit unions and cooperative "
        "banks, ethical banks, online brokers, payment apps, what accounts really cost, deposit "
        "protection, account security and fraud, and switching accounts safely"
    ),
    "custom": "a course on the subject given by the title and the description",
}

_LESSON_RULES = """\
- "title" is the lesson title exactly as given.
- "markdown" is 200 to 40000 characters of Markdown: a "# " title line, an introduction, several
  "## " sections that explain the topic, at least one concrete worked example written for the
  target audiences, at least one bullet list, and a last "## " section that summarises the lesson,
  headed with the word for "Summary" in the course language."""

_QUESTION_RULES = """\
- "question" 10 to 500 characters; 3 or 4 "options", all different, exactly one correct.
- "correct_index" is the 0-based position of the correct option.
- "explanation" (10 to 1000 characters) says why that option is correct."""

_REPAIR = (
    "Your reply cannot be used: {problem}\n"
    "Reply again with the complete, corrected JSON object only, following the schema and the "
    "rules of the first message."
)


class LlmGenerator:
    """Content from an OpenAI-compatible chat-completions endpoint (see the module docs)."""

    name: str = "llm"
    version: str = "1.0.0"

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | SecretStr = "",
        *,
        timeout_seconds: float = 60.0,
        max_attempts: int = 3,
        client: httpx.AsyncClient | None = None,
        sleep: Sleep = asyncio.sleep,
        backoff_seconds: float = 0.5,
        max_backoff_seconds: float = 8.0,
        max_retry_after_seconds: float = 30.0,
    ) -> None:
        try:
            url = httpx.URL(base_url)
        except httpx.InvalidURL:
            url = None
        if url is None or url.scheme not in ("http", "https") or not url.host:
            raise ValueError(
                "base_url must be an http(s) URL such as https://api.openai.com/v1, "
                f"got {redact_url(base_url)!r}"
            )
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be positive")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout_seconds = timeout_seconds
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.max_retry_after_seconds = max_retry_after_seconds
        self._api_key = api_key if isinstance(api_key, SecretStr) else SecretStr(api_key)
        self._client = client
        self._owns_client = client is None
        self._sleep = sleep
        self._where = f"the LLM endpoint {redact_url(self.base_url)}"

    def __repr__(self) -> str:
        return f"LlmGenerator(base_url={redact_url(self.base_url)!r}, model={self.model!r})"

    async def aclose(self) -> None:
        """Close the HTTP client if this generator created it (an injected one stays open)."""
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    async def __aenter__(self) -> LlmGenerator:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def knows_template(self, template_id: str) -> bool:
        return template_id in TEMPLATE_IDS

    # --- the ContentGenerator methods ----------------------------------------------------------

    async def outline(self, brief: CourseBrief) -> Generated[Outline]:
        rules = (
            "- 4 to 6 modules, 2 to 8 lessons per module, 12 to 30 lessons in total.\n"
            "- Titles 3 to 200 characters, summaries 10 to 600 characters; no two lessons share "
            "a title.\n"
            "- Order the modules from the basics to putting the knowledge into practice."
        )
        task = "Create the outline of this course: its modules and their lessons."
        return await self._generate(Outline, brief, None, task, rules)

    async def lesson(
        self, brief: CourseBrief, outline: Outline, module_index: int, lesson_index: int
    ) -> Generated[LessonContent]:
        if not 0 <= module_index < len(outline.modules) or not 0 <= lesson_index < len(
            outline.modules[module_index].lessons
        ):
            raise GenerationError(
                f"no lesson {lesson_index} in module {module_index} of the outline",
                retryable=False,
            )
        module = outline.modules[module_index]
        lesson = module.lessons[lesson_index]
        task = (
            f"Write the full lesson {module_index + 1}.{lesson_index + 1} "
            f"{json.dumps(lesson.title, ensure_ascii=False)} of the module "
            f"{json.dumps(module.title, ensure_ascii=False)}. "
            f"What the outline says about it: {lesson.summary}"
        )
        return await self._generate(LessonContent, brief, outline, task, _LESSON_RULES)

    async def quiz(self, brief: CourseBrief, outline: Outline) -> Generated[Quiz]:
        rules = (
            "- 10 to 15 questions, each about one lesson of the outline; cover all modules.\n"
            + _QUESTION_RULES
            + "\n- Vary the position of the correct option from question to question."
        )
        task = "Write the final quiz of this course about the lessons of its outline."
        return await self._generate(Quiz, brief, outline, task, rules)

    async def quiz_question(
        self, brief: CourseBrief, outline: Outline, question_index: int
    ) -> Generated[QuizQuestion]:
        if question_index < 0:
            raise GenerationError(
                f"question_index must be 0 or more, got {question_index}", retryable=False
            )
        positions = outline.lesson_positions()
        m, i = positions[question_index % len(positions)]
        lesson = outline.modules[m].lessons[i]
        task = (
            f"Write quiz question number {question_index + 1} of this course, about the lesson "
            f"{m + 1}.{i + 1} {json.dumps(lesson.title, ensure_ascii=False)}."
        )
        return await self._generate(QuizQuestion, brief, outline, task, _QUESTION_RULES)

    async def landing_page(self, brief: CourseBrief, outline: Outline) -> Generated[LandingPage]:
        rules = (
            "- Sections in this order: hero (its heading is the course title), benefits, "
            "audience, curriculum (one item per module of the outline), faq, cta.\n"
            "- No pricing and no testimonials: no prices or reviews are known.\n"
            "- Headings 3 to 200 characters, bodies up to 4000, at most 20 items per section, "
            "each up to 400 characters."
        )
        task = "Write the landing page that presents this course to visitors."
        return await self._generate(LandingPage, brief, outline, task, rules)

    # --- prompting and validation --------------------------------------------------------------

    async def _generate(
        self,
        target: type[M],
        brief: CourseBrief,
        outline: Outline | None,
        task: str,
        rules: str,
    ) -> Generated[M]:
        if brief.template_id not in TEMPLATE_IDS:
            known = ", ".join(TEMPLATE_IDS)
            raise GenerationError(
                f"unknown template {brief.template_id!r} (known: {known})", retryable=False
            )
        messages = [
            {"role": "system", "content": _system_prompt(brief, target, rules)},
            {"role": "user", "content": _user_prompt(brief, outline, task)},
        ]
        usage = Usage()
        problem = ""
        for round_ in range(1, self.max_attempts + 1):
            content, spent = await self._complete(messages)
            usage += spent
            value, problem = _validated(target, content)
            if value is not None:
                return Generated(value=value, usage=usage)
            log.warning(
                "%s returned an invalid %s (round %d of %d), asking for a repair: %s",
                self._where,
                target.__name__,
                round_,
                self.max_attempts,
                self._redact(problem[:300]),
            )
            repair = [
                *messages,
                {"role": "assistant", "content": content[:20_000]},
                {"role": "user", "content": _REPAIR.format(problem=problem)},
            ]
            content, spent = await self._complete(repair)
            usage += spent
            value, problem = _validated(target, content)
            if value is not None:
                return Generated(value=value, usage=usage)
        raise GenerationError(
            self._redact(
                f"{self._where} returned no valid {target.__name__} in {self.max_attempts} "
                f"rounds (each with a repair request); last problem: {problem[:500]}"
            ),
            retryable=True,
        )

    # --- HTTP ----------------------------------------------------------------------------------

    async def _complete(self, messages: list[dict[str, str]]) -> tuple[str, Usage]:
        """One chat completion: the reply's content and its token usage, retrying transport
        failures, 5xx and 429 up to `max_attempts` tries."""
        body = {
            "model": self.model,
            "messages": messages,
            "response_format": {"type": "json_object"},
        }
        headers = {"Accept": "application/json"}
        key = self._api_key.get_secret_value()
        if key:
            headers["Authorization"] = f"Bearer {key}"
        client = self._http()
        reason = ""
        for attempt in range(1, self.max_attempts + 1):
            delay = min(self.backoff_seconds * 2 ** (attempt - 1), self.max_backoff_seconds)
            try:
                response = await client.post(
                    f"{self.base_url}/chat/completions",
                    json=body,
                    headers=headers,
                    timeout=httpx.Timeout(self.timeout_seconds),
                )
            except httpx.TimeoutException:
                reason = f"no answer within {self.timeout_seconds:g} s"
            except httpx.TransportError as exc:
                reason = f"connection failed ({type(exc).__name__})"
            else:
                status = response.status_code
                if status == 429:
                    reason = "rate limited (HTTP 429)"
                    wait = _retry_after(response.headers.get("retry-after"))
                    if wait is not None:
                        delay = min(wait, self.max_retry_after_seconds)
                elif status >= 500:
                    reason = f"HTTP {status}: {self._excerpt(response)}"
                elif status >= 300:
                    raise GenerationError(
                        self._redact(
                            f"{self._where} rejected the request with HTTP {status}: "
                            f"{self._excerpt(response)}"
                        ),
                        retryable=False,
                    )
                else:
                    completion = _completion(response)
                    if completion is not None:
                        return completion
                    reason = "the response is not a chat completion"
            if attempt < self.max_attempts:
                log.warning(
                    "%s: %s; try %d of %d, next in %.1f s",
                    self._where,
                    self._redact(reason),
                    attempt,
                    self.max_attempts,
                    delay,
                )
                await self._sleep(delay)
        raise GenerationError(
            self._redact(f"{self._where}: gave up after {self.max_attempts} tries; last: {reason}"),
            retryable=True,
        )

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=httpx.Timeout(self.timeout_seconds))
        return self._client

    def _excerpt(self, response: httpx.Response) -> str:
        """A short, redacted excerpt of an error response (the provider's message if any)."""
        text = response.text
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict):
            error = data.get("error", data)
            message = error.get("message") if isinstance(error, dict) else error
            if message:
                text = str(message)
        text = " ".join(text.split())
        return self._redact(text[:200]) or "(no body)"

    def _redact(self, text: str) -> str:
        key = self._api_key.get_secret_value()
        return text.replace(key, "***") if key else text


def _system_prompt(brief: CourseBrief, target: type[BaseModel], rules: str) -> str:
    schema = json.dumps(target.model_json_schema(), ensure_ascii=False, separators=(",", ":"))
    language = LANGUAGE_NAMES[brief.language]
    return (
        "You are an experienced course author. You write clear, accurate, practical online "
        "courses with concrete examples for the people they are meant for.\n"
        f"Write every text in {language}, language code {brief.language!r}, although these "
        "instructions are in English.\n"
        "Reply with a single JSON object and nothing else: no Markdown code fence, no comment.\n"
        f"The object must be valid against this JSON Schema:\n{schema}\n"
        f"Rules the schema cannot express:\n{rules}"
    )


def _user_prompt(brief: CourseBrief, outline: Outline | None, task: str) -> str:
    audiences = ", ".join(a.value.replace("_", " ") for a in brief.target_audiences)
    lines = [
        task,
        "",
        f"Course title: {brief.title}",
        f"Description: {brief.description or '(none)'}",
        f"Language: {LANGUAGE_NAMES[brief.language]} ({brief.language})",
        f"Target audiences: {audiences}",
        f"Template: {brief.template_id}, {TEMPLATE_TOPICS[brief.template_id]}",
    ]
    if outline is not None:
        lines += ["", "Outline:"]
        for m, module in enumerate(outline.modules, start=1):
            lines.append(f"Module {m}: {module.title} ({module.summary})")
            for i, lesson in enumerate(module.lessons, start=1):
                lines.append(f"  Lesson {m}.{i}: {lesson.title} ({lesson.summary})")
    return "\n".join(lines)


def _validated(target: type[M], content: str) -> tuple[M | None, str]:
    """The reply as a `target`, or None and what is wrong with it (for the repair request)."""
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, (
            f"it is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
            if text
            else "it is empty"
        )
    try:
        return target.model_validate(data), ""
    except ValidationError as exc:
        problems = [
            f"- {'.'.join(str(part) for part in error['loc']) or '(the object)'}: {error['msg']}"
            for error in exc.errors()[:20]
        ]
        return None, f"it does not match the schema ({exc.error_count()} errors):\n" + "\n".join(
            problems
        )


def _completion(response: httpx.Response) -> tuple[str, Usage] | None:
    try:
        data: Any = response.json()
        message = data["choices"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    if not isinstance(message, dict):
        return None
    content = message.get("content")
    return (content if isinstance(content, str) else ""), _usage(data.get("usage"))


def _usage(raw: object) -> Usage:
    if not isinstance(raw, dict):
        return Usage()

    def count(name: str) -> int:
        value = raw.get(name)
        return value if isinstance(value, int) and value >= 0 else 0

    return Usage(prompt_tokens=count("prompt_tokens"), completion_tokens=count("completion_tokens"))


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(seconds, 0.0)
