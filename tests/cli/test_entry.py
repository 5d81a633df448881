"""`spectrum-desktop` itself: the window needs no command modules, while help, the version and every command
still work from the same entry."""

import subprocess
import sys

from spectrum_desktop import __version__
from spectrum_desktop.app import build_parser, names_a_command
from tests.cli.helpers import run_cli


def test_only_a_command_word_or_a_help_request_loads_the_commands():
    assert not names_a_command([]) and not names_a_command(["--selftest"]) and not names_a_command(["--version"])
    assert names_a_command(["history"]) and names_a_command(["send", "orders.json", "--yes"])
    assert names_a_command(["-h"]) and names_a_command(["--help"])
    assert "history" in build_parser(commands=True).format_help()
    assert "history" not in build_parser(commands=False).format_help()


def test_opening_the_window_does_not_import_the_command_line():
    code = ("import sys; from spectrum_desktop.app import build_parser, names_a_command; "
            "build_parser(commands=names_a_command([])).parse_args([]); "
            "print(sorted(m for m in sys.modules if m.startswith('spectrum_desktop.cli.')))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "[]"


def test_help_lists_the_commands_and_the_version_is_the_package_s(tmp_path):
    helped = run_cli(tmp_path, "--help")
    assert helped.returncode == 0
    for command in ("validate", "send", "history", "resend", "sandbox"):
        assert command in helped.stdout
    versioned = run_cli(tmp_path, "--version")
    assert versioned.returncode == 0 and versioned.stdout.strip() == f"spectrum-desktop {__version__}"
    wrong = run_cli(tmp_path, "sned")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr
