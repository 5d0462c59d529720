"""The course content release's benchmark: one release of a course with 50 assignments whose
example packages hold 20 files each, on the embedded default (SQLite) and on PostgreSQL — wall
time, commits per release, and where the time goes: the database, git, building the files and
Temporal.

Every assignment has its own example (`bench.task_NN`), one version of 20 files: `meta.yaml`,
`content/index.md`, `content/index_de.md`, 4 media files, 10 data files (`additional_files`), a
submission template, a test and a solution (17 of them reach the learners' repository). The
course is a queued course of course_factory (no generation runs: no subscriber is registered), the
tree `week_1.task_00` … `week_1.task_49` made through `ContentService`, the versions through
`ExampleService` and assigned through `DeploymentService`, as the API does.

Each run is a real release: `ReleaseService.start` (the API's path) starts the Temporal workflow
`CourseContentRelease` on a dev server; the platform's worker (`run_worker`) runs in this process.
Run 1 releases the 50 pending deployments into an empty repository; later runs release all 50
again with `force_redeploy` (the same files: git writes a commit whose tree is unchanged). Wall
time is from the start call to the release row's `completed`, polled every 10 ms. The activities
time themselves (`course_content_release.timings`): `begin` (mark 50 deployments deploying),
reading the files, building them by the allowlist, git (pygit2: blobs, tree, commit), writing
the outcome. Temporal is the rest: scheduling and the round trips between the activities and the
workflow.

Baseline, same run: the learner files (16 per package, 800 in all; the release adds 50 submission
files) written straight into a fresh bare repository with pygit2 in one commit (no database, no
Temporal, no allowlist), made before the clock starts — the release's floor. The ratio is
release wall time over that: the first release writes every blob anew, as the baseline does;
later ones find most blobs already stored (libgit2 skips writing an object it has).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform as host
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pygit2
import yaml

from bench.events import POSTGRES_ADMIN_URL, RESULTS, median, progress
from brain.bootstrap import Platform, build_platform, load_platform_settings, run_worker
from brain.course_content.git_store import AUTHOR
from brain.course_content.models import ContentRelease
from brain.course_content.module import MODULE as CONTENT
from brain.course_content.packages import PackageFile, build
from brain.course_content.schemas import AssignExample, ContentCreate
from brain.course_factory.module import MODULE as FACTORY
from brain.course_factory.schemas import GenerateRequest
from brain.events import SubscriberRegistry
from brain.kernel import migrations
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import AuthService, Principal
from brain.kernel.db import Database
from brain.kernel.temporal import DevServer

ASSIGNMENTS = 50
FILES = 20


@dataclass
class Run:
    wall: float
    commits: int
    timings: dict[str, float]


def package(n: int) -> list[PackageFile]:
    data = [f"data/file_{i:02d}.txt" for i in range(10)]
    files = {
        "meta.yaml": yaml.safe_dump(
            {
                "title": f"Task {n}",
                "student_submission_files": ["main.py"],
                "additional_files": data,
                "test_files": ["tests/test_main.py"],
                "solution_files": ["solution/main.py"],
            }
        ).encode(),
        "content/index.md": f"# Task {n}\n\n".encode() + b"Write the program.\n" * 40,
        "content/index_de.md": f"# Aufgabe {n}\n\n".encode() + b"Schreibe das Programm.\n" * 40,
        "studentTemplates/main.py": b"def main():\n    ...\n",
        "tests/test_main.py": b"def test_main():\n    assert True\n",
        "solution/main.py": b"def main():\n    return 42\n",
    }
    for i in range(4):
        files[f"content/mediaFiles/img_{i}.png"] = os.urandom(2048)
    for name in data:
        files[name] = f"{n} {name}\n".encode() * 64
    assert len(files) == FILES
    return [PackageFile(p, c) for p, c in sorted(files.items())]


def settings_for(url: str, data_dir: Path, temporal: str) -> Any:
    return load_platform_settings(
        _env_file=None,
        database_url=url,
        data_dir=data_dir,
        temporal_address=temporal,
        temporal_task_queue=f"bench-factory-{uuid.uuid4().hex[:8]}",
        content_task_queue=f"bench-content-{uuid.uuid4().hex[:8]}",
        events_poll_seconds=0.05,
    )


async def prepare(platform: Platform) -> tuple[Principal, uuid.UUID]:
    async with platform.unit_of_work() as uow:
        tenant = await AuthService(uow.session).create_tenant("bench")
    principal = Principal(tenant.id, uuid.uuid4(), Role.EDITOR)
    factory = platform.deps_of(FACTORY)
    async with platform.unit_of_work() as uow:
        course = await factory.service(uow).request_generation(
            principal,
            GenerateRequest(
                title="Benchmark course", language="en", target_audiences=["employees"]
            ),  # type: ignore[arg-type]
        )
    deps = platform.deps_of(CONTENT)
    async with platform.unit_of_work() as uow:
        await deps.content(uow).create(
            tenant.id, ContentCreate(course_id=course.id, path="week_1", kind="unit", title="W1")
        )
    for n in range(ASSIGNMENTS):
        async with platform.unit_of_work() as uow:
            task = await deps.content(uow).create(
                tenant.id,
                ContentCreate(
                    course_id=course.id, path=f"week_1.task_{n:02d}", kind="assignment", title="T"
                ),
            )
            built = build(package(n))
            examples = deps.examples(uow)
            example = await examples.ensure(principal, f"bench.task_{n:02d}", built)
            version = await examples.add_version(principal, example, built, None)
            await deps.deployments(uow).assign(
                principal, task.id, AssignExample(example_version_id=version.id)
            )
    return principal, course.id


async def release_once(
    platform: Platform, principal: Principal, course_id: uuid.UUID, force: bool
) -> Run:
    deps = platform.deps_of(CONTENT)
    git_path = deps.steps.repository(principal.tenant_id, course_id).path
    before = _commits(git_path)
    started = time.perf_counter()
    async with deps.reading() as unit:
        run = await deps.releases(unit).start(principal, course_id, [], force)
    while True:
        async with platform.database.read_session() as session:
            row = (
                await session.execute(
                    ContentRelease.__table__.select()
                    .with_only_columns(
                        ContentRelease.status,
                        ContentRelease.timings,
                        ContentRelease.deployed_count,
                    )
                    .where(ContentRelease.run_id == run.run_id)
                )
            ).first()
        if row is not None and row.status in ("completed", "failed"):
            break
        await asyncio.sleep(0.01)
    wall = time.perf_counter() - started
    if row.status != "completed" or row.deployed_count != ASSIGNMENTS:
        raise RuntimeError(f"the release ended {row.status} with {row.deployed_count} deployed")
    return Run(wall, _commits(git_path) - before, dict(row.timings))


def _commits(path: Path) -> int:
    if not (path / "HEAD").exists():
        return 0
    repo = pygit2.Repository(str(path))
    if repo.head_is_unborn:
        return 0
    return sum(1 for _ in repo.walk(repo.head.target))


def baseline(root: Path) -> float:
    """The 850 learner files into a fresh bare repository in one commit, with pygit2 alone."""
    path = root / f"baseline-{uuid.uuid4().hex[:8]}.git"
    started = time.perf_counter()
    repo = pygit2.init_repository(str(path), bare=True, initial_head="main")
    index = pygit2.Index()
    for n in range(ASSIGNMENTS):
        for f in package(n):
            if (
                f.path.startswith(("tests/", "solution/", "studentTemplates/"))
                or f.path == "meta.yaml"
            ):
                continue
            blob = repo.create_blob(f.content)
            index.add(
                pygit2.IndexEntry(f"week_1/task_{n:02d}/{f.path}", blob, pygit2.GIT_FILEMODE_BLOB)
            )
    repo.create_commit("refs/heads/main", AUTHOR, AUTHOR, "baseline", index.write_tree(repo), [])
    elapsed = time.perf_counter() - started
    shutil.rmtree(path)
    return elapsed


async def bench_setup(name: str, url: str, root: Path, temporal: str, runs: int) -> dict[str, Any]:
    data_dir = root / name
    database = Database(url)
    await migrations.upgrade(database.engine)
    await database.dispose()
    platform = build_platform(
        settings_for(url, data_dir, temporal), subscribers=SubscriberRegistry()
    )
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(platform, stop))
    try:
        progress(f"{name}: {ASSIGNMENTS} assignments x {FILES} files")
        principal, course_id = await prepare(platform)
        results: list[Run] = []
        floors: list[float] = []
        for i in range(runs):
            results.append(await release_once(platform, principal, course_id, force=i > 0))
            floors.append(await asyncio.to_thread(baseline, root))
            progress(f"{name}: run {i + 1}/{runs}: {results[-1].wall:.2f} s")
    finally:
        stop.set()
        await worker
        await platform.close()
    return {"runs": results, "baseline": floors}


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    runs: list[Run] = result["runs"]
    keys = ["begin_seconds", "db_read_seconds", "build_seconds", "git_seconds", "db_write_seconds"]
    later = runs[1:] or runs
    out: dict[str, Any] = {
        "first_wall": runs[0].wall,
        "wall": median([r.wall for r in later]),
        "wall_range": (min(r.wall for r in later), max(r.wall for r in later)),
        "commits": sorted({r.commits for r in runs}),
        "baseline": median(result["baseline"]),
    }
    for key in keys:
        out[key] = median([r.timings.get(key, 0.0) for r in later])
    activities = sum(out[k] for k in keys)
    out["database"] = out["begin_seconds"] + out["db_read_seconds"] + out["db_write_seconds"]
    out["temporal"] = max(out["wall"] - activities, 0.0)
    out["ratio"] = out["wall"] / out["baseline"]
    out["first_ratio"] = out["first_wall"] / out["baseline"]
    return out


def report(summaries: dict[str, dict[str, Any]], runs: int, seconds: float, load: str) -> str:
    lines = [
        f"Course content release benchmark ({runs} releases per setup, {seconds:.0f} s)",
        f"  Python {host.python_version()}, {os.cpu_count()} CPUs shared with the databases "
        f"and the Temporal dev server; load average at start {load}",
        f"  one course, {ASSIGNMENTS} assignments x {FILES} package files "
        f"({ASSIGNMENTS * 17} learner files per release); medians of runs 2..{runs} "
        "(force_redeploy), run 1 into an empty repository shown apart",
        "",
        f"  {'':30}" + "".join(f"{name:>18}" for name in summaries),
    ]

    def row(label: str, fmt: Any) -> None:
        lines.append(f"  {label:30}" + "".join(f"{fmt(s):>18}" for s in summaries.values()))

    row("release wall time", lambda s: f"{s['wall']:.3f} s")
    row("  (min .. max)", lambda s: f"{s['wall_range'][0]:.2f}..{s['wall_range'][1]:.2f}")
    row("first release (empty repo)", lambda s: f"{s['first_wall']:.3f} s")
    row("commits per release", lambda s: ",".join(str(c) for c in s["commits"]))
    row("database (begin+read+write)", lambda s: f"{s['database']:.3f} s")
    row("  begin (mark deploying)", lambda s: f"{s['begin_seconds']:.3f} s")
    row("  read files", lambda s: f"{s['db_read_seconds']:.3f} s")
    row("  write outcomes", lambda s: f"{s['db_write_seconds']:.3f} s")
    row("build (allowlist)", lambda s: f"{s['build_seconds']:.3f} s")
    row("git (pygit2)", lambda s: f"{s['git_seconds']:.3f} s")
    row("Temporal and the rest", lambda s: f"{s['temporal']:.3f} s")
    row("baseline: pygit2 alone", lambda s: f"{s['baseline']:.3f} s")
    row("ratio first release / baseline", lambda s: f"{s['first_ratio']:.1f}x")
    row("ratio release / baseline", lambda s: f"{s['ratio']:.1f}x")
    return "\n".join(lines)


async def run(quick: bool) -> int:
    runs = 3 if quick else 6
    began = time.perf_counter()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    root = Path(tempfile.mkdtemp(prefix="brain-bench-content-"))
    server = DevServer(root / "temporal.db")
    admin_dsn = POSTGRES_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")
    pg_name = f"brain_bench_{uuid.uuid4().hex[:10]}"
    summaries: dict[str, dict[str, Any]] = {}
    try:
        temporal = await server.start()
        summaries["sqlite"] = summarize(
            await bench_setup(
                "sqlite", f"sqlite+aiosqlite:///{root / 'brain.db'}", root, temporal, runs
            )
        )
        conn = await asyncpg.connect(admin_dsn)
        await conn.execute(f'CREATE DATABASE "{pg_name}"')
        await conn.close()
        parts = urlsplit(admin_dsn)
        pg_url = parts._replace(scheme="postgresql+asyncpg", path=f"/{pg_name}").geturl()
        summaries["postgresql"] = summarize(
            await bench_setup("postgresql", pg_url, root, temporal, runs)
        )
    finally:
        await server.stop()
        try:
            conn = await asyncpg.connect(admin_dsn)
            await conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            await conn.close()
        finally:
            shutil.rmtree(root, ignore_errors=True)
    text = report(summaries, runs, time.perf_counter() - began, load)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    name = "content-quick" if quick else "content"
    (RESULTS / f"{name}.txt").write_text(text + "\n")
    (RESULTS / f"{name}.json").write_text(json.dumps(summaries, indent=2, default=str) + "\n")
    return 0
