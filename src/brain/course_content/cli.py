"""`brain examples …` (upload and list example packages) and `brain content …` (a course's
content tree with each assignment's deployment status)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated

import typer

from brain.course_content import packages
from brain.course_content.dependencies import ContentDeps
from brain.course_content.workflows import workflow_id
from brain.kernel.cli import Runner, echo_json, fail, parse_id, tenant_principal
from brain.kernel.errors import NotFound

POLL_SECONDS = 0.5
QUEUED_HINT_SECONDS = 10
TERMINAL = ("completed", "failed")


def read_package(source: Path) -> packages.Package:
    try:
        if source.is_dir():
            return packages.read_folder(source)
        if source.is_file():
            return packages.read_zip(source.read_bytes())
    except packages.PackageError as exc:
        fail(f"{exc.entry}: {exc.reason}", code=2)
    fail(f"{source} is neither a folder nor a zip file", code=2)


def build_examples(run: Runner[ContentDeps]) -> typer.Typer:
    app = typer.Typer(help="Example packages: upload versions, list.", no_args_is_help=True)

    @app.command("upload")
    def upload(
        source: Annotated[Path, typer.Argument(help="A package folder or a zip.")],
        identifier: Annotated[str, typer.Option(help="e.g. python.loops.fizzbuzz")],
        tag: Annotated[str | None, typer.Option(help="Version tag (default: v<n>).")] = None,
        tenant: Annotated[str, typer.Option(help="Tenant name.")] = "demo",
    ) -> None:
        """Upload a version of an example (created with the package's title when new)."""
        from brain.course_content.schemas import ExampleCreate

        try:
            ExampleCreate(identifier=identifier, title="x")
        except ValueError:
            fail(f"--identifier {identifier!r}: use dotted a-z, 0-9, _ and - labels", code=2)
        package = read_package(source)

        async def work(deps: ContentDeps) -> tuple[str, str, int]:
            async with deps.units_of_work() as uow:
                principal = await tenant_principal(uow, tenant)
                examples = deps.examples(uow)
                example = await examples.ensure(principal, identifier, package)
                version = await examples.add_version(principal, example, package, tag)
                return str(version.id), version.version_tag, version.files_count

        version_id, version_tag, files = run(work)
        typer.echo(f"{identifier} {version_tag} ({files} files): version {version_id}")

    @app.command("list")
    def list_examples(tenant: Annotated[str, typer.Option(help="Tenant name.")] = "demo") -> None:
        """List a tenant's examples with their newest version."""

        async def work(deps: ContentDeps) -> list[str]:
            async with deps.units_of_work() as uow:
                principal = await tenant_principal(uow, tenant)
            async with deps.reading() as unit:
                repo = deps.examples(unit).repo
                lines = []
                for example in await repo.examples(principal.tenant_id):
                    versions = await repo.versions(example.id)
                    newest = versions[0].version_tag if versions else "-"
                    lines.append(
                        f"{example.id}\t{example.identifier}\t{newest}\t{len(versions)} version(s)"
                        f"\t{example.title}"
                    )
                return lines

        for line in run(work):
            typer.echo(line)

    return app


def build_content(run: Runner[ContentDeps]) -> typer.Typer:
    app = typer.Typer(help="Course content: the tree, releases.", no_args_is_help=True)

    @app.command("tree")
    def show_tree(
        course: Annotated[str, typer.Option(help="The course id.")],
        tenant: Annotated[str, typer.Option(help="Tenant name.")] = "demo",
    ) -> None:
        """Print the course's content tree with each assignment's deployment status."""
        course_id = parse_id(course, "course")

        async def work(deps: ContentDeps) -> list[str]:
            async with deps.units_of_work() as uow:
                principal = await tenant_principal(uow, tenant)
            async with deps.reading() as unit:
                service = deps.content(unit)
                nodes = await service.subtree(principal, course_id, None)
                kinds = await service.repo.kinds_by_id()
                deployments = await service.repo.deployments_of(n.id for n in nodes)
                versions = await service.repo.versions_by_id(
                    d.example_version_id for d in deployments.values() if d.example_version_id
                )
            lines = []
            for node in nodes:
                indent = "  " * node.path.count(".")
                line = f"{indent}{node.path.rsplit('.', 1)[-1]}  [{node.kind_id}] {node.title}"
                if kinds[node.kind_id].submittable:
                    deployment = deployments.get(node.id)
                    version_id = deployment.example_version_id if deployment else None
                    version = versions.get(version_id) if version_id else None
                    status = deployment.deployment_status if deployment else "unassigned"
                    tag = f" {version.version_tag}" if version else ""
                    line += f"  ({status}{tag})"
                lines.append(line)
            return lines or ["(no content)"]

        for line in run(work):
            typer.echo(line)

    @app.command("release")
    def release(
        course: Annotated[str, typer.Option(help="The course id.")],
        all_pending: Annotated[
            bool, typer.Option("--all", help="Every pending or failed deployment (default).")
        ] = False,
        content: Annotated[
            list[str] | None, typer.Option(help="A content id to release (repeat for more).")
        ] = None,
        force: Annotated[bool, typer.Option(help="Release deployed ones again too.")] = False,
        wait: Annotated[bool, typer.Option(help="Show progress until it ends.")] = False,
        tenant: Annotated[str, typer.Option(help="Tenant name.")] = "demo",
    ) -> None:
        """Release the course's assignments into its learner repository (a running `brain
        serve` or `brain worker` carries it out)."""
        course_id = parse_id(course, "course")
        content_ids = [parse_id(c, "content") for c in content or []]
        if all_pending and content_ids:
            fail("use --all or --content, not both", code=2)

        async def work(deps: ContentDeps) -> tuple[str, str, int]:
            async with deps.units_of_work() as uow:
                principal = await tenant_principal(uow, tenant)
            async with deps.reading() as unit:
                releases = deps.releases(unit)
                count = await releases.check_requestable(principal, course_id, content_ids, force)
                started = await releases.start(principal, course_id, content_ids, force)
            async with deps.units_of_work() as uow:
                await deps.releases(uow).record_started(started)
            return started.workflow_id, started.run_id, count

        workflow, run_id, count = run(work)
        typer.echo(f"release {workflow} (run {run_id}) started: {count} assignment(s)")
        if wait:
            follow(run, course_id, run_id, count)

    @app.command("releases")
    def releases(
        course: Annotated[str, typer.Option(help="The course id.")],
        tenant: Annotated[str, typer.Option(help="Tenant name.")] = "demo",
    ) -> None:
        """List the course's releases, newest first."""
        course_id = parse_id(course, "course")

        async def work(deps: ContentDeps) -> list[str]:
            async with deps.units_of_work() as uow:
                principal = await tenant_principal(uow, tenant)
            async with deps.reading() as unit:
                service = deps.releases(unit)
                await service.courses.require(principal.tenant_id, course_id)
                found = await service.repo.releases_of(principal.tenant_id, course_id)
            return [
                "\t".join(
                    (
                        r.run_id,
                        r.status,
                        r.commit_sha or "-",
                        f"deployed {r.deployed_count}",
                        f"failed {r.failed_count}",
                        r.created_at.isoformat(timespec="seconds"),
                    )
                )
                for r in found
            ]

        for line in run(work) or ["(no releases)"]:
            typer.echo(line)

    return app


def follow(run: Runner[ContentDeps], course_id: uuid.UUID, run_id: str, count: int) -> None:
    """A live progress bar until the release ends."""
    import asyncio

    from rich.progress import BarColumn, Progress, TextColumn

    async def watch(deps: ContentDeps) -> dict[str, object]:
        started = asyncio.get_running_loop().time()
        hinted = False
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[info]}")
        ) as bar:
            task = bar.add_task("releasing", total=count or None, info="requested")
            while True:
                async with deps.reading() as unit:
                    found = await deps.releases(unit).repo.release_by_run(
                        workflow_id(str(course_id)), run_id
                    )
                if found is None:
                    raise NotFound(f"no release {run_id}")
                done = found.deployed_count + found.failed_count
                bar.update(
                    task,
                    completed=done if found.status in TERMINAL else 0,
                    info=f"{found.status} · deployed {found.deployed_count}, "
                    f"failed {found.failed_count} of {count}",
                )
                if found.status in TERMINAL:
                    return {
                        "status": found.status,
                        "commit_sha": found.commit_sha,
                        "deployed": found.deployed_count,
                        "failed": found.failed_count,
                        "error": found.error,
                    }
                waited = asyncio.get_running_loop().time() - started
                if found.status == "requested" and waited > QUEUED_HINT_SECONDS and not hinted:
                    bar.console.print("still queued: is `brain serve` or `brain worker` running?")
                    hinted = True
                await asyncio.sleep(POLL_SECONDS)

    outcome = run(watch)
    echo_json(outcome)
    if outcome["status"] != "completed":
        fail(f"release {outcome['status']}: {outcome['error']}")
