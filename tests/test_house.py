"""The house rules a newcomer relies on: the pre-commit hooks run the same checks as `make check`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_pre_commit_config_is_valid_and_runs_the_make_check_tools() -> None:
    config = ROOT / ".pre-commit-config.yaml"
    validated = subprocess.run(
        [str(Path(sys.executable).parent / "pre-commit"), "validate-config", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    hooks = yaml.safe_load(config.read_text())["repos"][0]["hooks"]
    entries = {hook["id"]: hook["entry"] for hook in hooks}
    make_check = (ROOT / "Makefile").read_text().split("\ncheck:")[1].split("\n\n")[0]
    assert "ruff check" in entries["ruff"] and "$(BIN)/ruff check ." in make_check
    assert "ruff format" in entries["ruff-format"] and "--check" in entries["ruff-format"]
    assert entries["mypy"].endswith("mypy") and "$(BIN)/mypy" in make_check
