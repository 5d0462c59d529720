"""A course's learner repository: a bare git repository under the data directory, written with
pygit2 (no working tree, no git binary), optionally pushed to a remote.

A release is one commit on `main` whose tree is the previous tree with each released
assignment's folder replaced. The branch moves only if it still points where the release
started (libgit2 refuses a commit whose first parent is not the branch's tip), and a rejected
push is fetched and the release re-applied on the remote's tip, at most `push_attempts` times.
Every release commit carries `Brain-Workflow-Id` and `Brain-Workflow-Run-Id` trailers, so a retried
release finds the commit it already made instead of making a second one
(`docs/decisions/0018-release-exactly-once.md`).

Every method blocks (libgit2); callers run them in a thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pygit2
from pygit2.enums import FileMode, SortMode

BRANCH = "main"
REF = f"refs/heads/{BRANCH}"
REMOTE_REF = "refs/remotes/origin/main"
WORKFLOW_TRAILER = "Brain-Workflow-Id"
RUN_TRAILER = "Brain-Workflow-Run-Id"
DEPLOYMENT_TRAILER = "Brain-Deployment"
SEARCH_DEPTH = 1000
"""How many commits back a retried release looks for the commit it may already have made."""
AUTHOR = pygit2.Signature("BRAiN", "brain@localhost")
REJECTED = ("not present locally", "fastforward", "fast-forward", "rejected")
"""How libgit2 says a push was refused because the remote's branch moved."""


class PushRejected(Exception):
    """The remote refused every attempt (someone else kept moving the branch)."""


class RepositoryError(Exception):
    """The repository or its remote could not be used (the message says why)."""


@dataclass(frozen=True)
class Written:
    sha: str
    created: bool
    """False when the release had committed already (found by its trailers)."""
    attempts: int


def repository_path(data_dir: Path, tenant_id: uuid.UUID, course_id: uuid.UUID) -> Path:
    return data_dir / "repositories" / str(tenant_id) / f"{course_id}.git"


class LearnerRepository:
    def __init__(self, path: Path, remote_url: str | None = None) -> None:
        self.path = path
        self.remote_url = remote_url or None

    def open(self) -> pygit2.Repository:
        if (self.path / "HEAD").exists():
            return pygit2.Repository(str(self.path))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return pygit2.init_repository(str(self.path), bare=True, initial_head=BRANCH)

    def head(self) -> str | None:
        if not (self.path / "HEAD").exists():
            return None
        repo = self.open()
        ref = repo.references.get(REF)
        return str(ref.target) if ref is not None else None

    def files_at(self, ref: str) -> list[str] | None:
        """Every file path at `ref` (a branch, a tag or a commit SHA); None if it names none."""
        if not (self.path / "HEAD").exists():
            return None
        repo = self.open()
        try:
            commit = repo.revparse_single(ref).peel(pygit2.Commit)
        except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
            return None
        return sorted(_walk(repo, commit.tree, ""))

    def write(
        self,
        folders: Mapping[str, Mapping[str, bytes]],
        message: str,
        *,
        workflow_id: str,
        run_id: str,
        deployments: list[str],
        push_attempts: int = 3,
    ) -> Written:
        """Commit `folders` (each replaced by the files given, paths relative to it) on `main`
        once for this run, and push it when a remote is configured."""
        repo = self.open()
        remote = self._remote(repo)
        for attempt in range(1, push_attempts + 1):
            base = self._fetch(repo, remote) if remote else _tip(repo, REF)
            found = self.find(repo, workflow_id, run_id, [_tip(repo, REF), base])
            if found is not None:
                if remote is None or _contains(repo, base, found):
                    return Written(str(found), created=False, attempts=attempt)
                # Committed but never published (a crash before the push): push it now, or,
                # when the remote moved past it, build the release anew on the remote's tip.
                if self._push(repo, remote, found):
                    return Written(str(found), created=False, attempts=attempt)
                _point(repo, base)
                continue
            tree = _tree_with(repo, base, folders)
            trailers = [f"{WORKFLOW_TRAILER}: {workflow_id}", f"{RUN_TRAILER}: {run_id}"]
            trailers += [f"{DEPLOYMENT_TRAILER}: {d}" for d in deployments]
            full = f"{message}\n\n" + "\n".join(trailers) + "\n"
            parents = [base] if base is not None else []
            if remote is None:
                try:
                    commit = repo.create_commit(REF, AUTHOR, AUTHOR, full, tree, parents)
                except pygit2.GitError:
                    continue  # the branch moved meanwhile: start again from its new tip
                return Written(str(commit), created=True, attempts=attempt)
            commit = repo.create_commit(None, AUTHOR, AUTHOR, full, tree, parents)
            if self._push(repo, remote, commit):
                return Written(str(commit), created=True, attempts=attempt)
        raise PushRejected(
            f"the branch {BRANCH} kept moving; the release was not written after "
            f"{push_attempts} attempt(s)"
        )

    @staticmethod
    def find(
        repo: pygit2.Repository,
        workflow_id: str,
        run_id: str,
        tips: list[pygit2.Oid | None],
    ) -> pygit2.Oid | None:
        for tip in tips:
            if tip is None:
                continue
            for depth, commit in enumerate(repo.walk(tip, SortMode.TOPOLOGICAL)):
                if depth >= SEARCH_DEPTH:
                    break
                trailers = commit.message_trailers
                if (
                    trailers.get(WORKFLOW_TRAILER) == workflow_id
                    and trailers.get(RUN_TRAILER) == run_id
                ):
                    return commit.id
        return None

    def _remote(self, repo: pygit2.Repository) -> pygit2.Remote | None:
        if not self.remote_url:
            return None
        try:
            existing = repo.remotes["origin"]
        except KeyError:
            return repo.remotes.create("origin", self.remote_url)
        if existing.url != self.remote_url:
            repo.remotes.set_url("origin", self.remote_url)
            existing = repo.remotes["origin"]
        return existing

    def _fetch(self, repo: pygit2.Repository, remote: pygit2.Remote) -> pygit2.Oid | None:
        """The remote's `main` (None while the remote is empty); local `main` follows it."""
        try:
            remote.fetch([f"+{REF}:{REMOTE_REF}"])
        except pygit2.GitError as exc:
            raise RepositoryError(f"cannot fetch from the remote: {exc}") from exc
        tip = _tip(repo, REMOTE_REF)
        return tip if tip is not None else _tip(repo, REF)

    def _push(self, repo: pygit2.Repository, remote: pygit2.Remote, commit: pygit2.Oid) -> bool:
        """Push `commit` as the remote's `main`; False when the remote refused it (moved)."""
        previous = _tip(repo, REF)
        repo.references.create(REF, commit, force=True)
        try:
            remote.push([f"{REF}:{REF}"])
        except pygit2.GitError as exc:
            _point(repo, previous)
            if any(sign in str(exc).lower() for sign in REJECTED):
                return False
            raise RepositoryError(f"cannot push to the remote: {exc}") from exc
        return True


def _point(repo: pygit2.Repository, target: pygit2.Oid | None) -> None:
    """Local `main` at `target` (or no `main` at all)."""
    if target is not None:
        repo.references.create(REF, target, force=True)
    elif repo.references.get(REF) is not None:
        repo.references.delete(REF)


def _tip(repo: pygit2.Repository, ref: str) -> pygit2.Oid | None:
    found = repo.references.get(ref)
    if found is None:
        return None
    target = found.target
    return target if isinstance(target, pygit2.Oid) else None


def _contains(repo: pygit2.Repository, tip: pygit2.Oid | None, commit: pygit2.Oid) -> bool:
    if tip is None:
        return False
    return tip == commit or repo.descendant_of(tip, commit)


def _tree_with(
    repo: pygit2.Repository,
    base: pygit2.Oid | None,
    folders: Mapping[str, Mapping[str, bytes]],
) -> pygit2.Oid:
    index = pygit2.Index()
    if base is not None:
        index.read_tree(repo[base].peel(pygit2.Commit).tree)
    for folder, files in folders.items():
        prefix = folder.rstrip("/") + "/"
        for entry in [e.path for e in index if e.path.startswith(prefix)]:
            index.remove(entry)
        for relative, content in sorted(files.items()):
            blob = repo.create_blob(content)
            index.add(pygit2.IndexEntry(prefix + relative, blob, FileMode.BLOB))
    return index.write_tree(repo)


def _walk(repo: pygit2.Repository, tree: pygit2.Tree, prefix: str) -> list[str]:
    paths: list[str] = []
    for entry in tree:
        name = f"{prefix}{entry.name}"
        if entry.type_str == "tree":
            paths += _walk(repo, repo[entry.id].peel(pygit2.Tree), name + "/")
        else:
            paths.append(name)
    return paths
