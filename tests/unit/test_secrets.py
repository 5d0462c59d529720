import os
import stat
from pathlib import Path

from brain.bootstrap import load_platform_settings
from brain.kernel.secrets import platform_secret


def test_a_configured_key_is_used_as_it_is(tmp_path: Path) -> None:
    settings = load_platform_settings(_env_file=None, data_dir=tmp_path, secret_key="s3cr3t")
    assert platform_secret(settings) == b"s3cr3t"
    assert not (tmp_path / "secret_key").exists()


def test_without_one_a_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    settings = load_platform_settings(_env_file=None, data_dir=tmp_path / "var")
    first = platform_secret(settings)
    assert len(first) >= 32
    assert platform_secret(settings) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "var" / "secret_key").st_mode)
    assert mode == 0o600
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret_key"]
