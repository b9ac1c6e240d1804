"""The browser tests' live server closes what it serves, even when the browser hangs up.

Chromium drops connections it no longer needs (a page left mid-load, a cached script). When that
happens while werkzeug drains the request socket, werkzeug never closes the response; a static file
then stays open until the garbage collector finds it, and `filterwarnings = error` fails whichever
browser test is running at that moment. This test hangs up on the server as rudely as a browser can
(a reset, after sending part of a body) and counts the files left open.
"""

from __future__ import annotations

import gc
import socket
import struct
import time
import warnings

import pytest
from flask import Flask

from tests.browser.conftest import CONTENT_DIR, LiveServer

STATIC = CONTENT_DIR.parent / "leaders" / "static"


@pytest.fixture(autouse=True)
def _no_server_errors() -> None:
    """This module runs its own server (the test checks its problems), not the demo world's."""


def _hang_up_mid_request(port: int, wait: float) -> None:
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(
        b"GET /static/icon.svg HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n"
        + b"part of a body"
    )
    time.sleep(wait)
    # Linger 0: close sends a reset rather than a polite FIN.
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


def test_a_reset_connection_leaves_no_static_file_open() -> None:
    app = Flask("live_server_probe", static_folder=str(STATIC))
    server = LiveServer(app)
    server.start()
    port = server._server.server_port
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for wait in (0.0, 0.001, 0.01, 0.05) * 3:
                _hang_up_mid_request(port, wait)
            time.sleep(0.3)  # let the server's threads finish with the sockets
            gc.collect()
    finally:
        server.stop()

    unclosed = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert unclosed == []
    assert server.take_problems() == []
