"""Releases on a real Temporal dev server and real git repositories: what a learner's clone
holds, one commit per release (50 assignments included), a failed package failing only its
assignment, one release per course at a time, rollback, and bad input."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pygit2
import pytest
from sqlalchemy import select

from brain.bootstrap import Platform, build_platform, create_app
from brain.course_content.models import DeploymentHistory
from brain.course_content.module import MODULE as CONTENT
from brain.course_content.packages import Package, PackageFile, build, parse_meta
from brain.course_content.schemas import AssignExample, ContentCreate
from brain.events.models import EventRecord
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import Principal
from tests.conftest import TenantKeys, clear_tables, make_settings, make_tenant
from tests.support.content import (
    CONTENTS,
    RELEASE_SETUPS,
    content_settings,
    create_example,
    make_course,
    node,
    package_files,
    release,
    uploaded_version,
    wait_for_release,
)
from tests.support.courses import RunningPlatform
from tests.support.events import Setup, delete_stream_keys, require_setup

LEARNER_FILES = {
    "README.md",
    "README_de.md",
    "mediaFiles/loop.png",
    "data/numbers.txt",
    "fizzbuzz.py",
}


@pytest.fixture(params=RELEASE_SETUPS)
def release_setup(request: pytest.FixtureRequest) -> Setup:
    parsed = Setup.parse(str(request.param))
    require_setup(parsed)
    return parsed


@pytest.fixture
def release_database_url(release_setup: Setup, request: pytest.FixtureRequest) -> str:
    fixture = "migrated_sqlite" if release_setup.dialect == "sqlite" else "migrated_postgres"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
async def content_platform(
    release_setup: Setup,
    release_database_url: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    temporal_address: str,
) -> AsyncIterator[Platform]:
    database_url = release_database_url
    values = content_settings(release_setup, database_url, tmp_path, temporal_address)
    if request.node.get_closest_marker("remote") is not None:
        remotes = tmp_path / "remotes"
        values["content_git_remote_template"] = f"file://{remotes}/{{course_id}}.git"
    platform = build_platform(make_settings(**values))
    running = RunningPlatform(platform)
    await running.start()
    yield platform
    await running.close()
    await clear_tables(platform.database)
    await platform.close()
    if release_setup.transport == "redis":
        await delete_stream_keys(str(values["events_stream"]))


@pytest.fixture
async def api(content_platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(content_platform))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def owner(content_platform: Platform) -> TenantKeys:
    return await make_tenant(content_platform, "acme")


SQLITE_ONLY = pytest.mark.parametrize("release_setup", ["sqlite-sql"], indirect=True)


async def assigned_course(
    platform: Platform, api: httpx.AsyncClient, tenant: TenantKeys, count: int = 2
) -> tuple[uuid.UUID, list[dict[str, Any]], list[dict[str, Any]]]:
    """A course with `count` assignments under `week_1`, each assigned its own example's v1."""
    course_id = await make_course(platform, tenant)
    await node(api, tenant, course_id, "week_1", "unit")
    tasks, versions = [], []
    for i in range(count):
        task = await node(api, tenant, course_id, f"week_1.task_{i:02d}", "assignment")
        example = await create_example(api, tenant, f"python.task{i}")
        version = await uploaded_version(api, tenant, example["id"])
        response = await api.post(
            f"{CONTENTS}/{task['id']}/assign-example",
            json={"example_version_id": version["id"]},
            headers=tenant.auth(Role.EDITOR),
        )
        assert response.status_code == 200, response.text
        tasks.append(task)
        versions.append(version)
    return course_id, tasks, versions


async def repository_of(
    api: httpx.AsyncClient, tenant: TenantKeys, course_id: uuid.UUID
) -> dict[str, Any]:
    response = await api.get(f"/api/courses/{course_id}/repository", headers=tenant.auth())
    assert response.status_code == 200, response.text
    return dict(response.json())


async def many_assignments(platform: Platform, tenant: TenantKeys, count: int) -> uuid.UUID:
    """A course with `count` assigned assignments, made through the services (as the API does,
    without one request each)."""
    course_id = await make_course(platform, tenant)
    deps = platform.deps_of(CONTENT)
    principal = Principal(tenant.tenant_id, tenant.key_ids[Role.EDITOR], Role.EDITOR)
    built = build([PackageFile(p, c) for p, c in package_files().items()])
    async with platform.unit_of_work() as uow:
        contents = deps.content(uow)
        await contents.create(
            tenant.tenant_id,
            ContentCreate(course_id=course_id, path="week_1", kind="unit", title="W"),
        )
        for i in range(count):
            task = await contents.create(
                tenant.tenant_id,
                ContentCreate(
                    course_id=course_id, path=f"week_1.task_{i:02d}", kind="assignment", title="T"
                ),
            )
            examples = deps.examples(uow)
            example = await examples.ensure(principal, f"python.task{i}", built)
            version = await examples.add_version(principal, example, built, None)
            await deps.deployments(uow).assign(
                principal, task.id, AssignExample(example_version_id=version.id)
            )
    return course_id


def clone(url: str, target: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", url, str(target)], check=True, timeout=60)
    return target


def walk(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


async def test_a_learner_clone_holds_what_learners_may_see_at_the_deployed_commit(
    content_platform: Platform, api: httpx.AsyncClient, owner: TenantKeys, tmp_path: Path
) -> None:
    course_id, tasks, _versions = await assigned_course(content_platform, api, owner)
    done = await release(api, owner, course_id)
    assert done["status"] == "completed", done
    assert (done["deployed_count"], done["failed_count"]) == (2, 0)
    sha = done["commit_sha"]
    assert {i["outcome"] for i in done["items"]} == {"deployed"}

    repository = (
        await api.get(f"/api/courses/{course_id}/repository", headers=owner.auth())
    ).json()
    assert (repository["default_branch"], repository["head"]) == ("main", sha)
    cloned = clone(repository["clone_url"], tmp_path / "learner")
    expected = {f"week_1/task_{i:02d}/{f}" for i in range(2) for f in LEARNER_FILES}
    assert walk(cloned) == expected
    assert (cloned / "week_1/task_00/fizzbuzz.py").read_bytes().startswith(b"def fizzbuzz")
    assert b"secret" not in b"".join(p.read_bytes() for p in cloned.rglob("*") if p.is_file())

    commit = pygit2.Repository(str(cloned / ".git")).head.peel(pygit2.Commit)
    assert str(commit.id) == sha
    assert commit.message.startswith("Release Loops: 2 assignment(s)")
    assert commit.message_trailers["Brain-Workflow-Id"] == f"release-{course_id}"
    for task in tasks:
        deployment = (
            await api.get(f"{CONTENTS}/{task['id']}/deployment", headers=owner.auth())
        ).json()
        assert deployment["deployment"]["deployment_status"] == "deployed"
        assert deployment["deployment"]["version_identifier"] == sha
        assert deployment["deployment"]["deployment_path"] == task["path"].replace(".", "/")
        assert [h["action"] for h in deployment["history"]][:3] == [
            "deployed",
            "deploying",
            "assigned",
        ]
        assert f"Brain-Deployment: {deployment['deployment']['id']}" in commit.message
    files = await api.get(
        f"/api/courses/{course_id}/repository/files", params={"ref": sha}, headers=owner.auth()
    )
    assert set(files.json()["paths"]) == expected
    summary = (
        await api.get(f"/api/courses/{course_id}/deployment-summary", headers=owner.auth())
    ).json()
    assert summary["by_status"]["deployed"] == 2
    assert summary["last_deployed_at"] is not None
    async with content_platform.database.read_session() as session:
        types = list(
            await session.scalars(
                select(EventRecord.type).where(EventRecord.type.like("course_content.%"))
            )
        )
    assert types.count("course_content.release.requested") == 1
    assert types.count("course_content.release.completed") == 1
    assert types.count("course_content.deployment.completed") == 2
    listed = (await api.get(f"/api/courses/{course_id}/releases", headers=owner.auth())).json()
    assert [r["commit_sha"] for r in listed["items"]] == [sha]


@SQLITE_ONLY
async def test_a_batch_of_50_assignments_releases_in_one_commit(
    content_platform: Platform, api: httpx.AsyncClient, owner: TenantKeys, tmp_path: Path
) -> None:
    course_id = await many_assignments(content_platform, owner, 50)
    done = await release(api, owner, course_id, all_pending=True)
    assert (done["status"], done["deployed_count"]) == ("completed", 50)
    repository = (
        await api.get(f"/api/courses/{course_id}/repository", headers=owner.auth())
    ).json()
    git = pygit2.Repository(repository["clone_url"])
    commits = list(git.walk(git.head.target))
    assert len(commits) == 1
    assert commits[0].message.startswith("Release Loops: 50 assignment(s)")
    cloned = walk(clone(repository["clone_url"], tmp_path / "learner"))
    assert len(cloned) == 50 * len(LEARNER_FILES)
    summary = (
        await api.get(f"/api/courses/{course_id}/deployment-summary", headers=owner.auth())
    ).json()
    assert summary["by_status"]["deployed"] == 50


@SQLITE_ONLY
async def test_a_package_that_cannot_be_built_fails_only_its_assignment(
    content_platform: Platform, api: httpx.AsyncClient, owner: TenantKeys
) -> None:
    course_id, tasks, _versions = await assigned_course(content_platform, api, owner, count=1)
    broken_task = await node(api, owner, course_id, "week_1.broken", "assignment")
    # Stored by an earlier release of the software without today's upload checks: meta.yaml
    # names a file the package does not hold.
    files = package_files()
    files.pop("data/numbers.txt")
    stored = Package(
        parse_meta(files["meta.yaml"]), tuple(PackageFile(p, c) for p, c in sorted(files.items()))
    )
    deps = content_platform.deps_of(CONTENT)
    principal = Principal(owner.tenant_id, owner.key_ids[Role.EDITOR], Role.EDITOR)
    async with content_platform.unit_of_work() as uow:
        examples = deps.examples(uow)
        example = await examples.ensure(principal, "python.broken", stored)
        version = await examples.add_version(principal, example, stored, None)
    assigned = await api.post(
        f"{CONTENTS}/{broken_task['id']}/assign-example",
        json={"example_version_id": str(version.id)},
        headers=owner.auth(),
    )
    assert assigned.status_code == 200
    done = await release(api, owner, course_id)
    assert (done["status"], done["deployed_count"], done["failed_count"]) == ("completed", 1, 1)
    outcome = {i["path"]: i for i in done["items"]}
    assert outcome["week_1.task_00"]["outcome"] == "deployed"
    assert outcome["week_1.broken"]["outcome"] == "failed"
    assert "'data/numbers.txt'" in outcome["week_1.broken"]["message"]
    broken = (
        await api.get(f"{CONTENTS}/{broken_task['id']}/deployment", headers=owner.auth())
    ).json()
    assert broken["deployment"]["deployment_status"] == "failed"
    assert broken["history"][0]["action"] == "failed"
    paths = (
        await api.get(f"/api/courses/{course_id}/repository/files", headers=owner.auth())
    ).json()["paths"]
    assert not any(p.startswith("week_1/broken/") for p in paths)
    assert "week_1/task_00/README.md" in paths
    del tasks


@SQLITE_ONLY
async def test_rolling_back_releases_the_earlier_files_and_changes_nothing_else(
    content_platform: Platform, api: httpx.AsyncClient, owner: TenantKeys
) -> None:
    course_id, tasks, versions = await assigned_course(content_platform, api, owner)
    first = await release(api, owner, course_id)
    example_id = versions[0]["example_id"]
    v2 = await uploaded_version(api, owner, example_id, title="FizzBuzz, second edition")
    await api.post(
        f"{CONTENTS}/{tasks[0]['id']}/assign-example",
        json={"example_version_id": v2["id"]},
        headers=owner.auth(),
    )
    second = await release(api, owner, course_id)
    assert second["deployed_count"] == 1
    repository = (
        await api.get(f"/api/courses/{course_id}/repository", headers=owner.auth())
    ).json()
    git = pygit2.Repository(repository["clone_url"])

    def tree_of(sha: str, folder: str) -> str:
        return str(git[sha].peel(pygit2.Commit).tree[folder].id)

    rolled = await api.post(
        f"{CONTENTS}/{tasks[0]['id']}/deployment/rollback",
        json={"version_tag": "v1"},
        headers=owner.auth(Role.EDITOR),
    )
    assert rolled.status_code == 202, rolled.text
    history = rolled.json()["deployment"]["history"][0]
    assert history["action"] == "rolled_back"
    assert history["example_version_id"] == versions[0]["id"]
    assert history["previous_example_version_id"] == v2["id"]
    third = await wait_for_release(api, owner, rolled.json()["status_url"])
    assert (third["status"], third["deployed_count"]) == ("completed", 1)
    sha = third["commit_sha"]
    assert tree_of(sha, "week_1/task_00") == tree_of(first["commit_sha"], "week_1/task_00")
    assert tree_of(sha, "week_1/task_01") == tree_of(first["commit_sha"], "week_1/task_01")
    parent = git[sha].peel(pygit2.Commit).parents[0]
    assert str(parent.id) == second["commit_sha"]
    diff = git.diff(parent, git[sha])
    assert {p.delta.new_file.path for p in diff} <= {
        f"week_1/task_00/{f}" for f in LEARNER_FILES
    } | {"week_1/task_00/README.md"}
    async with content_platform.database.read_session() as session:
        entries = list(
            await session.scalars(
                select(DeploymentHistory.action).where(DeploymentHistory.action == "rolled_back")
            )
        )
    assert entries == ["rolled_back"]
    same = await api.post(
        f"{CONTENTS}/{tasks[0]['id']}/deployment/rollback",
        json={"version_tag": "v1"},
        headers=owner.auth(),
    )
    assert same.status_code == 422
    unknown = await api.post(
        f"{CONTENTS}/{tasks[0]['id']}/deployment/rollback",
        json={"history_id": str(uuid.uuid4())},
        headers=owner.auth(),
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "history_id"


@SQLITE_ONLY
@pytest.mark.remote
async def test_with_a_remote_every_release_is_pushed_and_learners_clone_the_remote(
    content_platform: Platform, api: httpx.AsyncClient, owner: TenantKeys, tmp_path: Path
) -> None:
    course_id, _tasks, _versions = await assigned_course(content_platform, api, owner, count=1)
    remote = tmp_path / "remotes" / f"{course_id}.git"
    pygit2.init_repository(str(remote), bare=True, initial_head="main")
    done = await release(api, owner, course_id)
    assert done["status"] == "completed", done
    repository = await repository_of(api, owner, course_id)
    assert repository["clone_url"] == f"file://{remote}"
    assert str(pygit2.Repository(str(remote)).head.target) == done["commit_sha"]
    cloned = clone(repository["clone_url"], tmp_path / "learner")
    assert walk(cloned) == {f"week_1/task_00/{f}" for f in LEARNER_FILES}
