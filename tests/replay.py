"""A local HTTP server that replays recorded responses, for arXiv client tests.

Routes match a path and query parameters. Each route holds a sequence of
replies, taken one per request (the last repeats), so a test can script
"503 with Retry-After, then the page". A reply can be delayed, or cut off
after some bytes of its body to drop the connection mid-response. Every
request is logged with its arrival time.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/xml"})
    delay: float = 0.0
    # Send only this many bytes of the body, then close the connection.
    drop_after: int | None = None


@dataclass
class Request:
    at: float
    path: str
    query: dict[str, str]


# A query value that matches whatever the client sends (a date computed at run time).
ANY = object()


def _key(path: str, query: Mapping[str, object]) -> tuple[str, frozenset]:
    return path, frozenset(query.items())


def _matches(key: tuple[str, frozenset], path: str, query: dict[str, str]) -> bool:
    route_path, items = key
    wanted = dict(items)
    return (
        route_path == path
        and wanted.keys() == query.keys()
        and all(value is ANY or query[name] == value for name, value in wanted.items())
    )


class ReplayServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, frozenset], list[Reply]] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                reply = server._take(parts.path, query)
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if reply.drop_after is not None:
                    self.wfile.write(reply.body[: reply.drop_after])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                self.wfile.write(reply.body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A reply still sleeping (a request the test abandoned) must not hold up shutdown.
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, path: str, query: Mapping[str, str], *replies: Reply) -> None:
        self.routes[_key(path, query)] = list(replies)

    def _take(self, path: str, query: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append(Request(time.monotonic(), path, query))
            replies = self.routes.get(_key(path, query)) or next(
                (r for k, r in self.routes.items() if _matches(k, path, query)), None
            )
            if not replies:
                return Reply(b"no recorded response for this request", status=404)
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
