"""The README documents every command and setting (one declared list feeds both)."""

from pathlib import Path

from toolkit.cli import main
from toolkit.config import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme():
    for name in main.commands:
        assert f"`netkit {name}" in README, f"netkit {name} is not documented in README.md"


def test_every_setting_is_in_the_readme():
    for spec in SETTINGS:
        assert f"`{spec.env}`" in README, f"{spec.env} is not documented in README.md"


def test_readme_shows_the_two_commands_first():
    assert README.index("make run") < README.index("## Command line")
    assert README.index("make test") < README.index("## Command line")
