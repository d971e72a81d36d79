"""settings.EMAIL_BACKEND: every message goes to the outbox first.

Sending a mail never fails a request: the message is stored, then handed to
the mail server at once (after the transaction that made it commits); if the
server is down or slow to answer, the worker's "mail" job tries again later.
"""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from dailypapers.mail import services


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            queued = services.mail_queue(message=message)
            transaction.on_commit(lambda pk=queued.pk: services.mail_deliver(pk=pk, hurry=True))
        return len(email_messages)
