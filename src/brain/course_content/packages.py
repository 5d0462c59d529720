"""Example packages: a zip or a folder with a `meta.yaml`, read within limits, without I/O beyond
the package itself.

A package holds instructions (`content/index.md`, `content/index_<lang>.md`), media
(`content/mediaFiles/…`), the files handed to learners, tests and a reference solution.
`meta.yaml` names at least `title` and lists `student_submission_files`, `additional_files`,
`test_files` and `solution_files` (top level, or under `properties:`). Templates for submission
files may ship under `studentTemplates/`.

Everything that could escape or exhaust is refused with the entry it concerns: absolute paths,
`..`, symlinks, duplicate names, more than 1,000 files, over 10 MiB compressed or 50 MiB
uncompressed, an entry that expands more than `MAX_RATIO` times, a `meta.yaml` that does not
parse or names a file the package lacks.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

MAX_COMPRESSED_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_FILES = 1000
MAX_RATIO = 100
"""Largest uncompressed/compressed ratio of an entry over `RATIO_FLOOR_BYTES`."""
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_PATH_CHARS = 500
META = "meta.yaml"
LISTS = ("student_submission_files", "additional_files", "test_files", "solution_files")
TEMPLATES = "studentTemplates/"
CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


class PackageError(ValueError):
    """A package that breaks a rule; `entry` names the file (or `meta.yaml`) concerned."""

    def __init__(self, entry: str, reason: str) -> None:
        super().__init__(f"{entry}: {reason}")
        self.entry = entry
        self.reason = reason


@dataclass(frozen=True)
class PackageFile:
    path: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Meta:
    title: str
    description: str
    student_submission_files: tuple[str, ...] = ()
    additional_files: tuple[str, ...] = ()
    test_files: tuple[str, ...] = ()
    solution_files: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Package:
    meta: Meta
    files: tuple[PackageFile, ...]

    @property
    def total_bytes(self) -> int:
        return sum(len(f.content) for f in self.files)


def check_entry_name(name: str) -> str:
    """A relative POSIX path inside the package, or PackageError naming it."""
    shown = name[:200]
    if name == "" or "\x00" in name:
        raise PackageError(shown or "(empty)", "an entry needs a name without NUL characters")
    if "\\" in name:
        raise PackageError(shown, "backslashes are not allowed; use / between folders")
    if name.startswith("/") or _DRIVE.match(name):
        raise PackageError(shown, "absolute paths are not allowed")
    parts = name.split("/")
    if any(part == ".." for part in parts):
        raise PackageError(shown, "'..' is not allowed in a path")
    if any(part in ("", ".") for part in parts):
        raise PackageError(shown, "empty or '.' path segments are not allowed")
    if len(name) > MAX_PATH_CHARS:
        raise PackageError(shown, f"the path has {len(name)} characters; at most {MAX_PATH_CHARS}")
    return name


def read_zip(data: bytes) -> Package:
    if len(data) > MAX_COMPRESSED_BYTES:
        raise PackageError("file", f"the zip has {len(data)} bytes; at most 10 MiB are allowed")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PackageError("file", f"not a zip archive ({exc})") from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_FILES:
            raise PackageError("file", f"the zip holds {len(infos)} files; at most {MAX_FILES}")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNCOMPRESSED_BYTES:
            raise PackageError(
                "file", f"the zip expands to {declared} bytes; at most 50 MiB are allowed"
            )
        seen: set[str] = set()
        files: list[PackageFile] = []
        total = 0
        for info in infos:
            name = check_entry_name(info.filename)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise PackageError(name, "symbolic links are not allowed")
            if name in seen:
                raise PackageError(name, "the name appears twice in the zip")
            seen.add(name)
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise PackageError(
                    name,
                    f"expands {info.file_size // max(info.compress_size, 1)} times; "
                    f"at most {MAX_RATIO} (a zip bomb?)",
                )
            content = _read_bounded(archive, info, MAX_UNCOMPRESSED_BYTES - total)
            total += len(content)
            files.append(PackageFile(name, content))
    return build(_strip_common_folder(files))


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The entry's bytes, counted as they inflate: a header that lies about sizes changes
    nothing."""
    out = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                out += chunk
                if len(out) > budget or len(out) > info.file_size:
                    raise PackageError(
                        info.filename[:200],
                        "expands beyond its declared size or the 50 MiB limit",
                    )
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise PackageError(info.filename[:200], f"cannot be read ({exc})") from None
    return bytes(out)


def read_folder(root: Path) -> Package:
    if not root.is_dir():
        raise PackageError(str(root), "is not a folder")
    files: list[PackageFile] = []
    total = 0
    for item in sorted(root.rglob("*")):
        name = item.relative_to(root).as_posix()
        if item.is_symlink():
            raise PackageError(name, "symbolic links are not allowed")
        if item.is_dir():
            continue
        if not item.is_file():
            raise PackageError(name, "only regular files are allowed")
        check_entry_name(name)
        if len(files) == MAX_FILES:
            raise PackageError(str(root), f"the folder holds more than {MAX_FILES} files")
        total += item.stat().st_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise PackageError(str(root), "the folder holds more than 50 MiB")
        files.append(PackageFile(name, item.read_bytes()))
    return build(files)


def _strip_common_folder(files: list[PackageFile]) -> list[PackageFile]:
    """A zip made of one folder (`fizzbuzz/meta.yaml`, …) is read as that folder's content."""
    if any(f.path == META for f in files) or not files:
        return files
    tops = {f.path.split("/", 1)[0] for f in files}
    if len(tops) != 1 or any("/" not in f.path for f in files):
        return files
    prefix = next(iter(tops)) + "/"
    if not any(f.path == prefix + META for f in files):
        return files
    return [PackageFile(f.path[len(prefix) :], f.content) for f in files]


def build(files: list[PackageFile]) -> Package:
    by_path = {f.path: f for f in files}
    if META not in by_path:
        raise PackageError(META, "the package has no meta.yaml at its top level")
    meta = parse_meta(by_path[META].content)
    present = set(by_path)
    for list_name in ("additional_files", "test_files", "solution_files"):
        for listed in getattr(meta, list_name):
            if not _exists(listed, present):
                raise PackageError(
                    META, f"{list_name} names {listed!r}, which the package does not contain"
                )
    return Package(meta=meta, files=tuple(sorted(files, key=lambda f: f.path)))


def _exists(listed: str, present: set[str]) -> bool:
    folder = listed.rstrip("/") + "/"
    return listed in present or any(p.startswith(folder) for p in present)


def parse_meta(content: bytes) -> Meta:
    try:
        data = yaml.safe_load(content.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise PackageError(META, f"does not parse as YAML: {_first_line(exc)}") from None
    if not isinstance(data, dict):
        raise PackageError(META, "must be a mapping with at least `title`")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise PackageError(META, "`title` is missing or not a text")
    if len(title) > 255:
        raise PackageError(META, "`title` has more than 255 characters")
    description = data.get("description") or ""
    if not isinstance(description, str):
        raise PackageError(META, "`description` must be a text")
    properties = data.get("properties")
    nested: dict[str, Any] = properties if isinstance(properties, dict) else {}
    lists: dict[str, tuple[str, ...]] = {}
    for list_name in LISTS:
        value = data.get(list_name, nested.get(list_name, []))
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PackageError(META, f"`{list_name}` must be a list of paths")
        for listed in value:
            try:
                check_entry_name(listed.rstrip("/") if listed != "/" else listed)
            except PackageError as exc:
                raise PackageError(
                    META, f"`{list_name}` entry {exc.entry!r}: {exc.reason}"
                ) from None
        lists[list_name] = tuple(value)
    raw = json.loads(json.dumps(data, default=str))
    return Meta(title=title.strip(), description=description.strip(), raw=raw, **lists)


def meta_from_stored(raw: dict[str, Any]) -> Meta:
    """The meta of a stored version (its `meta` column), read with the same rules."""
    return parse_meta(yaml.safe_dump(raw).encode())


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def media_name(path: str) -> bool:
    return PurePosixPath(path).parts[:2] == ("content", "mediaFiles")
