"""The learner repository on real bare repositories: one commit per release run (found again by
its trailers), a push to a remote that moved in between re-applied on its tip, and a remote that
keeps moving refused after the attempts."""

from __future__ import annotations

from pathlib import Path

import pygit2
import pytest

from brain.course_content.git_store import (
    AUTHOR,
    REF,
    LearnerRepository,
    PushRejected,
)

FOLDERS = {"week_1/task": {"README.md": b"# Task\\n", "data/in.txt": b"1 2 3\\n"}}


def foreign_commit(remote: Path, name: str) -> str:
    """Someone else pushes to the remote: a commit on its main with one more file."""
    repo = pygit2.Repository(str(remote))
    parent = repo.references[REF].target
    index = pygit2.Index()
    index.read_tree(repo[parent].peel(pygit2.Commit).tree)
    index.add(
        pygit2.IndexEntry(name, repo.create_blob(b"from elsewhere\\n"), pygit2.GIT_FILEMODE_BLOB)
    )
    return str(
        repo.create_commit(REF, AUTHOR, AUTHOR, f"add {name}", index.write_tree(repo), [parent])
    )


def paths(repo_path: Path, sha: str) -> set[str]:
    found = LearnerRepository(repo_path).files_at(sha)
    assert found is not None
    return set(found)


def test_a_run_commits_once_and_a_retry_finds_its_commit(tmp_path: Path) -> None:
    repo = LearnerRepository(tmp_path / "course.git")
    first = repo.write(
        FOLDERS,
        "Release X: 1 assignment(s)",
        workflow_id="release-c",
        run_id="r1",
        deployments=["d1"],
    )
    again = repo.write(
        FOLDERS,
        "Release X: 1 assignment(s)",
        workflow_id="release-c",
        run_id="r1",
        deployments=["d1"],
    )
    assert first.created and not again.created
    assert again.sha == first.sha == repo.head()
    later = repo.write(
        {"week_1/task": {"README.md": b"# v2\\n"}},
        "Release X",
        workflow_id="release-c",
        run_id="r2",
        deployments=["d1"],
    )
    assert later.created
    git = pygit2.Repository(str(tmp_path / "course.git"))
    assert [str(c.id) for c in git.walk(git.head.target)] == [later.sha, first.sha]
    # The folder is replaced as a whole: the file the new version lacks is gone.
    assert paths(tmp_path / "course.git", later.sha) == {"week_1/task/README.md"}


class MovingRemote(LearnerRepository):
    """A learner repository whose remote receives someone else's push right after each fetch,
    for `moves` fetches: the race the release's retry is for."""

    def __init__(self, path: Path, remote: Path, moves: int) -> None:
        super().__init__(path, f"file://{remote}")
        self.remote = remote
        self.moves = moves

    def _fetch(self, repo: pygit2.Repository, remote: pygit2.Remote) -> pygit2.Oid | None:
        tip = super()._fetch(repo, remote)
        if self.moves > 0:
            self.moves -= 1
            foreign_commit(self.remote, f"NOTICE_{self.moves}.md")
        return tip


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    path = tmp_path / "remote.git"
    repo = pygit2.init_repository(str(path), bare=True, initial_head="main")
    index = pygit2.Index()
    index.add(pygit2.IndexEntry("LICENSE", repo.create_blob(b"MIT\\n"), pygit2.GIT_FILEMODE_BLOB))
    repo.create_commit(REF, AUTHOR, AUTHOR, "start", index.write_tree(repo), [])
    return path


def test_a_push_to_a_remote_that_moved_in_between_is_reapplied_on_its_tip(
    tmp_path: Path, remote: Path
) -> None:
    repo = MovingRemote(tmp_path / "course.git", remote, moves=1)
    written = repo.write(
        FOLDERS, "Release X", workflow_id="release-c", run_id="r1", deployments=["d1"]
    )
    assert written.created and written.attempts == 2
    pushed = pygit2.Repository(str(remote))
    assert str(pushed.references[REF].target) == written.sha
    assert paths(remote, written.sha) == {
        "LICENSE",
        "NOTICE_0.md",
        "week_1/task/README.md",
        "week_1/task/data/in.txt",
    }
    commit = pushed[written.sha].peel(pygit2.Commit)
    assert pushed[commit.parents[0].id].peel(pygit2.Commit).message == "add NOTICE_0.md"


def test_a_remote_that_keeps_moving_is_refused_after_three_attempts(
    tmp_path: Path, remote: Path
) -> None:
    repo = MovingRemote(tmp_path / "course.git", remote, moves=3)
    with pytest.raises(PushRejected, match="3 attempt"):
        repo.write(
            FOLDERS,
            "Release X",
            workflow_id="release-c",
            run_id="r1",
            deployments=["d1"],
            push_attempts=3,
        )
    assert "week_1/task/README.md" not in paths(remote, "main")
