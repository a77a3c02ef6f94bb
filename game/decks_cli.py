"""`heartlight decks list` and `heartlight decks check FILE...`.

``check`` prints every problem as ``path:line: message (hint: ...)`` and
exits 1 if any file has an error (with ``--strict``, a warning too), else 0.
``list`` shows the bundled and custom decks and why any custom file was
refused (exit 1 if one was).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the CLI imports the deck code only when it runs
    from game.decks import Problem
    from game.rules.deck import Deck


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="decks_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="show the bundled and custom decks",
                             description="Show every deck Heartlight can load.")
    listing.add_argument("--paths", action="store_true", help="also show each deck's file")
    check = sub.add_parser("check", help="check deck files and report every problem",
                           description="Check deck files; report every problem with its "
                           "line and a hint. Exit status 1 if any file has an error.")
    check.add_argument("files", nargs="+", metavar="FILE",
                       help="a deck file (.toml), or a folder: every .toml file in it")
    check.add_argument("--strict", action="store_true",
                       help="treat warnings as errors for the exit status")
    check.add_argument("-q", "--quiet", action="store_true",
                       help="print only problems and the final count")


def run(args: argparse.Namespace) -> int:
    if args.decks_command == "check":
        return check(args.files, strict=args.strict, quiet=args.quiet)
    return show_list(paths=args.paths)


def check(files: list[str], *, strict: bool = False, quiet: bool = False,
          out: TextIO | None = None) -> int:
    from game.decks import Problem, check_path

    out = out or sys.stdout
    errors = warnings = 0
    owners: dict[str, str] = {}
    files = _expand(files)
    for name in files:
        result = check_path(name)
        problems = list(result.problems)
        deck = result.deck
        if deck is not None and deck.id in owners:
            problems.append(Problem(name, _id_line(name), "deck/duplicate-deck-id",
                                    f"deck id '{deck.id}' is also used by {owners[deck.id]}",
                                    "every deck needs its own id"))
            deck = None
        elif deck is not None:
            owners[deck.id] = name
        for problem in problems:
            print(problem, file=out)
        file_errors = sum(p.is_error for p in problems)
        errors += file_errors
        warnings += len(problems) - file_errors
        if not quiet:
            print(_file_summary(name, deck, problems), file=out)
    print(f"{_count(len(files), 'file')} checked: {_count(errors, 'error')}, "
          f"{_count(warnings, 'warning')}", file=out)
    return 1 if errors or (strict and warnings) else 0


def show_list(*, paths: bool = False, out: TextIO | None = None,
              err: TextIO | None = None) -> int:
    from game.decks import list_decks, user_decks_dir

    out = out or sys.stdout
    err = err or sys.stderr
    refused: list[Problem] = []
    decks = list_decks(refused)
    rows = [("ID", "NAME", "SEATS", "CARDS", "SOURCE")]
    for info in decks:
        per_tier = "/".join(str(count) for _, _, count in info.tiers)
        rows.append((info.id, info.name, f"{info.min_seats}-{info.max_seats}",
                     f"{info.card_count} ({per_tier})", "bundled" if info.bundled else "custom"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        if paths:
            line += "  " + ("FILE" if index == 0 else str(decks[index - 1].path))
        print(line.rstrip(), file=out)
    print(f"\nCards per tier are listed lightest first. Custom decks go in: {user_decks_dir()}",
          file=out)
    if refused:
        files = sorted({p.path for p in refused})
        print(f"\n{_count(len(files), 'deck file')} could not be loaded:", file=err)
        for problem in refused:
            print(f"  {problem}", file=err)
        return 1
    return 0


def _expand(names: list[str]) -> list[str]:
    """Files as given; a folder stands for the .toml files in it."""
    from pathlib import Path

    out: list[str] = []
    for name in names:
        folder = Path(name)
        out += sorted(str(p) for p in folder.glob("*.toml")) if folder.is_dir() else [name]
    return out


def _id_line(name: str) -> int:
    from game.decks.lines import LineMap

    try:
        with open(name, encoding="utf-8") as handle:
            return LineMap.scan(handle.read()).line_for(("id",))
    except (OSError, UnicodeDecodeError):
        return 1


def _file_summary(name: str, deck: Deck | None, problems: list[Problem]) -> str:
    if deck is not None:
        counts = {tier.id: 0 for tier in deck.tiers}
        for card in deck.cards:
            counts[card.tier] += 1
        tiers = ", ".join(f"{count} {tier}" for tier, count in counts.items())
        state = "ok" if not problems else "loads, with warnings"
        return f"{name}: {state}: '{deck.id}', {_count(len(deck.cards), 'card')} ({tiers})"
    return f"{name}: not loaded; fix the errors above"


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"
