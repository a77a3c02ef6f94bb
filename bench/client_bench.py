"""Client benchmark: start-up time, idle CPU on the table, frame rates while bulbs glow.

    .venv/bin/python bench/client_bench.py [--idle-seconds 10] [--fps-seconds 3]

Each figure is measured in a fresh child process (so start-up really starts
from nothing). Without a display the SDL dummy video driver is used; under
a real display or Xvfb the figures include sending frames to the X server,
which costs more per frame (see ECOSYSTEM.md). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r'''
import json, os, resource, sys, threading, time
T0 = float(sys.argv[2])
mode = sys.argv[1]
seconds = float(sys.argv[3])
import pygame
from game.client import app as app_module
from game.client.app import App
from game.client.config import UserSettings
from game.client.driver import Driver

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

app = App((1280, 720), user=UserSettings(), sound=False)
app.step()
first_frame = time.time() - T0
if mode == "startup":
    print(json.dumps({"first_frame_s": first_frame}))
    sys.exit(0)
d = Driver(app)
d.click("Play here")
d.click("start")
d.frames(5)
if mode == "idle":
    threading.Timer(seconds, lambda: pygame.event.post(pygame.event.Event(pygame.QUIT))).start()
    c0, w0, f0 = cpu(), time.time(), app.frames
    app.run()
    print(json.dumps({"cpu_percent": 100 * (cpu() - c0) / (time.time() - w0),
                      "frames": app.frames - f0, "seconds": time.time() - w0}))
    sys.exit(0)
# bulb animation: keep every bulb of a full lamp growing and glowing
from dataclasses import replace
from game.rules.state import Bulb
session = app.scene.session
state = session.state
bulbs = tuple(Bulb(to=i % 2, by=(i + 1) % 2, reason="heard", card="x", turn=0) for i in range(30))
session.state = replace(state, bulbs=bulbs, version=state.version + 1)
app.scene.lamp.sync(session.view(0), animate=False)
if mode == "fps_uncapped":
    app_module.FPS_CAP = 0
lamp = app.scene.lamp
def keep_growing():
    for i in range(len(lamp.owners)):
        if i not in lamp.growing:
            lamp.growing[i] = (i * 0.03) % 0.8
orig_update = lamp.update
def update(dt):
    keep_growing()
    return orig_update(dt)
lamp.update = update
threading.Timer(seconds, lambda: pygame.event.post(pygame.event.Event(pygame.QUIT))).start()
c0, w0, f0 = cpu(), time.time(), app.frames
app.run()
wall = time.time() - w0
print(json.dumps({"fps": (app.frames - f0) / wall, "cpu_percent": 100 * (cpu() - c0) / wall}))
'''


def child(mode: str, seconds: float, env: dict[str, str]) -> dict[str, float]:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, mode, repr(t0), str(seconds)],
                         capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
    return json.loads(line)  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--fps-seconds", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=3, help="start-up runs (median)")
    args = parser.parse_args()
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["SDL_VIDEODRIVER"] = "dummy"
    env.setdefault("SDL_AUDIODRIVER", "dummy")
    env["PYTHONPATH"] = str(ROOT)
    tmp = Path(tempfile.mkdtemp(prefix="heartlight-bench-"))
    env["XDG_CONFIG_HOME"] = str(tmp / "config")
    env["XDG_DATA_HOME"] = str(tmp / "data")
    driver = env.get("SDL_VIDEODRIVER", "x11 (DISPLAY=" + env.get("DISPLAY", "") + ")")

    starts = sorted(child("startup", 0, env)["first_frame_s"] for _ in range(args.runs))
    idle = child("idle", args.idle_seconds, env)
    capped = child("fps_capped", args.fps_seconds, env)
    uncapped = child("fps_uncapped", args.fps_seconds, env)
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, video driver: {driver}\n")
    print("| measure | result | target |")
    print("| --- | --- | --- |")
    print(f"| process start to first frame (median of {args.runs}) | "
          f"{starts[len(starts) // 2] * 1000:.0f} ms | |")
    print(f"| idle CPU on the table scene over {idle['seconds']:.0f} s | "
          f"{idle['cpu_percent']:.2f}% of a core ({idle['frames']} frames drawn) | < 2% |")
    print(f"| bulb animation, 1280×720, capped | {capped['fps']:.1f} fps "
          f"({capped['cpu_percent']:.0f}% of a core) | 60 |")
    print(f"| bulb animation, 1280×720, uncapped | {uncapped['fps']:.1f} fps | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
