"""The server as its own process: SIGKILL mid-game, SIGTERM, the CLI, /healthz."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from game.netclient import NetClient

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

LAUNCHER = """
import sys
sys.path.insert(0, {here!r})
from dataclasses import replace
from conftest import test_config
from server.app import serve_forever
serve_forever(replace(test_config(sync="full"), port=0, db_path={db!r}))
"""

pytestmark = pytest.mark.slow


def launch(args: list[str]) -> tuple[subprocess.Popen[str], str]:
    """Start a server process; return it and its URL (read from its first line)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "listening on" in line, f"unexpected first line {line!r}"
    return proc, line.split("listening on ")[1].split()[0]


def launch_test_server(db: Path) -> tuple[subprocess.Popen[str], str]:
    return launch([sys.executable, "-c", LAUNCHER.format(here=str(HERE), db=str(db))])


def essentials(view: dict) -> dict:
    return {"phase": view["phase"], "lit": view["lit"], "open_tiers": view["open_tiers"],
            "tiers": view["tiers"], "bulbs": [s["bulbs"] for s in view["seats"]],
            "turns_done": view["turns_done"], "speaker": view["speaker"],
            "card": view["card"]["id"] if view["card"] else None,
            "turn_bulbs": view["turn"]["bulbs"] if view["turn"] else None}


def test_sigkill_mid_game_loses_no_bulb(tmp_path, play):
    db = tmp_path / "crash.db"
    proc, url = launch_test_server(db)
    try:
        with NetClient(url) as a, NetClient(url) as b:
            a.hello()
            b.hello()
            code = a.create_room("test", "Ana", seats=2)["code"]
            b.join(code, "Ben")
            a.start()
            seats = {0: a, 1: b}
            for s, c in seats.items():
                c.wait_view(s)
            play(seats, until=lambda v: v["lit"] >= 6 and v["phase"] == "acknowledge")
            before = essentials(a.views[0])
            tokens = (a.tokens[0], b.tokens[1])
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            with pytest.raises(ConnectionClosed):
                a.recv(timeout=5)
                a.recv(timeout=5)
    finally:
        proc.kill()
        proc.wait(10)
    proc, url = launch_test_server(db)
    try:
        with NetClient(url) as a, NetClient(url) as b:
            a.hello()
            b.hello()
            a.rejoin(code, tokens[0])
            b.rejoin(code, tokens[1])
            view = b.wait_for(lambda m: m["type"] == "view" and m["seat"] == 1 and
                              not any(s["away"] for s in m["view"]["seats"]))["view"]
            assert essentials(view) == before
            a.wait_for(lambda m: m["type"] == "view" and
                       m["view"]["version"] == view["version"])
            assert play({0: a, 1: b})["phase"] == "ended"
    finally:
        proc.terminate()
        proc.wait(10)


def test_cli_serves_healthz_and_stops_gracefully_on_sigterm(tmp_path):
    proc, url = launch([sys.executable, "-m", "server", "--port", "0",
                        "--db", str(tmp_path / "cli.db")])
    try:
        port = int(url.rsplit(":", 1)[1])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as reply:
            assert reply.status == 200
            health = json.loads(reply.read())
        assert health["status"] == "ok" and health["rooms"] == 0
        with NetClient(url) as a:
            a.hello()
            proc.send_signal(signal.SIGTERM)
            with pytest.raises(ConnectionClosed) as closed:
                a.recv(timeout=10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
        assert proc.wait(10) == 0
    finally:
        proc.kill()
        proc.wait(10)
