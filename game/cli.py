"""The `heartlight` command line."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="heartlight")
    parser.parse_args(argv)
    print("Heartlight")
    return 0


if __name__ == "__main__":
    sys.exit(main())
