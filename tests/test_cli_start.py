"""What a newcomer reads when ``./dev serve`` starts a second time: the migration lines
that matter, no Alembic plugin chatter, and a demo catalogue "already loaded" rather
than "destinations 0" (which reads as an empty one)."""

import pytest

from service.cli import demo_summary
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
    assert done.stderr.strip() == (
        "error: the database is not set up: run `jilin migrate` (or ./dev serve) first"
    )
