"""The `brain` CLI on a fresh SQLite database (each test has its own)."""

import re

import pytest
from typer.testing import CliRunner

from brain.cli import app

runner = CliRunner()
KEY = re.compile(r"brain_[a-z0-9]{12}_[A-Za-z0-9_-]{43}")


def brain(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def migrated(cli_env: dict[str, str]) -> dict[str, str]:
    assert brain("db", "upgrade").exit_code == 0
    return cli_env


def test_setup_migrates_and_prints_a_demo_admin_key_once(cli_env: dict[str, str]) -> None:
    first = brain("setup")
    assert first.exit_code == 0, first.output
    assert len(KEY.findall(first.output)) >= 1
    assert "/docs" in first.output
    second = brain("setup")
    assert second.exit_code == 0
    assert not KEY.findall(second.output)
    listed = brain("apikey", "list", "--tenant", "demo")
    assert "\tadmin\tactive" in listed.output


def test_db_upgrade_downgrade_and_current(cli_env: dict[str, str]) -> None:
    assert "behind" in brain("db", "current").output
    assert brain("db", "upgrade").exit_code == 0
    assert "up to date" in brain("db", "current").output
    down = brain("db", "downgrade", "base")
    assert down.exit_code == 0 and "database at base" in down.output
    assert brain("db", "upgrade", "head").exit_code == 0


def test_an_unknown_revision_exits_2(cli_env: dict[str, str]) -> None:
    result = brain("db", "downgrade", "nope")
    assert result.exit_code == 2
    assert "unknown revision" in result.output


def test_tenant_and_key_lifecycle(migrated: dict[str, str]) -> None:
    created = brain("tenant", "create", "acme")
    assert created.exit_code == 0, created.output
    assert "acme" in brain("tenant", "list").output
    issued = brain("apikey", "create", "--tenant", "acme", "--role", "editor")
    assert issued.exit_code == 0, issued.output
    assert len(KEY.findall(issued.output)) == 1
    key_id = re.search(r"id ([0-9a-f-]{36})", issued.output)
    assert key_id is not None
    revoked = brain("apikey", "revoke", key_id[1])
    assert revoked.exit_code == 0
    assert "revoked" in brain("apikey", "list", "--tenant", "acme").output


def test_a_duplicate_tenant_is_refused(migrated: dict[str, str]) -> None:
    assert brain("tenant", "create", "acme").exit_code == 0
    again = brain("tenant", "create", "acme")
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_a_bad_tenant_name_exits_2(migrated: dict[str, str]) -> None:
    result = brain("tenant", "create", "Not A Name!")
    assert result.exit_code == 2
    assert "name" in result.output


def test_an_unknown_tenant_exits_2_with_a_clear_message(migrated: dict[str, str]) -> None:
    result = brain("apikey", "create", "--tenant", "nobody", "--role", "admin")
    assert result.exit_code == 2
    assert "no tenant named 'nobody'" in result.output


def test_an_unknown_role_exits_2_with_a_clear_message(migrated: dict[str, str]) -> None:
    brain("tenant", "create", "acme")
    result = brain("apikey", "create", "--tenant", "acme", "--role", "root")
    assert result.exit_code == 2
    assert "root" in result.output and "admin" in result.output


def test_revoking_an_unknown_key_fails_clearly(migrated: dict[str, str]) -> None:
    result = brain("apikey", "revoke", "0b7a3f4e-8c1d-4e2f-9a6b-5c4d3e2f1a0b")
    assert result.exit_code == 1
    assert "no API key" in result.output
    assert brain("apikey", "revoke", "not-an-id").exit_code == 2


def test_a_database_that_cannot_connect_fails_with_a_clear_message(
    cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRAIN_DATABASE_URL", "postgresql://brain:s3cret@127.0.0.1:1/brain")
    for command in (["serve"], ["worker"], ["db", "current"]):
        result = brain(*command)
        assert result.exit_code == 1, command
        assert "cannot connect to the database" in result.output
        assert "s3cret" not in result.output


def test_a_wrong_setting_fails_naming_it(
    cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRAIN_PORT", "http")
    result = brain("db", "current")
    assert result.exit_code == 2
    assert "BRAIN_PORT" in result.output
    assert "Traceback" not in result.output


def test_serve_refuses_an_unmigrated_database(cli_env: dict[str, str]) -> None:
    result = brain("serve")
    assert result.exit_code == 1
    assert "brain db upgrade" in result.output


def test_only_setup_and_db_commands_report_migrations(migrated: dict[str, str]) -> None:
    assert brain("tenant", "create", "acme").exit_code == 0
    for args in (("tenant", "list"), ("courses", "list", "--tenant", "acme"), ("events", "types")):
        result = brain(*args)
        assert result.exit_code == 0, result.output
        assert "alembic" not in result.output and "Context impl" not in result.output, args
    upgraded = brain("db", "upgrade")
    assert upgraded.exit_code == 0
    assert "database at" in upgraded.output
