"""A Mailer that records what it was asked to send (not an HTTP vendor fake: it stands in
for the Mailer port inside the container)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from application.shared.ports import MailTemporarilyUnavailable


@dataclass(frozen=True)
class SentMail:
    to: str
    subject: str
    text: str
    custom_args: dict[str, str]
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RecordingMailer:
    sent: list[SentMail] = field(default_factory=list)
    fail_next: int = 0
    """How many upcoming sends raise MailTemporarilyUnavailable."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(
        self,
        *,
        to: str,
        subject: str,
        text: str,
        html: str,
        custom_args: dict[str, str],
        headers: dict[str, str] | None = None,
    ) -> str:
        with self._lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                raise MailTemporarilyUnavailable("recording mailer told to fail")
            self.sent.append(
                SentMail(to, subject, text, dict(custom_args), html, dict(headers or {}))
            )
            return f"msg-{len(self.sent)}"

    def to(self, address: str) -> list[SentMail]:
        with self._lock:
            return [m for m in self.sent if m.to == address]


class RecordingDeliveries:
    """Stands in for the ESM application behind the SendGrid webhook: records each
    `record_email_delivery(prompt_id, outcome, occurred_at, message_id, reported_as)` call
    as its first four arguments, and the provider's own word for it in `reported`."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.reported: list[str | None] = []

    def record_email_delivery(self, *call: Any) -> None:
        self.calls.append(call[:4])
        self.reported.append(call[4] if len(call) > 4 else None)
