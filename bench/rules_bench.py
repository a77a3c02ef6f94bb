"""Rules engine benchmark: `python bench/rules_bench.py`.

Prints the median and p99 of one `apply` over long random games, the time
for a 200-turn random 4-seat game (turns played by a kind table, as in the
golden games), and the median of `view_for`. Targets on the project's
2-core machine: apply median < 20 µs; a 200-turn game < 50 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "rules" / "golden")]

from record import kind_move  # noqa: E402
from rulekit import make_deck  # noqa: E402

from game.rules import (  # noqa: E402
    WILD_KINDS,
    EaseBack,
    LastLightVote,
    Leave,
    Pause,
    Phase,
    ProposeLastLight,
    Settings,
    apply,
    legal_actions,
    new_game,
    view_for,
)

RARE = (Leave, ProposeLastLight, Pause, EaseBack, LastLightVote)


def random_log(seed: int, seats: int, length: int, deck):
    """A long random legal game, as (state before, seat, action) triples."""
    rng = random.Random(seed)
    state = new_game(deck, Settings(names=tuple(f"S{i}" for i in range(seats))), seed)
    out = []
    while len(out) < length and state.phase is not Phase.ENDED:
        seat = rng.randrange(seats)
        legal = [a for a in legal_actions(state, seat) if not isinstance(a, RARE)]
        if not legal:
            continue
        action = rng.choice(legal)
        out.append((state, seat, action))
        state, _ = apply(state, seat, action)
    return out


def kind_game(seed: int, turns: int, deck, settings):
    """The (seat, action) log of a game played by a kind table for ``turns`` turns."""
    state = new_game(deck, settings, seed)
    log = []
    while state.turns_done < turns and state.phase not in (Phase.CLOSING, Phase.ENDED):
        seat, action = kind_move(state)
        state, _ = apply(state, seat, action)
        log.append((seat, action))
    return log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--games", type=int, default=20)
    args = parser.parse_args()
    deck = make_deck(per_tier=80, unlock=(0, 2, 4), wild=WILD_KINDS)

    samples = []
    view_samples = []
    for g in range(args.games):
        for state, seat, action in random_log(g, 4, 600, deck):
            t0 = time.perf_counter_ns()
            apply(state, seat, action)
            samples.append(time.perf_counter_ns() - t0)
            if len(view_samples) < 5000:
                t0 = time.perf_counter_ns()
                view_for(state, seat)
                view_samples.append(time.perf_counter_ns() - t0)
    samples.sort()
    med = statistics.median(samples) / 1000
    p99 = samples[int(len(samples) * 0.99)] / 1000
    print(f"apply: {len(samples)} calls, median {med:.1f} µs, p99 {p99:.1f} µs (target median < 20 µs)")

    # the engine's cost of a whole game: new_game plus every apply of its log
    big = make_deck(per_tier=400, unlock=(0, 2, 4), wild=WILD_KINDS)
    settings = Settings(names=("A", "B", "C", "D"))
    times = []
    for g in range(args.games):
        log = kind_game(g, 200, big, settings)
        t0 = time.perf_counter()
        state = new_game(big, settings, g)
        for seat, action in log:
            state, _ = apply(state, seat, action)
        times.append(time.perf_counter() - t0)
    print(f"200-turn 4-seat game: {len(log)} actions, median {statistics.median(times)*1000:.1f} ms, "
          f"max {max(times)*1000:.1f} ms (target < 50 ms); reached {state.turns_done} turns")
    print(f"view_for: median {statistics.median(view_samples)/1000:.1f} µs "
          f"(includes the seat's legal actions)")


if __name__ == "__main__":
    main()
