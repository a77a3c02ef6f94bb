"""The built wheel carries the bundled decks: install it in a fresh venv and load one."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from game.decks import get_deck

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
from game.decks import bundled_decks_dir, get_deck, list_decks
deck = get_deck("couples")
print(len(deck.cards))
print(sorted(info.id for info in list_decks()))
print(bundled_decks_dir())
"""


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_an_installed_wheel_loads_a_bundled_deck(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "build", "--wheel", "--outdir", dist, ROOT, cwd=tmp_path)
    wheel = next(dist.glob("heartlight-*.whl"))

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
        "--disable-pip-version-check", "--no-deps", wheel, "platformdirs", cwd=tmp_path)

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    count, ids, folder = run(python, "-c", SCRIPT, cwd=outside, env=env).splitlines()

    assert int(count) == len(get_deck("couples").cards) >= 150
    assert ids == str(sorted(["couples", "first-meetings", "friends", "long-distance"]))
    installed = Path(folder)
    assert installed.is_relative_to(env_dir.resolve()) or installed.is_relative_to(env_dir)
    assert installed.parts[-3:] == ("game", "_data", "decks")
