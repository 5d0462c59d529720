"""Examples and their versions: upload as a zip (and a folder through the CLI), tags, the file
list and meta, content-addressed storage, and every package limit answering 4xx naming the zip
entry with nothing stored."""

from __future__ import annotations

import io
import stat
import warnings
import zipfile

import httpx
import pytest
from sqlalchemy import func, select

from brain.bootstrap import Platform
from brain.course_content.models import ExampleBlob, ExampleVersion
from brain.events.models import EventRecord
from brain.kernel.auth.models import Role
from tests.conftest import TenantKeys
from tests.support.content import (
    EXAMPLES,
    create_example,
    package_files,
    upload,
    uploaded_version,
    zip_of,
)


async def count(platform: Platform, model: type) -> int:
    async with platform.database.read_session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_uploading_versions_numbers_and_tags_them_and_lists_their_files(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    example = await create_example(client, tenant)
    first = await uploaded_version(client, tenant, example["id"])
    assert (first["version_tag"], first["version_number"]) == ("v1", 1)
    assert first["meta"]["title"] == "FizzBuzz"
    assert {f["path"] for f in first["files"]} == set(package_files())
    assert first["files_count"] == len(package_files())

    # The same files again: stored once (by SHA-256), listed twice.
    blobs = await count(platform, ExampleBlob)
    second = await uploaded_version(client, tenant, example["id"], tag="2024-fall")
    assert (second["version_tag"], second["version_number"]) == ("2024-fall", 2)
    assert await count(platform, ExampleBlob) == blobs
    third = await uploaded_version(client, tenant, example["id"])
    assert third["version_tag"] == "v3"

    duplicate_tag = await upload(
        client, tenant, example["id"], zip_of(package_files()), tag="2024-fall"
    )
    assert duplicate_tag.status_code == 409

    listed = await client.get(
        f"{EXAMPLES}/{example['id']}/versions", headers=tenant.auth(Role.VIEWER)
    )
    assert [v["version_tag"] for v in listed.json()["items"]] == ["v3", "2024-fall", "v1"]
    detail = await client.get(
        f"{EXAMPLES}/{example['id']}/versions/{first['id']}", headers=tenant.auth(Role.VIEWER)
    )
    assert detail.json()["files"] == first["files"]
    shown = await client.get(f"{EXAMPLES}/{example['id']}", headers=tenant.auth(Role.VIEWER))
    assert (shown.json()["latest_version_tag"], shown.json()["versions_count"]) == ("v3", 3)
    async with platform.database.read_session() as session:
        events = (
            await session.scalars(
                select(EventRecord).where(EventRecord.type == "example.version_created")
            )
        ).all()
    assert len(events) == 3
    assert all("content" not in e.payload for e in events)


async def test_a_zip_of_one_folder_is_read_as_that_folders_package(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    example = await create_example(client, tenant)
    response = await upload(client, tenant, example["id"], zip_of(package_files(), folder="fb/"))
    assert response.status_code == 201, response.text
    assert "meta.yaml" in {f["path"] for f in response.json()["files"]}


def zip_with(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are what one case is about
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in entries:
                archive.writestr(name, content)
    return buffer.getvalue()


def symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


GOOD = list(package_files().items())


# Package reading is the same code on both dialects; SQLite alone keeps the cases quick.
@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("entries", "field", "reason"),
    [
        ([*GOOD, ("../evil", b"x")], "file:../evil", "'..'"),
        ([*GOOD, ("/etc/passwd", b"x")], "file:/etc/passwd", "absolute"),
        ([*GOOD, (symlink("link"), b"/etc/passwd")], "file:link", "symbolic links"),
        ([*GOOD, ("data/numbers.txt", b"again")], "file:data/numbers.txt", "twice"),
        ([*GOOD, ("big.bin", b"\0" * (60 * 1024 * 1024))], "file", "50 MiB"),
        ([(n, c) for n, c in GOOD if n != "meta.yaml"], "file:meta.yaml", "no meta.yaml"),
        (
            [*[(n, c) for n, c in GOOD if n != "meta.yaml"], ("meta.yaml", b"title: [unclosed")],
            "file:meta.yaml",
            "does not parse",
        ),
        (
            [(n, c) for n, c in GOOD if n != "tests/test_fizzbuzz.py"],
            "file:meta.yaml",
            "test_files names 'tests/test_fizzbuzz.py'",
        ),
        ([("meta.yaml", b"description: no title\n")], "file:meta.yaml", "`title`"),
        ([(f"f{i}.txt", b"") for i in range(1001)], "file", "at most 1000"),
    ],
    ids=[
        "parent-dir",
        "absolute",
        "symlink",
        "duplicate",
        "60-MiB-expansion",
        "no-meta",
        "meta-not-yaml",
        "meta-names-missing-file",
        "meta-without-title",
        "too-many-files",
    ],
)
async def test_a_bad_package_answers_422_naming_the_entry_and_stores_nothing(
    platform: Platform,
    client: httpx.AsyncClient,
    tenant: TenantKeys,
    entries: list[tuple[zipfile.ZipInfo | str, bytes]],
    field: str,
    reason: str,
) -> None:
    example = await create_example(client, tenant)
    response = await upload(client, tenant, example["id"], zip_with(entries))
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == field
    assert reason in error["reason"]
    assert await count(platform, ExampleVersion) == 0
    assert await count(platform, ExampleBlob) == 0


async def test_a_zip_over_10_mib_or_not_a_zip_is_refused(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    example = await create_example(client, tenant)
    not_zip = await upload(client, tenant, example["id"], b"plain text")
    assert not_zip.status_code == 422
    assert not_zip.json()["errors"][0]["field"] == "file"
    huge = zipfile.ZipInfo("noise.bin")
    noise = bytes(range(256)) * (11 * 4096)  # stored, not deflated: 11 MiB in the zip
    too_big = await upload(client, tenant, example["id"], zip_with([(huge, noise)]))
    assert too_big.status_code == 413
    missing_file = await client.post(
        f"{EXAMPLES}/{example['id']}/versions", headers=tenant.auth(Role.EDITOR)
    )
    assert missing_file.status_code == 422
    assert missing_file.json()["errors"][0]["field"] == "body.file"


async def test_examples_are_per_tenant_and_need_an_editor_to_write(
    client: httpx.AsyncClient, tenant: TenantKeys, other_tenant: TenantKeys
) -> None:
    mine = await create_example(client, tenant)
    theirs = await create_example(client, other_tenant)
    assert mine["identifier"] == theirs["identifier"]  # unique per tenant only
    for path in (f"{EXAMPLES}/{theirs['id']}", f"{EXAMPLES}/{theirs['id']}/versions"):
        assert (await client.get(path, headers=tenant.auth())).status_code == 404
    denied = await upload(client, tenant, theirs["id"], zip_of(package_files()))
    assert denied.status_code == 404
    not_a_zip = await upload(client, tenant, theirs["id"], b"plain text")
    assert not_a_zip.status_code == 404, "another tenant's example is unknown, whatever is sent"
    listed = await client.get(EXAMPLES, headers=tenant.auth(Role.VIEWER))
    assert [e["id"] for e in listed.json()["items"]] == [mine["id"]]
    viewer = await client.post(
        EXAMPLES, json={"identifier": "x.y", "title": "X"}, headers=tenant.auth(Role.VIEWER)
    )
    assert viewer.status_code == 403
    bad = await client.post(
        EXAMPLES, json={"identifier": "Bad Id", "title": "X"}, headers=tenant.auth()
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.identifier"
    again = await client.post(
        EXAMPLES, json={"identifier": mine["identifier"], "title": "X"}, headers=tenant.auth()
    )
    assert again.status_code == 409
