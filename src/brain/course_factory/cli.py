"""`brain courses …`: request a generation (and follow it), list and show courses."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Annotated

import typer
from pydantic import ValidationError

from brain.course_factory.dependencies import FactoryDeps
from brain.course_factory.models import GenerationStatus
from brain.course_factory.repository import CourseRepository
from brain.course_factory.schemas import GenerateRequest
from brain.course_factory.service import progress_of
from brain.kernel.cli import Runner, echo_json, fail, parse_id, tenant_principal
from brain.kernel.errors import NotFound

TERMINAL = (GenerationStatus.COMPLETED, GenerationStatus.FAILED, GenerationStatus.CANCELLED)
POLL_SECONDS = 0.5
QUEUED_HINT_SECONDS = 10


@dataclass(frozen=True)
class Snapshot:
    status: str
    done: int
    total: int
    error: str
    staging_url: str | None


def build(run: Runner[FactoryDeps]) -> typer.Typer:
    app = typer.Typer(help="Courses: generate, list, show.", no_args_is_help=True)

    @app.command("generate")
    def generate(
        title: Annotated[str, typer.Option(help="3 to 200 characters.")],
        language: Annotated[str, typer.Option(help="de, en, fr or es.")],
        tenant: Annotated[str, typer.Option(help="Tenant name.")] = "demo",
        description: Annotated[str, typer.Option(help="Up to 500 characters.")] = "",
        audience: Annotated[
            list[str] | None, typer.Option(help="Target audience (repeat for more).")
        ] = None,
        template: Annotated[str, typer.Option(help="banking_alternatives, custom, …")] = "custom",
        full_lessons: Annotated[int, typer.Option(help="Lessons with full content (0-30).")] = 3,
        dry_run: Annotated[bool, typer.Option(help="Outline only, as a preview.")] = False,
        quiz: Annotated[bool, typer.Option(help="Generate a quiz.")] = True,
        landing_page: Annotated[bool, typer.Option(help="Generate a landing page.")] = True,
        staging: Annotated[bool, typer.Option(help="Deploy a staging site.")] = True,
        wait: Annotated[bool, typer.Option(help="Show progress until the course is done.")] = False,
    ) -> None:
        """Request a course generation (a running `brain serve` or `brain worker` carries it
        out)."""
        try:
            body = GenerateRequest.model_validate(
                {
                    "title": title,
                    "description": description,
                    "language": language,
                    "target_audiences": audience or ["private_individuals"],
                    "template_id": template,
                    "dry_run": dry_run,
                    "full_lessons_count": full_lessons,
                    "generate_quiz": quiz,
                    "generate_landing_page": landing_page,
                    "deploy_to_staging": staging,
                }
            )
        except ValidationError as exc:
            problems = "; ".join(
                f"--{str(e['loc'][0]).replace('_', '-') if e['loc'] else 'input'}: {e['msg']}"
                for e in exc.errors()
            )
            fail(problems, code=2)

        async def work(factory: FactoryDeps) -> uuid.UUID:
            async with factory.units_of_work() as uow:
                principal = await tenant_principal(uow, tenant)
                course = await factory.service(uow).request_generation(principal, body)
                return course.id

        course_id = run(work)
        typer.echo(f"course {course_id} queued")
        if wait:
            follow(run, course_id)

    @app.command("list")
    def list_courses(tenant: Annotated[str, typer.Option(help="Tenant name.")] = "demo") -> None:
        """List a tenant's courses."""

        async def work(factory: FactoryDeps) -> list[str]:
            async with factory.units_of_work() as uow:
                principal = await tenant_principal(uow, tenant)
            async with factory.database.read_session() as session:
                rows, _ = await CourseRepository(session).page(
                    principal.tenant_id,
                    workflow_state=None,
                    generation_status=None,
                    offset=0,
                    limit=100,
                )
            return [
                "\t".join((str(c.id), c.generation_status, c.workflow_state, c.language, c.title))
                for c in rows
            ]

        for line in run(work):
            typer.echo(line)

    @app.command("show")
    def show(course_id: str) -> None:
        """Show a course as JSON."""
        parsed = parse_id(course_id, "course")

        async def work(factory: FactoryDeps) -> dict[str, object]:
            async with factory.database.read_session() as session:
                courses = CourseRepository(session)
                course = await courses.get(parsed)
                if course is None:
                    raise NotFound(f"no course {parsed}")
                written, in_outline = await courses.lesson_counts(parsed)
            return {
                "id": course.id,
                "title": course.title,
                "language": course.language,
                "generation_status": course.generation_status,
                "workflow_state": course.workflow_state,
                "lessons": in_outline,
                "full_lessons": written,
                "staging_url": course.staging_url,
                "evidence_pack": course.evidence_pack_path,
                "error": course.error_message,
            }

        echo_json(run(work))

    return app


def follow(run: Runner[FactoryDeps], course_id: uuid.UUID) -> None:
    """A live progress bar until the generation ends."""
    from rich.progress import BarColumn, Progress, TextColumn

    async def snapshot(factory: FactoryDeps) -> Snapshot:
        async with factory.database.read_session() as session:
            courses = CourseRepository(session)
            course = await courses.get(course_id)
            if course is None:
                raise NotFound(f"no course {course_id}")
            progress = await progress_of(courses, course)
        return Snapshot(
            status=course.generation_status,
            done=progress.lessons_done,
            total=progress.lessons_total,
            error=f"{course.error_type}: {course.error_message}" if course.error_type else "",
            staging_url=course.staging_url,
        )

    async def watch(factory: FactoryDeps) -> tuple[Snapshot, str]:
        started = asyncio.get_running_loop().time()
        hinted = False
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[info]}")
        ) as bar:
            task = bar.add_task("generating", total=None, info="queued")
            while True:
                state = await snapshot(factory)
                bar.update(
                    task,
                    total=state.total or None,
                    completed=state.done,
                    info=f"{state.status} · lessons {state.done}/{state.total}",
                )
                if state.status in TERMINAL:
                    return state, factory.steps.public_url
                waited = asyncio.get_running_loop().time() - started
                queued = state.status == GenerationStatus.QUEUED
                if queued and waited > QUEUED_HINT_SECONDS and not hinted:
                    bar.console.print("still queued: is `brain serve` or `brain worker` running?")
                    hinted = True
                await asyncio.sleep(POLL_SECONDS)

    state, base = run(watch)
    if state.status != GenerationStatus.COMPLETED:
        fail(f"generation {state.status}: {state.error}")
    typer.echo(f"done. API: {base}/api/courses/{course_id}")
    if state.staging_url:
        typer.echo(f"staging site: {state.staging_url}")
    typer.echo(f"evidence pack: {base}/api/courses/{course_id}/evidence-pack")
