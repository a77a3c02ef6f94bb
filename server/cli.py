"""``heartlight server``: run an online server from the command line.

Module-level imports stay light (the ``heartlight`` parser imports this
module to build its help); websockets and the server load inside ``run``.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (0.0.0.0 for every interface; "
                             "default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765,
                        help="TCP port (0 picks a free one and prints it; default 8765)")
    parser.add_argument("--db", default=None, metavar="PATH",
                        help="SQLite database of rooms and action logs (default: "
                             "server.db in the user data folder)")
    parser.add_argument("--redis", default=None, metavar="URL",
                        help="share rooms with other server processes through this Redis "
                             "(redis://host:6379/0) instead of --db; see docs/scaling.md")
    parser.add_argument("--certfile", default=None, metavar="PEM",
                        help="TLS certificate chain: serve wss:// instead of ws://")
    parser.add_argument("--keyfile", default=None, metavar="PEM",
                        help="private key of --certfile (if not inside it)")
    limits = parser.add_argument_group("limits")
    limits.add_argument("--max-frame", type=int, default=16 * 1024, metavar="BYTES",
                        help="largest message accepted (default 16384)")
    limits.add_argument("--rate", type=float, default=20.0, metavar="N",
                        help="messages per second per connection (default 20)")
    limits.add_argument("--burst", type=int, default=40, metavar="N",
                        help="messages a connection may send at once above --rate "
                             "(default 40)")
    limits.add_argument("--joins-per-minute", type=int, default=30, metavar="N",
                        help="room creations/joins/rejoins per minute per address "
                             "(default 30)")
    limits.add_argument("--max-rooms", type=int, default=10_000, metavar="N",
                        help="rooms this server holds at once (default 10000)")
    limits.add_argument("--max-seats", type=int, default=8, metavar="N",
                        help="most seats a room may have, 2..8 (default 8)")
    limits.add_argument("--room-ttl", type=float, default=24 * 3600.0, metavar="SECONDS",
                        help="delete a room idle this long with nobody in it "
                             "(default 86400)")
    limits.add_argument("--away-skip-after", type=float, default=60.0, metavar="SECONDS",
                        help="the others may skip an away speaker's turn after this long "
                             "(default 60)")
    limits.add_argument("--pause-timeout", type=float, default=600.0, metavar="SECONDS",
                        help="anyone may lift a pause after it lasted this long "
                             "(default 600)")
    parser.add_argument("--sync", choices=("full", "normal"), default="full",
                        help="SQLite durability: full survives power loss (default), "
                             "normal only a crash")
    parser.add_argument("--log-level", default="info",
                        choices=("debug", "info", "warning", "error"),
                        help="log lines (JSON, on stderr) at this level and above")


def default_db_path() -> str:
    from platformdirs import PlatformDirs

    return str(PlatformDirs("heartlight", appauthor=False).user_data_path / "server.db")


def run(args: argparse.Namespace) -> int:
    import sys

    if args.keyfile and not args.certfile:
        print("heartlight server: --keyfile needs --certfile.", file=sys.stderr)
        return 2
    if not 2 <= args.max_seats <= 8:
        print("heartlight server: --max-seats must be 2 to 8.", file=sys.stderr)
        return 2

    from . import logs
    from .app import serve_forever
    from .config import ServerConfig
    from .redis_store import StoreUnavailable

    logs.configure(args.log_level)
    config = ServerConfig(
        host=args.host, port=args.port, db_path=args.db or default_db_path(),
        redis_url=args.redis,
        certfile=args.certfile, keyfile=args.keyfile, max_frame=args.max_frame,
        messages_per_second=args.rate, burst=args.burst,
        joins_per_minute=args.joins_per_minute, max_rooms=args.max_rooms,
        max_seats=args.max_seats, room_ttl_s=args.room_ttl,
        away_skip_after_s=args.away_skip_after, pause_timeout_s=args.pause_timeout,
        sync=args.sync, tune_gc=True,
    )
    try:
        return serve_forever(config)
    except StoreUnavailable as exc:
        print(f"heartlight server: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"heartlight server: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}."
              " Pick another --port or stop what uses it.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
