"""SendGrid adapter (the Mailer port) through the official `sendgrid` client.

The client speaks urllib, so tests point it at the local fake (a real HTTP server) with
`host=`. Errors map onto the port's two exceptions: 429, 5xx, timeouts and connection
failures are temporary (retry with backoff); any other 4xx is a permanent refusal.
The recipient's address is never logged.
"""

from __future__ import annotations

import logging
import urllib.error

from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Content, CustomArg, Header, Mail

from application.shared.ports import MailDeliveryError, MailTemporarilyUnavailable
from infrastructure.observability import SharedCounters
from infrastructure.settings import Settings

log = logging.getLogger("kairos.mail")
# python_http_client logs whole request bodies (recipients) and headers (the API key) at
# DEBUG; keep that logger quiet whatever the root level is.
logging.getLogger("python_http_client").setLevel(logging.WARNING)

DEFAULT_TIMEOUT_SECONDS = 10.0


def _is_temporary(status: int) -> bool:
    return status == 429 or status >= 500


def _first_error(error: HTTPError) -> str:
    try:
        body = error.to_dict
        return str(body["errors"][0].get("message", ""))[:300]
    except Exception:
        return ""


class SendGridMailer:
    def __init__(
        self,
        api_key: str,
        host: str,
        sender: str,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        counters: SharedCounters | None = None,
    ) -> None:
        self.counters = counters or SharedCounters()
        self.api_key = api_key
        self.host = host.rstrip("/")
        self.sender = sender
        self.timeout = timeout

    def _client(self) -> SendGridAPIClient:
        client = SendGridAPIClient(api_key=self.api_key, host=self.host)
        client.client.timeout = self.timeout  # the library default is no timeout at all
        return client

    def build(
        self,
        *,
        to: str,
        subject: str,
        text: str,
        html: str,
        custom_args: dict[str, str],
        headers: dict[str, str] | None = None,
    ) -> Mail:
        mail = Mail(from_email=self.sender, to_emails=to, subject=subject)
        # text/plain must come before text/html (SendGrid rejects the other order).
        mail.add_content(Content("text/plain", text))
        mail.add_content(Content("text/html", html))
        for key, value in custom_args.items():
            mail.add_custom_arg(CustomArg(key, str(value)))
        for key, value in (headers or {}).items():
            mail.add_header(Header(key, value))
        return mail

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
        if not self.api_key:
            self.counters.incr("emails", outcome="failed")
            raise MailDeliveryError("SENDGRID_API_KEY is not set")
        try:
            mail = self.build(
                to=to,
                subject=subject,
                text=text,
                html=html,
                custom_args=custom_args,
                headers=headers,
            )
            body = mail.get()
        except (KeyError, ValueError, TypeError) as error:  # e.g. no "@" in the address
            self.counters.incr("emails", outcome="failed")
            raise MailDeliveryError(f"invalid message: {type(error).__name__}") from None
        tags = ",".join(f"{k}={v}" for k, v in sorted(custom_args.items()))
        try:
            response = self._client().client.mail.send.post(request_body=body)
        except HTTPError as error:
            status = int(getattr(error, "status_code", 0) or 0)
            reason = _first_error(error)
            if _is_temporary(status):
                self.counters.incr("emails", outcome="deferred")
                log.warning("sendgrid deferred mail [%s]: %s %s", tags, status, reason)
                raise MailTemporarilyUnavailable(f"sendgrid answered {status}: {reason}") from None
            self.counters.incr("emails", outcome="failed")
            log.error("sendgrid refused mail [%s]: %s %s", tags, status, reason)
            raise MailDeliveryError(f"sendgrid answered {status}: {reason}") from None
        except (TimeoutError, urllib.error.URLError, ConnectionError) as error:
            self.counters.incr("emails", outcome="deferred")
            log.warning("sendgrid unreachable [%s]: %r", tags, type(error).__name__)
            raise MailTemporarilyUnavailable(f"sendgrid unreachable: {error!r}") from None
        message_id = response.headers.get("X-Message-Id") or ""
        self.counters.incr("emails", outcome="sent")
        log.info("sendgrid accepted mail [%s] message_id=%s", tags, message_id)
        return str(message_id)


def build_mailer(settings: Settings, counters: SharedCounters) -> SendGridMailer:
    return SendGridMailer(
        settings.sendgrid_api_key or "",
        settings.sendgrid_host,
        settings.mail_from,
        counters=counters,
    )
