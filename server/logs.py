"""Structured logs: one JSON line per event, never any typed text.

Callers pass only codes, seat numbers, action *types* and counts; nothing
here ever receives an action's fields, so an answer cannot reach a log.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

logger = logging.getLogger("heartlight.server")


def log(event: str, *, level: int = logging.INFO, **fields: Any) -> None:
    if logger.isEnabledFor(level):
        line = {"ts": round(time.time(), 3), "event": event, **fields}
        logger.log(level, json.dumps(line, separators=(",", ":"), default=str))


def configure(level: str = "info") -> None:
    """Send the server's log lines to stderr, one JSON object per line."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.handlers[:] = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False
