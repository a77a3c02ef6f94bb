"""wss:// with a certificate made in the test (trustme)."""

from __future__ import annotations

import ssl

import pytest
import trustme
from websockets.exceptions import InvalidURI

from game.netclient import NetClient


def test_a_game_over_tls_with_a_self_signed_certificate(make_server, tmp_path, play):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(certfile))
    cert.private_key_pem.write_to_path(str(keyfile))
    srv = make_server(certfile=certfile, keyfile=keyfile)
    assert srv.url.startswith("wss://")
    trusted = ssl.create_default_context()
    ca.configure_trust(trusted)
    with NetClient(srv.url, ssl=trusted) as a, NetClient(srv.url, ssl=trusted) as b:
        a.hello()
        b.hello()
        code = a.create_room("test", "Ana")["code"]
        b.join(code, "Ben")
        a.start()
        b.wait_view(1)
        assert play({0: a, 1: b})["phase"] == "ended"
    # a client that does not trust the certificate cannot connect
    with pytest.raises((ssl.SSLError, OSError, InvalidURI)):
        with NetClient(srv.url, ssl=ssl.create_default_context()) as c:
            c.hello()
