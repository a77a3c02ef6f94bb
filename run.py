#!/usr/bin/env python3
"""Set up Heartlight in its own virtual environment, then play or test.

    python3 run.py            # set up (first time only) and start the game
    python3 run.py test       # set up (first time only) and run every test
    python3 run.py -- ARGS    # pass ARGS to the `heartlight` command

The environment lives in `.venv/` beside this file, so nothing is installed
into the system Python (which many systems refuse, PEP 668). It is rebuilt
only when `pyproject.toml` changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _fingerprint(extras: str) -> str:
    data = (ROOT / "pyproject.toml").read_bytes() + extras.encode()
    return hashlib.sha256(data).hexdigest()


def ensure_environment(extras: str) -> None:
    """Create `.venv` and install the project (editable) with `extras`."""
    stamp = VENV / f".heartlight-{extras or 'play'}"
    wanted = _fingerprint(extras)
    if PYTHON.exists() and stamp.exists() and stamp.read_text() == wanted:
        return
    if not PYTHON.exists():
        print("Heartlight: creating its own Python environment in .venv/ ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    print("Heartlight: installing what it needs (first run takes a minute) ...", flush=True)
    target = f".[{extras}]" if extras else "."
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check",
         "-e", target],
        cwd=ROOT, check=True,
    )
    stamp.write_text(wanted)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        print(f"Heartlight needs Python 3.11 or newer; this is {sys.version.split()[0]}.\n"
              "Install a newer Python from python.org and run this again with it.")
        return 2
    if argv[:1] == ["test"]:
        ensure_environment("test")
        env = dict(os.environ)
        env.setdefault("SDL_VIDEODRIVER", "dummy")
        env.setdefault("SDL_AUDIODRIVER", "dummy")
        return subprocess.call([str(PYTHON), "-m", "pytest", *argv[1:]], cwd=ROOT, env=env)
    ensure_environment("")
    args = argv[1:] if argv[:1] == ["--"] else argv
    return subprocess.call([str(PYTHON), "-m", "game", *args], cwd=ROOT)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as exc:
        print(f"Heartlight: setup failed ({exc}). Check your internet connection and try again.")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
