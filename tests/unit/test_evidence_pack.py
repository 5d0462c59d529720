"""The evidence pack: a deterministic zip whose manifest proves what every member contains."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest

from brain.course_factory import evidence as evidence_module
from brain.course_factory.evidence import (
    EvidenceManifest,
    build_evidence_pack,
    verify_evidence_pack,
)
from brain.course_factory.site import SiteCourse, render_staging_site
from tests.support.course_samples import (
    COURSE_ID,
    make_brief,
    make_landing,
    make_lesson,
    make_outline,
    make_quiz,
)

REQUEST = {
    "course_id": COURSE_ID,
    "title": "Budgeting for Beginners",
    "language": "en",
    "requested_at": dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC),
}
GENERATOR = {"name": "template", "version": "1.0", "usage": {"prompt_tokens": 0}}
TIMINGS = {"outline": 0.012, "lessons": 0.25, "total": 0.4}


def artifacts() -> dict[str, bytes]:
    outline = make_outline()
    return {
        "outline.json": outline.model_dump_json().encode(),
        "lessons/01.md": make_lesson("Lesson 1.1").markdown.encode(),
        "lessons/02.md": make_lesson("Lesson 1.2", "Ümlauts — and “quotes”.").markdown.encode(),
        "quiz.json": make_quiz().model_dump_json().encode(),
        "landing_page.json": make_landing().model_dump_json().encode(),
    }


def build(path: Path, **overrides: Any) -> EvidenceManifest:
    arguments: dict[str, Any] = {
        "artifacts": artifacts(),
        "request": REQUEST,
        "generator": GENERATOR,
        "timings": TIMINGS,
    }
    arguments.update(overrides)
    return build_evidence_pack(path, **arguments)


def rewrite(
    source: Path, target: Path, *, change: dict[str, bytes], drop: Collection[str] = ()
) -> None:
    """Copy the zip `source` to `target`, replacing or adding the members in `change` and leaving
    out those in `drop` (what someone tampering with a pack would do)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            if info.filename in drop:
                continue
            copy.writestr(info, change.get(info.filename, original.read(info.filename)))
        for name, data in change.items():
            if name not in original.namelist():
                copy.writestr(name, data)


def manifest_of(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


# --- contents ------------------------------------------------------------------------------------


def test_the_pack_holds_every_artifact_and_the_run_description(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    build(path)

    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert set(names) == {
            "manifest.json",
            "request.json",
            "generator.json",
            "timings.json",
            *artifacts(),
        }
        for name, data in artifacts().items():
            assert archive.read(name) == data
        request = json.loads(archive.read("request.json"))
        generator = json.loads(archive.read("generator.json"))
        timings = json.loads(archive.read("timings.json"))
    assert request["course_id"] == str(COURSE_ID)
    assert request["requested_at"] == "2026-11-22T09:30:00+00:00"
    assert generator == GENERATOR
    assert timings == TIMINGS


def test_manifest_hashes_and_sizes_match_the_member_bytes(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    result = build(path)

    manifest = manifest_of(path)
    assert manifest["created_with"].startswith("brain-platform ")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    declared = {entry["path"]: entry for entry in manifest["files"]}
    assert set(declared) == set(members) - {"manifest.json"}
    for name, entry in declared.items():
        assert entry["sha256"] == hashlib.sha256(members[name]).hexdigest(), name
        assert entry["size"] == len(members[name]), name

    assert result.files == {name: entry["sha256"] for name, entry in declared.items()}
    assert result.sizes == {name: entry["size"] for name, entry in declared.items()}
    assert result.zip_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.created_with == manifest["created_with"]
    assert result.path == path


def test_members_are_in_a_fixed_order_with_fixed_timestamps(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    build(path)

    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names[0] == "manifest.json"
    assert names[1:] == sorted(names[1:])
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_two_builds_from_the_same_input_are_byte_identical(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "lessons").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>x</title>")
    (site / "lessons" / "1.html").write_text("<!doctype html><title>1</title>")

    first = build(tmp_path / "a.zip", extra_files={"site": site})
    # Different modification times on disk must not change the pack.
    os.utime(site / "index.html", (1_000_000_000, 1_000_000_000))
    second = build(tmp_path / "b.zip", extra_files={"site": site})

    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert first.zip_sha256 == second.zip_sha256


def test_the_staging_site_can_be_packed_under_site(tmp_path: Path) -> None:
    out = tmp_path / "staging"
    written = render_staging_site(
        SiteCourse(
            course_id=COURSE_ID,
            brief=make_brief(),
            outline=make_outline(),
            lessons={(0, 0): make_lesson("Lesson 1.1")},
            quiz=make_quiz(),
            landing=None,
        ),
        out,
        "http://127.0.0.1:8000/staging/x/",
    )
    by_directory = build(tmp_path / "dir.zip", extra_files={"site": out})
    by_file = build(
        tmp_path / "files.zip",
        extra_files={f"site/{p.relative_to(out).as_posix()}": p for p in written},
    )

    expected = {f"site/{p.relative_to(out).as_posix()}" for p in written}
    assert expected <= set(by_directory.files)
    assert "site/lessons/12.html" in expected
    assert by_directory.files == by_file.files
    for p in written:
        name = f"site/{p.relative_to(out).as_posix()}"
        assert by_directory.files[name] == hashlib.sha256(p.read_bytes()).hexdigest()
    assert verify_evidence_pack(tmp_path / "dir.zip") == []


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../escape.md", "/etc/passwd", "lessons//01.md", "lessons/./01.md", "a\\b", "", "x/"],
)
def test_unsafe_member_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="member name"):
        build(tmp_path / "pack.zip", artifacts={name: b"x"})
    assert not (tmp_path / "pack.zip").exists()


@pytest.mark.parametrize("name", ["manifest.json", "request.json", "generator.json"])
def test_the_packs_own_files_cannot_be_overridden(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="evidence pack itself"):
        build(tmp_path / "pack.zip", artifacts={name: b"{}"})


def test_the_same_member_from_two_sources_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "outline.json"
    file.write_bytes(b"{}")
    with pytest.raises(ValueError, match="same member"):
        build(tmp_path / "pack.zip", extra_files={"outline.json": file})


def test_a_member_that_is_also_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="folders"):
        build(tmp_path / "pack.zip", artifacts={"site": b"x", "site/index.html": b"y"})


def test_a_generator_must_say_its_name_and_version(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="version"):
        build(tmp_path / "pack.zip", generator={"name": "template"})


# --- writing -------------------------------------------------------------------------------------


def test_a_rebuild_replaces_the_pack_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "evidence" / "course.zip"
    build(path)
    changed = {**artifacts(), "lessons/03.md": b"# new lesson"}
    result = build(path, artifacts=changed)

    assert "lessons/03.md" in result.files
    assert verify_evidence_pack(path) == []
    assert [p.name for p in path.parent.iterdir()] == ["course.zip"]


def test_a_failed_build_leaves_the_previous_pack_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pack.zip"
    build(path)
    before = path.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(evidence_module.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        build(path, artifacts={"outline.json": b"{}"})

    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["pack.zip"]


def test_values_json_cannot_write_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="object"):
        build(tmp_path / "pack.zip", request={"thing": object()})
    assert list(tmp_path.iterdir()) == []


# --- verification --------------------------------------------------------------------------------


def test_an_intact_pack_verifies_clean(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    build(path, request={"course_id": uuid.uuid4()})
    assert verify_evidence_pack(path) == []


def test_a_tampered_member_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    build(path)
    tampered = tmp_path / "tampered.zip"
    rewrite(path, tampered, change={"lessons/01.md": b"# A different lesson\n"})

    problems = verify_evidence_pack(tampered)

    assert len(problems) == 2  # the hash and the size differ
    assert problems[0].startswith("hash mismatch: lessons/01.md")
    assert problems[1].startswith("size mismatch: lessons/01.md")


def test_a_tampered_member_of_the_same_size_is_still_reported(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    build(path, artifacts={"quiz.json": b'{"answer": 1}'})
    tampered = tmp_path / "tampered.zip"
    rewrite(path, tampered, change={"quiz.json": b'{"answer": 2}'})

    assert [p.split(" (")[0] for p in verify_evidence_pack(tampered)] == [
        "hash mismatch: quiz.json"
    ]


def test_an_extra_member_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    build(path)
    extended = tmp_path / "extended.zip"
    rewrite(path, extended, change={"lessons/99.md": b"# smuggled in"})

    assert verify_evidence_pack(extended) == ["undeclared file: lessons/99.md"]


def test_a_missing_member_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    build(path)
    shortened = tmp_path / "shortened.zip"
    rewrite(path, shortened, change={}, drop={"quiz.json"})

    assert verify_evidence_pack(shortened) == ["missing file: quiz.json"]


def test_a_pack_without_its_manifest_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    build(path)
    stripped = tmp_path / "stripped.zip"
    rewrite(path, stripped, change={}, drop={"manifest.json"})

    assert verify_evidence_pack(stripped) == ["missing file: manifest.json"]


def test_a_manifest_that_drops_a_required_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    build(path)
    manifest = manifest_of(path)
    manifest["files"] = [e for e in manifest["files"] if e["path"] != "timings.json"]
    edited = tmp_path / "edited.zip"
    rewrite(path, edited, change={"manifest.json": json.dumps(manifest).encode()})

    problems = verify_evidence_pack(edited)

    assert "missing file: timings.json (required, not declared)" in problems
    assert "undeclared file: timings.json" in problems


def test_a_duplicated_member_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    build(path)
    with (
        pytest.warns(UserWarning, match="Duplicate name"),
        zipfile.ZipFile(path, "a") as archive,
    ):
        archive.writestr("quiz.json", b"{}")

    problems = verify_evidence_pack(path)

    assert "duplicate member: quiz.json (2 times)" in problems


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no evidence pack at"),
        (b"not a zip at all", "not a readable zip file"),
    ],
)
def test_something_that_is_not_a_pack_is_reported(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    path = tmp_path / "pack.zip"
    if content is not None:
        path.write_bytes(content)

    problems = verify_evidence_pack(path)

    assert len(problems) == 1
    assert problems[0].startswith(expected)


def test_an_unreadable_manifest_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    build(path)
    broken = tmp_path / "broken.zip"
    rewrite(path, broken, change={"manifest.json": b"{not json"})

    problems = verify_evidence_pack(broken)

    assert len(problems) == 1
    assert problems[0].startswith("unreadable manifest.json")
