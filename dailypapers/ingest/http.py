"""A polite HTTP client for arXiv: one connection, spaced requests, retries.

arXiv asks harvesters for one connection and at least three seconds between
requests, and answers overload with 503 and a ``Retry-After``. Network
trouble (timeouts, dropped connections) and bodies that turn out to be
truncated are retried with exponential backoff; client errors are not.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx

from dailypapers import __version__
from dailypapers.ingest.errors import FetchError, MalformedResponse

log = logging.getLogger(__name__)
T = TypeVar("T")
_RETRY_STATUS = {429, 500, 502, 503, 504}


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


class PoliteClient:
    def __init__(
        self,
        *,
        min_interval: float = 3.0,
        timeout: float = 60.0,
        retries: int = 5,
        backoff: float = 5.0,
        max_wait: float = 600.0,
        contact: str = "",
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        agent = f"dailypapers/{__version__} (self-hosted Daily Papers{'; mailto:' + contact if contact else ''})"
        self._http = httpx.Client(
            timeout=timeout,
            headers={"User-Agent": agent},
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            follow_redirects=True,
            transport=transport,
        )
        self.min_interval = min_interval
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self._sleep = sleep
        self._lock = threading.Lock()
        self._last_start: float | None = None
        self.waits: list[float] = []  # every pause taken, for logs and tests

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self.waits.append(seconds)
            self._sleep(seconds)

    def _take_turn(self) -> None:
        if self._last_start is not None:
            self._pause(self._last_start + self.min_interval - time.monotonic())
        self._last_start = time.monotonic()

    def fetch(self, url: str, params: dict[str, str], parse: Callable[[bytes], T]) -> T:
        """GET ``url`` and ``parse`` its body, retrying what may succeed on a second try."""
        with self._lock:
            for attempt in range(self.retries + 1):
                self._take_turn()
                delay = self.backoff * 2**attempt
                try:
                    response = self._http.get(url, params=params)
                except httpx.TransportError as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                else:
                    status = response.status_code
                    if status in _RETRY_STATUS:
                        problem = f"HTTP {status}"
                        delay = _retry_after(response) or delay
                    elif status >= 400:
                        raise FetchError(
                            f"HTTP {status} from {response.url}: {response.text[:200]!r}"
                        )
                    else:
                        try:
                            return parse(response.content)
                        except MalformedResponse as exc:
                            problem = str(exc)
                if attempt == self.retries:
                    raise FetchError(f"giving up on {url} after {attempt + 1} attempts: {problem}")
                wait = min(delay, self.max_wait)
                log.info("%s %s: %s; retrying in %.0f s", url, params, problem, wait)
                self._pause(wait)
        raise AssertionError("unreachable")
