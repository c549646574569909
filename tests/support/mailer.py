"""A Mailer that records what it was asked to send (not an HTTP vendor fake: it stands in
for the Mailer port inside the container)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

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
