"""An idle room must not hold on to the connections that last spoke to it.

The hostile campaign's memory grew with every wave; tracing it showed one
dead connection (its ``Client``, its websocket and buffers) kept alive per
room: the room's worker kept its last job, a closure over that connection,
while it waited for the next one.
"""

from __future__ import annotations

import gc
import time
import weakref

from game.netclient import NetClient
from server.app import ServerHandle


def test_a_room_forgets_the_connection_that_left_it(server: ServerHandle) -> None:
    with NetClient(server.url) as c:
        c.hello()
        c.create_room("test", "Ana", seats=2)
        (client,) = server.hub.clients
        gone = weakref.ref(client)
        room = client.room
        del client
    deadline = time.monotonic() + 5
    while (server.hub.clients or room.conns) and time.monotonic() < deadline:
        time.sleep(0.02)
    server._loop.call_soon_threadsafe(lambda: None)  # let the worker settle
    time.sleep(0.1)
    gc.collect()
    assert not room.conns and room.code in server.hub.rooms
    assert gone() is None
