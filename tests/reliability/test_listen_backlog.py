"""After a network blip every client reconnects at once. The kernel must hold
those connections until the server gets to them: with asyncio's default
backlog (100) the rest had their SYNs dropped and waited 1-7 s in TCP
retries (the reconnect storm found it: median seat back 7 s, not 2)."""

from __future__ import annotations

import socket
import time

from server.app import ServerHandle


def test_hundreds_of_connections_wait_in_the_backlog_while_the_server_is_busy(
        server: ServerHandle) -> None:
    loop = server._loop
    assert loop is not None
    # the server's event loop is busy for a moment and accepts nothing
    loop.call_soon_threadsafe(time.sleep, 1.5)
    time.sleep(0.1)
    held: list[socket.socket] = []
    try:
        for _ in range(400):
            # completes in the kernel only if the backlog has room
            held.append(socket.create_connection(("127.0.0.1", server.port), timeout=0.5))
        assert len(held) == 400
    finally:
        for sock in held:
            sock.close()
