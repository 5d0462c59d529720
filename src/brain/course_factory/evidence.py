"""The evidence pack: one zip that shows what a course generation was asked, what produced it, how
long it took and exactly what came out.

Layout of the zip (member order is fixed: `manifest.json` first, then every other member sorted by
name; every member has the same fixed timestamp and permissions, so the same input gives
byte-identical zips):

- `manifest.json`: `format`, `created_with`, and `files` — every other member with its SHA-256 and
  size in bytes;
- `request.json`, `generator.json` (name, version, usage), `timings.json`;
- the artifacts (e.g. `outline.json`, `lessons/01.md`, `quiz.json`, `landing_page.json`) and any
  extra files (e.g. the staging site under `site/…`).

`verify_evidence_pack` re-reads a pack and lists what is wrong with it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import hashlib
import io
import json
import os
import tempfile
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel

from brain.course_factory.models import Course
from brain.course_factory.site import SiteCourse
from brain.events import Event

MANIFEST = "manifest.json"
REQUEST = "request.json"
GENERATOR = "generator.json"
TIMINGS = "timings.json"
RESERVED = frozenset({MANIFEST, REQUEST, GENERATOR, TIMINGS})
REQUIRED = (REQUEST, GENERATOR, TIMINGS)
FORMAT = "brain-evidence-pack/1"

_FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say
_FILE_MODE = 0o100644 << 16  # a regular file, rw-r--r--
_UNIX = 3  # ZipInfo.create_system: what wrote the external attributes


@dataclass(frozen=True)
class EvidenceManifest:
    """What `build_evidence_pack` wrote: each member (except `manifest.json`) with its SHA-256
    and size, and the SHA-256 of the zip file itself."""

    path: Path
    files: dict[str, str]
    sizes: dict[str, int]
    zip_sha256: str
    created_with: str


def build_evidence_pack(
    out_path: Path,
    *,
    artifacts: Mapping[str, bytes],
    request: Mapping[str, Any],
    generator: Mapping[str, Any],
    timings: Mapping[str, Any],
    extra_files: Mapping[str, Path] | None = None,
) -> EvidenceManifest:
    """Write the evidence pack to `out_path` (atomically: a temporary file beside it, then
    `os.replace`) and return its manifest.

    `artifacts` maps member names (relative POSIX paths) to their bytes. `extra_files` maps member
    names to files on disk; a directory is included with everything under it (`{"site": out_dir}`
    packs the staging site as `site/index.html`, `site/lessons/1.html`, …).
    """
    for key in ("name", "version"):
        if key not in generator:
            raise ValueError(f"generator must say its {key}")

    members: dict[str, bytes] = {
        REQUEST: _json_bytes(dict(request)),
        GENERATOR: _json_bytes(dict(generator)),
        TIMINGS: _json_bytes(dict(timings)),
    }
    for name, data in artifacts.items():
        _add(members, name, bytes(data))
    for name, path in (extra_files or {}).items():
        for member, file in _expand(name, Path(path)):
            _add(members, member, file.read_bytes())

    names = sorted(members)
    _check_no_file_is_a_folder(names)
    files = {name: hashlib.sha256(members[name]).hexdigest() for name in names}
    sizes = {name: len(members[name]) for name in names}
    created_with = _created_with()
    manifest = {
        "format": FORMAT,
        "created_with": created_with,
        "files": [{"path": name, "sha256": files[name], "size": sizes[name]} for name in names],
    }

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _write_member(archive, MANIFEST, _json_bytes(manifest))
        for name in names:
            _write_member(archive, name, members[name])
    data = buffer.getvalue()

    out_path = Path(out_path)
    _write_atomically(out_path, data)
    return EvidenceManifest(
        path=out_path,
        files=files,
        sizes=sizes,
        zip_sha256=hashlib.sha256(data).hexdigest(),
        created_with=created_with,
    )


def verify_evidence_pack(path: Path) -> list[str]:
    """The problems with the pack at `path`: a missing or unreadable manifest, a declared file that
    is missing, a hash or size that does not match, a member the manifest does not declare. An
    intact pack gives an empty list."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        return [f"no evidence pack at {path}"]
    except (zipfile.BadZipFile, OSError) as error:
        return [f"not a readable zip file: {error}"]

    problems: list[str] = []
    with archive:
        infos = archive.infolist()
        counts: dict[str, int] = {}
        for info in infos:
            counts[info.filename] = counts.get(info.filename, 0) + 1
        problems.extend(
            f"duplicate member: {name} ({count} times)"
            for name, count in sorted(counts.items())
            if count > 1
        )

        if MANIFEST not in counts:
            return [*problems, f"missing file: {MANIFEST}"]
        try:
            manifest = json.loads(archive.read(MANIFEST))
            declared = {
                entry["path"]: (entry["sha256"], entry["size"]) for entry in manifest["files"]
            }
        except (zipfile.BadZipFile, ValueError, KeyError, TypeError) as error:
            return [*problems, f"unreadable {MANIFEST}: {error}"]
        if manifest.get("format") != FORMAT:
            problems.append(f"unknown format in {MANIFEST}: {manifest.get('format')!r}")
        if not manifest.get("created_with"):
            problems.append(f"{MANIFEST} does not say what created the pack")

        problems.extend(
            f"missing file: {name} (required, not declared)"
            for name in REQUIRED
            if name not in declared
        )
        for name, (sha256, size) in sorted(declared.items()):
            if name not in counts:
                problems.append(f"missing file: {name}")
                continue
            try:
                data = archive.read(name)
            except (zipfile.BadZipFile, OSError) as error:
                problems.append(f"unreadable member: {name} ({error})")
                continue
            actual = hashlib.sha256(data).hexdigest()
            if actual != sha256:
                problems.append(f"hash mismatch: {name} (declared {sha256}, found {actual})")
            if len(data) != size:
                problems.append(f"size mismatch: {name} (declared {size}, found {len(data)})")
        problems.extend(
            f"undeclared file: {name}"
            for name in sorted(counts)
            if name != MANIFEST and name not in declared
        )
    return problems


def _add(members: dict[str, bytes], name: str, data: bytes) -> None:
    _check_member_name(name)
    if name in RESERVED:
        raise ValueError(f"{name!r} is written by the evidence pack itself")
    if name in members:
        raise ValueError(f"two files for the same member {name!r}")
    members[name] = data


def _check_member_name(name: str) -> None:
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise ValueError(f"not a safe relative member name: {name!r}")


def _check_no_file_is_a_folder(names: list[str]) -> None:
    folders = {str(parent) for name in names for parent in PurePosixPath(name).parents}
    clashes = sorted(folders.intersection(names))
    if clashes:
        raise ValueError(f"members that are also folders of other members: {clashes}")


def _expand(name: str, path: Path) -> list[tuple[str, Path]]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        return [(f"{name}/{file.relative_to(path).as_posix()}", file) for file in files]
    return [(name, path)]


def _write_member(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = _UNIX
    info.external_attr = _FILE_MODE
    archive.writestr(info, data, compresslevel=9)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _json_bytes(value: Any) -> bytes:
    text = json.dumps(value, default=_json_default, ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, uuid.UUID | Path | PurePosixPath):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def _created_with() -> str:
    try:
        version = metadata.version("brain-platform")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"brain-platform {version} (course_factory evidence pack)"


def write_course_evidence(
    path: Path,
    site: SiteCourse,
    course: Course,
    *,
    generator: tuple[str, str],
    trail: Sequence[Event],
    site_dir: Path,
) -> None:
    """The evidence pack of a generated course: its artifacts, the request, the generator with
    its token usage, the timings of every step (from the course's event trail) and the staging
    site's files."""
    artifacts: dict[str, bytes] = {"outline.json": _json(site.outline.model_dump(mode="json"))}
    written = (lesson for _, lesson in sorted(site.lessons.items()))
    for number, lesson in enumerate(written, start=1):
        if lesson is not None:
            artifacts[f"lessons/{number:02d}.md"] = lesson.markdown.encode()
    if site.quiz is not None:
        artifacts["quiz.json"] = _json(site.quiz.model_dump(mode="json"))
    if site.landing is not None:
        artifacts["landing_page.json"] = _json(site.landing.model_dump(mode="json"))
    extra = (
        {
            f"site/{p.relative_to(site_dir).as_posix()}": p
            for p in sorted(site_dir.rglob("*"))
            if p.is_file()
        }
        if site_dir.exists()
        else {}
    )
    name, version = generator
    build_evidence_pack(
        path,
        artifacts=artifacts,
        request={
            "course_id": str(course.id),
            "title": course.title,
            "description": course.description,
            "language": course.language,
            "target_audiences": course.target_audiences,
            "template_id": course.template_id,
            "dry_run": course.dry_run,
            "full_lessons_count": course.full_lessons_count,
            "generate_quiz": course.generate_quiz,
            "generate_landing_page": course.generate_landing_page,
            "deploy_to_staging": course.deploy_to_staging,
        },
        generator={
            "name": name,
            "version": version,
            "usage": {
                "prompt_tokens": course.prompt_tokens,
                "completion_tokens": course.completion_tokens,
            },
        },
        timings={
            "requested_at": _iso(course.created_at),
            "started_at": _iso(course.started_at),
            "steps": [{"event": e.type, "at": _iso(e.timestamp)} for e in trail],
        },
        extra_files=extra,
    )


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None
