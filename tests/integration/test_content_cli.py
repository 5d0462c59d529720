"""`brain examples upload|list` and `brain content tree` on a fresh SQLite database."""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path

from typer.testing import CliRunner

from brain.bootstrap import build_platform, load_platform_settings
from brain.cli import app
from brain.course_content.module import MODULE as CONTENT
from brain.course_content.schemas import AssignExample, ContentCreate
from brain.kernel.cli import tenant_principal
from tests.support.content import package_files, zip_of

runner = CliRunner()


def brain(*args: str):
    return runner.invoke(app, list(args))


def write_package(root: Path, **meta: object) -> Path:
    for name, content in package_files(**meta).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


async def assign_in_tree(course_id: uuid.UUID, version_id: uuid.UUID) -> None:
    platform = build_platform(load_platform_settings(_env_file=None))
    deps = platform.deps_of(CONTENT)
    try:
        async with platform.unit_of_work() as uow:
            principal = await tenant_principal(uow, "demo")
            contents = deps.content(uow)
            for path, kind in (("week_1", "unit"), ("week_1.task", "assignment")):
                await contents.create(
                    principal.tenant_id,
                    ContentCreate(course_id=course_id, path=path, kind=kind, title=path),
                )
        async with platform.unit_of_work() as uow:
            principal = await tenant_principal(uow, "demo")
            task = await deps.content(uow).repo.content_at(course_id, "week_1.task")
            assert task is not None
            await deps.deployments(uow).assign(
                principal, task.id, AssignExample(example_version_id=version_id)
            )
    finally:
        await platform.close()


def test_examples_are_uploaded_listed_and_the_tree_shows_deployment_status(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert brain("setup").exit_code == 0
    folder = write_package(tmp_path / "fizzbuzz")
    first = brain("examples", "upload", str(folder), "--identifier", "python.loops.fizzbuzz")
    assert first.exit_code == 0, first.output
    assert "python.loops.fizzbuzz v1 (8 files)" in first.output
    version_id = uuid.UUID(first.output.strip().rsplit(" ", 1)[-1])
    archive = tmp_path / "fizzbuzz.zip"
    archive.write_bytes(zip_of(package_files()))
    second = brain(
        "examples", "upload", str(archive), "--identifier", "python.loops.fizzbuzz", "--tag", "2.0"
    )
    assert second.exit_code == 0, second.output
    bad = write_package(tmp_path / "bad", additional_files=["missing.txt"])
    refused = brain("examples", "upload", str(bad), "--identifier", "python.bad")
    assert refused.exit_code == 2
    assert "missing.txt" in refused.output
    listed = brain("examples", "list")
    assert re.search(r"python\.loops\.fizzbuzz\t2\.0\t2 version\(s\)\tFizzBuzz", listed.output)
    assert "python.bad" not in listed.output

    queued = brain("courses", "generate", "--title", "Loops", "--language", "en")
    assert queued.exit_code == 0, queued.output
    course_id = uuid.UUID(re.search(r"course ([0-9a-f-]{36})", queued.output)[1])  # type: ignore[index]
    asyncio.run(assign_in_tree(course_id, version_id))
    shown = brain("content", "tree", "--course", str(course_id))
    assert shown.exit_code == 0, shown.output
    logged = re.compile(r"^\d{4}-\d\d-\d\d ")  # the platform's log lines go to the same stream
    assert [line for line in shown.output.splitlines() if not logged.match(line)] == [
        "week_1  [unit] week_1",
        "  task  [assignment] week_1.task  (pending v1)",
    ]
    unknown = brain("content", "tree", "--course", str(uuid.uuid4()))
    assert unknown.exit_code == 1
