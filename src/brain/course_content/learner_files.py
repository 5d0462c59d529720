"""What learners may see of an example version: the files of an assignment's folder in the
course repository, built by an allowlist.

- `content/index.md` → `README.md`, `content/index_<lang>.md` → `README_<lang>.md`;
- `content/mediaFiles/**` → `mediaFiles/**` (the instructions link them relatively);
- every `additional_files` entry (a file, or a folder and everything below it) at its path;
- every `student_submission_files` entry from `studentTemplates/<path>` when the package ships
  one, else as an empty file.

Never `test_files`, `solution_files`, `meta.yaml` or anything not listed. A listed path the
package lacks fails the assignment with a message naming it; nothing is looked up elsewhere.
Every path is checked to stay inside the assignment's folder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from brain.course_content.packages import (
    META,
    TEMPLATES,
    Meta,
    PackageError,
    check_entry_name,
)

INDEX = "content/index.md"
MEDIA = "content/mediaFiles/"
TRANSLATED_INDEX = re.compile(r"content/index_([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)\.md")


class BuildError(Exception):
    """An assignment whose learner files cannot be built (the message names the path)."""


def _under(path: str, listed: str) -> bool:
    folder = listed.rstrip("/") + "/"
    return path == listed.rstrip("/") or path.startswith(folder)


def learner_files(files: Mapping[str, bytes], meta: Meta) -> dict[str, bytes]:
    """The assignment folder's files (paths relative to it) from a version's stored files."""
    hidden = [*meta.test_files, *meta.solution_files]

    def visible(path: str) -> bool:
        return path != META and not any(_under(path, h) for h in hidden)

    out: dict[str, bytes] = {}

    def put(target: str, content: bytes) -> None:
        try:
            check_entry_name(target)
        except PackageError as exc:
            raise BuildError(
                f"{target!r} would leave the assignment's folder: {exc.reason}"
            ) from None
        out[target] = content

    if INDEX in files and visible(INDEX):
        put("README.md", files[INDEX])
    for path, content in files.items():
        match = TRANSLATED_INDEX.fullmatch(path)
        if match and visible(path):
            put(f"README_{match[1]}.md", content)
        elif path.startswith(MEDIA) and visible(path):
            put("mediaFiles/" + path[len(MEDIA) :], content)
    for listed in meta.additional_files:
        matched = [p for p in files if _under(p, listed)]
        if not matched:
            raise BuildError(
                f"additional_files names {listed!r}, which the package does not contain"
            )
        for path in matched:
            if visible(path):
                put(path, files[path])
    for listed in meta.student_submission_files:
        if not visible(listed):
            continue
        template = files.get(TEMPLATES + listed)
        put(listed, template if template is not None else b"")
    return out
