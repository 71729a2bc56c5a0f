"""What a newcomer reads when ``./dev serve`` starts a second time: the migration lines
that matter, no Alembic plugin chatter, and a demo catalogue "already loaded" rather
than "destinations 0" (which reads as an empty one)."""

import pytest

from service.cli import NOT_SET_UP, demo_summary
from tests.support.cli import fresh_checkout_env, run_cli


def _run(tmp_path, *step: str):
    return run_cli(tmp_path, fresh_checkout_env(), *step)


def test_a_second_start_says_the_demo_is_already_loaded_without_plugin_lines(tmp_path):
    first = _run(tmp_path, "migrate")
    assert "Running upgrade" in first.stderr  # the migration's progress still shows
    assert "alembic.runtime.plugins" not in first.stderr
    loaded = _run(tmp_path, "load-demo")
    assert "demo catalogue: added destinations " in loaded.stdout
    again = _run(tmp_path, "migrate")
    assert "setup plugin" not in again.stderr and "database at head" in again.stdout
    reloaded = _run(tmp_path, "load-demo")
    assert "demo catalogue: already loaded" in reloaded.stdout
    assert "destinations 0" not in reloaded.stdout


def test_the_summary_names_only_what_was_added():
    assert demo_summary({"destinations": 0, "packs": 0}).endswith(
        "already loaded (nothing new to add)"
    )
    assert demo_summary({"destinations": 0, "packs": 2}) == (
        "demo catalogue: added destinations 0, packs 2"
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize(
    "command",
    [("create-client", "--name", "OTA", "--channel", "ota"), ("load-demo",), ("sweep-holds",)],
)
def test_a_command_on_a_database_never_migrated_says_to_migrate(
    request, tmp_path, backend, command
):
    env = fresh_checkout_env()
    if backend == "postgresql":
        env["DATABASE_URL"] = request.getfixturevalue("pg_server").create("never_migrated")
    done = run_cli(tmp_path, env, *command, status=2)
    assert done.stderr.strip() == NOT_SET_UP
    assert list(tmp_path.iterdir()) == []  # no var/jilin.db made on the way (SQLite)


@pytest.mark.parametrize(
    "command", [("create-client", "--name", "OTA", "--channel", "ota"), ("worker", "--once")]
)
def test_a_missing_sqlite_file_is_refused_without_making_it_or_its_folder(tmp_path, command):
    """SQLite creates a file (and the CLI its folder) on the first connection: a command
    that needs a migrated database checks that the file exists first."""
    target = tmp_path / "elsewhere" / "nested" / "jilin.db"
    env = {**fresh_checkout_env(), "DATABASE_URL": f"sqlite:///{target}"}
    done = run_cli(tmp_path, env, *command, status=2)
    assert done.stderr.strip() == NOT_SET_UP
    assert list(tmp_path.iterdir()) == []
    run_cli(tmp_path, env, "migrate")  # migrate makes it, and the command then runs
    assert target.is_file()
    run_cli(tmp_path, env, "create-client", "--name", "OTA", "--channel", "ota")


def test_an_empty_sqlite_file_is_not_set_up_either(tmp_path):
    target = tmp_path / "jilin.db"
    target.touch()  # e.g. left by an earlier version's refusal
    env = {**fresh_checkout_env(), "DATABASE_URL": f"sqlite:///{target}"}
    assert run_cli(tmp_path, env, "load-demo", status=2).stderr.strip() == NOT_SET_UP
