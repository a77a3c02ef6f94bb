"""Scale curve: the server benchmark at 100, 1,000 and 3,000 rooms x 4 seats,
each beside a bare websockets relay in the same run, and a plot of it.

    .venv/bin/python bench/scale_curve.py                      # 100, 1000, 3000
    .venv/bin/python bench/scale_curve.py --rooms 50 200 --seconds 5 --plot /tmp/c.png

Each point is ``bench/server_bench.py``'s game benchmark (its bots, its
relay, its measures): N rooms of four bot seats, every room acting
``--rate-per-room`` times a second, latency from sending an action until
all four seats received the result, first against the Heartlight server
(rules, durable SQLite append with synchronous=FULL, a view per seat) and
then against a relay that only forwards each frame to the room's three
other connections. Printed per point: p50/p99 of both and their ratio,
actions/s, RSS per connection, server CPU. The plot (PNG, drawn with
pygame under the dummy video driver) shows p50 and p99 against rooms for
both servers on log-log axes.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import server_bench  # noqa: E402
from botkit import ROOT, machine, raise_fd_limit  # noqa: E402


async def measure(rooms: list[int], *, seconds: float, rate: float, deck: str, sync: str,
                  report: bool = False) -> list[dict[str, Any]]:
    points = []
    for n in rooms:
        args = argparse.Namespace(rooms=n, seconds=seconds, rate_per_room=rate, deck=deck,
                                  sync=sync)
        with tempfile.TemporaryDirectory() as tmp:
            result = await server_bench.games(args, Path(tmp))
        point = {"rooms": n, **{f"{mode}_{k}": v for mode, d in result.items()
                                for k, v in d.items()}}
        points.append(point)
        if report:
            print_point(point, rate)
    return points


def print_point(p: dict[str, Any], rate: float) -> None:
    h = {k[len("heartlight_"):]: v for k, v in p.items() if k.startswith("heartlight_")}
    r = {k[len("relay_"):]: v for k, v in p.items() if k.startswith("relay_")}
    print(f"\n{p['rooms']} rooms x 4 seats, offered {p['rooms'] * rate:g} actions/s")
    for name, d in (("heartlight", h), ("relay", r)):
        print(f"  {name:10} p50 {d['p50_ms']:8.2f} ms  p99 {d['p99_ms']:8.2f} ms  "
              f"{d['actions_per_s']:6.0f} actions/s  server CPU {d['cpu_percent']:4.0f}%  "
              f"RSS/conn {d['rss_per_conn_kib']:5.1f} KiB  errors {d['errors']}  "
              f"(bots' CPU {d['client_cpu_percent']:.0f}%)")
    print(f"  ratio heartlight/relay: p50 {h['p50_ms'] / r['p50_ms']:.2f}, "
          f"p99 {h['p99_ms'] / r['p99_ms']:.2f}", flush=True)


# -- the plot -------------------------------------------------------------------


def plot(points: list[dict[str, Any]], path: Path, *, title: str) -> None:
    """Latency against rooms, log-log, for both servers (p50 solid, p99 dashed)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    import pygame

    pygame.init()
    width, height = 960, 600
    left, right, top, bottom = 110, 40, 70, 90
    surface = pygame.Surface((width, height))
    surface.fill((252, 250, 246))
    font = pygame.font.Font(None, 26)
    small = pygame.font.Font(None, 22)
    big = pygame.font.Font(None, 32)
    ink, grid = (40, 40, 48), (220, 216, 208)

    rooms = [p["rooms"] for p in points]
    values = [p[f"{m}_{q}_ms"] for p in points for m in ("heartlight", "relay")
              for q in ("p50", "p99")]
    x0, x1 = math.log10(min(rooms)) - 0.15, math.log10(max(rooms)) + 0.15
    y0 = math.floor(math.log10(max(min(values), 0.01)))
    y1 = math.ceil(math.log10(max(values)))
    if y1 == y0:
        y1 += 1

    def at(n: float, ms: float) -> tuple[int, int]:
        fx = (math.log10(n) - x0) / (x1 - x0)
        fy = (math.log10(max(ms, 10**y0)) - y0) / (y1 - y0)
        return (int(left + fx * (width - left - right)),
                int(height - bottom - fy * (height - top - bottom)))

    for e in range(y0, y1 + 1):
        for m in (1, 2, 5):
            v = m * 10**e
            if v > 10**y1:
                continue
            _, y = at(rooms[0], v)
            pygame.draw.line(surface, grid, (left, y), (width - right, y), 1)
            if m == 1 or (y1 - y0) <= 2:
                label = small.render(f"{v:g} ms", True, ink)
                surface.blit(label, (left - label.get_width() - 8, y - label.get_height() // 2))
    for n in rooms:
        x, _ = at(n, 10**y0)
        pygame.draw.line(surface, grid, (x, top), (x, height - bottom), 1)
        label = font.render(f"{n:,}", True, ink)
        surface.blit(label, (x - label.get_width() // 2, height - bottom + 8))
    pygame.draw.rect(surface, ink, (left, top, width - left - right, height - top - bottom), 1)
    xlabel = font.render("rooms x 4 seats (log scale)", True, ink)
    surface.blit(xlabel, ((width - xlabel.get_width()) // 2, height - bottom + 40))
    ylabel = pygame.transform.rotate(font.render("latency, action to all 4 seats (log)",
                                                 True, ink), 90)
    surface.blit(ylabel, (18, top + (height - top - bottom - ylabel.get_height()) // 2))
    heading = big.render(title, True, ink)
    surface.blit(heading, ((width - heading.get_width()) // 2, 22))

    series = [("heartlight", "p50", (200, 90, 40), False), ("heartlight", "p99", (200, 90, 40), True),
              ("relay", "p50", (50, 110, 170), False), ("relay", "p99", (50, 110, 170), True)]
    for mode, q, colour, dashed in series:
        pts = [at(p["rooms"], p[f"{mode}_{q}_ms"]) for p in points]
        for a, b in zip(pts, pts[1:], strict=False):
            if dashed:
                steps = max(1, int(math.dist(a, b) // 12))
                for i in range(0, steps, 2):
                    dash_from = (a[0] + (b[0] - a[0]) * i / steps,
                                 a[1] + (b[1] - a[1]) * i / steps)
                    dash_to = (a[0] + (b[0] - a[0]) * (i + 1) / steps,
                               a[1] + (b[1] - a[1]) * (i + 1) / steps)
                    pygame.draw.line(surface, colour, dash_from, dash_to, 3)
            else:
                pygame.draw.line(surface, colour, a, b, 3)
        for pt in pts:
            pygame.draw.circle(surface, colour, pt, 6 if not dashed else 5,
                               0 if not dashed else 2)
    legend = [("Heartlight p50", (200, 90, 40), False), ("Heartlight p99", (200, 90, 40), True),
              ("relay p50", (50, 110, 170), False), ("relay p99", (50, 110, 170), True)]
    lx, ly = left + 16, top + 12
    for text, colour, dashed in legend:
        if dashed:
            for i in range(0, 36, 12):
                pygame.draw.line(surface, colour, (lx + i, ly + 9), (lx + i + 6, ly + 9), 3)
        else:
            pygame.draw.line(surface, colour, (lx, ly + 9), (lx + 36, ly + 9), 3)
        surface.blit(small.render(text, True, ink), (lx + 44, ly + 1))
        ly += 24
    path.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(surface, str(path))
    pygame.quit()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rooms", type=int, nargs="+", default=[100, 1000, 3000])
    p.add_argument("--rate-per-room", type=float, default=1.0, help="actions/s per room")
    p.add_argument("--seconds", type=float, default=20.0, help="how long to drive each point")
    p.add_argument("--deck", default="friends")
    p.add_argument("--sync", choices=("full", "normal"), default="full")
    p.add_argument("--plot", type=Path, default=ROOT / "docs" / "scale_curve.png")
    args = p.parse_args()
    raise_fd_limit()
    print(f"machine: {machine()}")
    print(f"command: {' '.join(sys.argv)}", flush=True)
    points = asyncio.run(measure(args.rooms, seconds=args.seconds, rate=args.rate_per_room,
                                 deck=args.deck, sync=args.sync, report=True))
    plot(points, args.plot, title=f"Latency against rooms, {args.rate_per_room:g} action/s "
         f"per room, sync={args.sync}")
    print(f"\nplot: {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
