"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives.

Tests parse the received bytes with Python's ``email`` package. Faults are
scripted: refuse the first N messages with a temporary (4xx) or permanent
(5xx) reply, or hold message number K without answering until the test
releases it (to kill a sender while its message is in flight).
"""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from tests.processes import free_port


@dataclass
class SmtpSink:
    refuse_first: int = 0
    refuse_code: str = "421 4.3.2 Try again later"
    permanent_for: set[str] = field(default_factory=set)
    hold_message: int | None = None  # 1-based number of the message to hold
    messages: list = field(default_factory=list)
    received_at: list[float] = field(default_factory=list)
    attempts: int = 0
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.attempts <= self.refuse_first:
            return self.refuse_code
        if set(envelope.rcpt_tos) & self.permanent_for:
            return "550 5.1.1 No such user"
        if self.hold_message is not None and len(self.messages) + 1 == self.hold_message:
            self.held.set()
            # The sender is killed meanwhile; this message is never acknowledged
            # and, like a real server would, the sink does not keep it.
            while not self.release.is_set():
                await _sleep(0.05)
            return "451 4.3.0 Aborted"
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        self.received_at.append(time.monotonic())
        return "250 2.0.0 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in str(m["To"])]

    def wait(self, count: int = 1, timeout: float = 10.0) -> list:
        """The messages, once at least ``count`` have arrived."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"{len(self.messages)} of {count} email(s) arrived"
            time.sleep(0.05)
        return self.messages


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


class SinkServer:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink
        self.port = free_port()
        self.controller = Controller(sink, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SinkServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.sink.release.set()
        self.controller.stop()

    def django_settings(self, settings) -> None:
        """The site's mail, through its outbox, delivered to this server."""
        settings.EMAIL_BACKEND = "dailypapers.mail.backend.OutboxBackend"
        settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = self.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 10

    @property
    def env(self) -> dict[str, str]:
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "0"}


def message_links(message) -> list[str]:
    """Every distinct link in a message's plain-text and HTML parts."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return sorted(set(re.findall(r"https?://[^\s\"<>]+", text + html)))
