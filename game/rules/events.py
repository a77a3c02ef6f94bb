"""What happened, as the engine tells it.

``apply`` returns events beside the new state. They are meant for everyone
at the table, so an event never names who did something private (a veto,
an ease back, a pause, a vote).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **self.data}


def event(kind: str, **data: Any) -> Event:
    return Event(kind, data)
