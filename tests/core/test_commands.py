"""One exit-status rule for every `dailypapers` command, run as a real process."""

import pytest

from tests.processes import site

pytestmark = pytest.mark.django_db


@pytest.fixture
def installation(tmp_path):
    with site(tmp_path) as one:
        one.run("migrate", "-v0")
        yield one


def test_expected_failures_exit_2_with_one_line(installation, tmp_path):
    result = installation.run("eval", str(tmp_path / "no-such-collection"), check=False)
    assert result.returncode == 2
    assert "cannot read the collection" in result.stderr and "Traceback" not in result.stderr


def test_djangos_own_commands_exit_2_when_they_fail(installation):
    result = installation.run("migrate", "no_such_app", check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert installation.run("no-such-command", check=False).returncode == 2


def test_only_imports_and_ingests_say_nothing_new_with_1(installation, tmp_path):
    empty = tmp_path / "days"
    empty.mkdir()
    assert installation.run("import", "daily-papers", str(empty), check=False).returncode == 1
    assert installation.run("trending", check=False).returncode == 0
