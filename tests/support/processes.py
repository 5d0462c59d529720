"""`brain` commands as real processes, for the tests that kill, stop or restart them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
"""The virtualenv's scripts: `brain` is installed beside the Python running the tests."""


def start_worker(
    env: dict[str, str], cwd: Path, log: Path, *, append: bool = True
) -> subprocess.Popen[bytes]:
    """`brain worker` in a session of its own (so a test can signal its whole group), its output
    to `log` (appended: a restarted worker's lines follow the killed one's)."""
    return subprocess.Popen(
        [str(BIN / "brain"), "worker"],
        cwd=cwd,
        env=env,
        stdout=log.open("ab" if append else "wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
