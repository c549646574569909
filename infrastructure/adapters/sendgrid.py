"""SendGrid adapter (the Mailer port) through the official `sendgrid` client."""

from __future__ import annotations

from infrastructure.settings import Settings


class SendGridMailer:
    def __init__(self, api_key: str, host: str, sender: str) -> None:
        self.api_key = api_key
        self.host = host
        self.sender = sender

    def send(
        self, *, to: str, subject: str, text: str, html: str, custom_args: dict[str, str]
    ) -> str:
        raise NotImplementedError("filled in by the email work")


def build_mailer(settings: Settings) -> SendGridMailer:
    return SendGridMailer(
        settings.sendgrid_api_key or "", settings.sendgrid_host, settings.mail_from
    )
