"""The `heartlight` command line: one entry point, each subcommand in its own module.

    heartlight                      open the game window (title screen)
    heartlight play --text          a table game in the terminal
    heartlight online URL --join C  an online room in the terminal
    heartlight decks list|check     the deck library and the validator
    heartlight server               run an online server
    heartlight demo --out DIR       play a scripted game headless, save screenshots

Each subcommand's module is imported only when it runs, so the terminal
tools never load pygame.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# subcommand -> module with `add_arguments(parser)` and `run(args) -> int`
SUBCOMMANDS = {
    "play": ("game.textmode", "play a game (--text: in this terminal)"),
    "online": ("game.textnet", "play an online room in this terminal"),
    "decks": ("game.decks_cli", "list the decks or check deck files"),
    "server": ("server.cli", "run an online Heartlight server"),
    "demo": ("game.client.demo", "play a scripted game headless and save screenshots"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="heartlight",
        description="Heartlight: a conversation card game. With no command, opens the game.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        child = sub.add_parser(name, help=help_text, description=help_text)
        child.set_defaults(_module=module_name)
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        module.add_arguments(child)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from game.client.app import main as open_window

        return open_window()
    module = importlib.import_module(args._module)
    return int(module.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
