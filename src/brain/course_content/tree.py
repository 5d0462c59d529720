"""The content tree's path rules, without I/O: labels, depth, parents, and where a node may go.

A path is dotted labels (`module_01.lesson_02`), each `[a-z0-9_]{1,64}`, at most 10 deep; the
same text is an `ltree` on PostgreSQL. Which kind may sit where comes from the kinds' flags
(`has_ascendants`, `has_descendants`), never from their names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LABEL = re.compile(r"[a-z0-9_]{1,64}")
MAX_DEPTH = 10
MAX_PATH_CHARS = MAX_DEPTH * 64 + MAX_DEPTH - 1


class PathError(ValueError):
    """A path that breaks the rules; the message says which rule."""


@dataclass(frozen=True)
class KindRules:
    id: str
    has_ascendants: bool
    has_descendants: bool
    submittable: bool


def check_path(path: str) -> str:
    if not isinstance(path, str) or path == "":
        raise PathError("a path needs at least one label")
    labels = path.split(".")
    if len(labels) > MAX_DEPTH:
        raise PathError(f"is {len(labels)} labels deep; at most {MAX_DEPTH} are allowed")
    for label in labels:
        if label == "":
            raise PathError("has an empty label (two dots in a row, or a dot at an end)")
        if len(label) > 64:
            raise PathError(f"label {label[:20]!r}… has {len(label)} characters; at most 64")
        if not LABEL.fullmatch(label):
            raise PathError(f"label {label!r} may only use a-z, 0-9 and _")
    return path


def parent_of(path: str) -> str | None:
    head, _, _ = path.rpartition(".")
    return head or None


def depth(path: str) -> int:
    return path.count(".") + 1


def is_within(path: str, root: str) -> bool:
    """`path` is `root` or below it."""
    return path == root or path.startswith(root + ".")


def moved(path: str, old_root: str, new_root: str) -> str:
    """`path` (at or below `old_root`) once `old_root` is moved to `new_root`."""
    return new_root + path[len(old_root) :]


def placement_error(
    path: str, kind: KindRules, parent: KindRules | None, parent_exists: bool
) -> str | None:
    """Why a node of `kind` cannot sit at `path` (None when it can)."""
    above = parent_of(path)
    if above is None:
        return None
    if not kind.has_ascendants:
        return f"a {kind.id} sits at the root only; it cannot go below {above!r}"
    if not parent_exists or parent is None:
        return f"the parent {above!r} does not exist"
    if not parent.has_descendants:
        return f"the parent {above!r} is a {parent.id}, which cannot have children"
    return None


def folder_of(path: str) -> str:
    """The folder of a node in the learners' repository: `module_01.exercise` →
    `module_01/exercise`."""
    return path.replace(".", "/")
