"""Every reliability campaign, one after the other, each printing its figures.

    .venv/bin/python bench/reliability.py --full     # the published figures (~20 min)
    .venv/bin/python bench/reliability.py            # a quick pass (~2 min)

Each campaign is its own script in bench/ and can be run alone with more
options (``--help``). The exit code is non-zero if any campaign failed its
checks (an acknowledged action lost, a seat not back, a server crash...).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

FULL = [
    ["crash_campaign.py"],                                  # 20 kills, 50 rooms
    ["hostile_campaign.py"],                                # 1,000,000 frames
    ["reconnect_storm.py"],                                 # 1,000 rooms x 4 seats
    ["disk_full.py"],                                       # full and read-only
    ["scale_curve.py"],                                     # 100, 1,000, 3,000 rooms
]

QUICK = [
    ["crash_campaign.py", "--kills", "3", "--rooms", "6"],
    ["hostile_campaign.py", "--frames", "20000"],
    ["reconnect_storm.py", "--rooms", "100", "--window", "2"],
    ["disk_full.py", "--rooms", "3", "--attempts", "5"],
    ["scale_curve.py", "--rooms", "20", "100", "--seconds", "5",
     "--plot", "/tmp/heartlight-scale-curve.png"],
]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--full", action="store_true", help="the full campaigns")
    args = p.parse_args()
    failed = []
    for command in FULL if args.full else QUICK:
        print(f"\n=== {' '.join(command)}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / command[0]), *command[1:]])
        print(f"=== exit {code} after {time.perf_counter() - started:.0f} s", flush=True)
        if code:
            failed.append(command[0])
    print(f"\n{'all campaigns passed' if not failed else 'FAILED: ' + ', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
