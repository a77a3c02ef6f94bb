"""How long loading every bundled deck takes (target: under 50 ms).

    python bench/decks_bench.py [--runs 30]

"Loading" is what the game does the first time it needs the decks: read each
file, parse the TOML, run every check, and build the engine's ``Deck``. The
first run in the process is reported on its own (cold caches); then the
median and spread of further runs, each bypassing the library's cache; then
a cached ``list_decks()`` call, which is what later look-ups cost.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.decks import bundled_decks_dir, check_path, list_decks  # noqa: E402

TARGET_MS = 50.0


def load_all(paths: list[Path]) -> int:
    cards = 0
    for path in paths:
        result = check_path(path)
        if result.deck is None or result.problems:
            raise SystemExit(f"{path} is not clean:\n" + "\n".join(map(str, result.problems)))
        cards += len(result.deck.cards)
    return cards


def timed(function: object, *args: object) -> tuple[float, object]:
    start = time.perf_counter()
    value = function(*args)  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    paths = sorted(bundled_decks_dir().glob("*.toml"))
    first_ms, cards = timed(load_all, paths)
    runs = [timed(load_all, paths)[0] for _ in range(args.runs)]
    list_decks()  # fill the cache
    cached = [timed(list_decks)[0] for _ in range(args.runs)]

    median = statistics.median(runs)
    print(f"bundled decks: {len(paths)} files, {cards} cards, "
          f"{sum(p.stat().st_size for p in paths) // 1024} KiB")
    print(f"first load (cold):       {first_ms:6.1f} ms")
    print(f"load all, median of {args.runs}: {median:6.1f} ms "
          f"(min {min(runs):.1f}, max {max(runs):.1f})")
    print(f"list_decks() cached:     {statistics.median(cached):6.2f} ms")
    verdict = "within" if median < TARGET_MS else "OVER"
    print(f"target < {TARGET_MS:.0f} ms: {verdict}")
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
