"""SendGrid v3 Mail Send's request checks, for the parts of the request this project uses,
with SendGrid's error shape (`{"message", "field", "help"}`)."""

from __future__ import annotations

import json
import re
from typing import Any

MAX_CUSTOM_ARGS_BYTES = 10_000
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")
ERRORS_HELP = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html"


def error_entry(message: str, field: str | None, anchor: str | None = None) -> dict[str, Any]:
    return {
        "message": message,
        "field": field,
        "help": f"{ERRORS_HELP}#{anchor}" if anchor else None,
    }


def _valid_address(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("email"), str)
        and bool(EMAIL.match(value["email"]))
    )


JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer"}


def _type_errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    """SendGrid's schema check ("Invalid type. Expected: object, given: array.") for the
    fields whose shape the rest of the validation and the mailbox rely on."""
    expected: list[tuple[str, Any, type, type | None]] = [
        ("subject", body.get("subject"), str, None),
        ("template_id", body.get("template_id"), str, None),
        ("custom_args", body.get("custom_args"), dict, str),
        ("headers", body.get("headers"), dict, str),
        ("categories", body.get("categories"), list, str),
        ("mail_settings", body.get("mail_settings"), dict, None),
    ]
    settings = body.get("mail_settings")
    if isinstance(settings, dict):
        expected.append(("mail_settings.sandbox_mode", settings.get("sandbox_mode"), dict, None))
    personalizations = body.get("personalizations")
    for i, item in enumerate(personalizations if isinstance(personalizations, list) else []):
        if not isinstance(item, dict):
            expected.append((f"personalizations.{i}", item, dict, None))
            continue
        shapes: tuple[tuple[str, type, type | None], ...] = (
            ("subject", str, None),
            ("custom_args", dict, str),
            ("headers", dict, str),
        )
        for name, kind, inner in shapes:
            expected.append((f"personalizations.{i}.{name}", item.get(name), kind, inner))
    errors = []
    for field, value, kind, inner in expected:
        if value is None:
            continue
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            given = JSON_TYPES.get(type(value), "number")
            errors.append(
                error_entry(f"Invalid type. Expected: {JSON_TYPES[kind]}, given: {given}.", field)
            )
        elif inner is not None and isinstance(value, dict | list):
            values = list(value.values()) if isinstance(value, dict) else value
            if not all(isinstance(v, inner) for v in values):
                errors.append(error_entry(f"Every value of {field} must be a string.", field))
    return errors


def validate(body: Any) -> list[dict[str, Any]]:
    """SendGrid's checks for the parts of the request this project uses."""
    if not isinstance(body, dict):
        return [error_entry("Bad Request", None)]
    shapes = _type_errors(body)
    if shapes:
        return shapes
    errors: list[dict[str, Any]] = []
    personalizations = body.get("personalizations")
    if not isinstance(personalizations, list) or not personalizations:
        errors.append(
            error_entry(
                "The personalizations field is required and must have at least one"
                " personalization.",
                "personalizations",
                "message.personalizations",
            )
        )
        personalizations = []
    if len(personalizations) > 1000:
        errors.append(error_entry("Too many personalizations.", "personalizations"))
    has_subject = isinstance(body.get("subject"), str) and bool(body["subject"])
    for i, item in enumerate(personalizations):
        to = item.get("to") if isinstance(item, dict) else None
        if not isinstance(to, list) or not to or not all(_valid_address(a) for a in to):
            errors.append(
                error_entry(
                    "The to array is required for all personalization objects, and must have"
                    " at least one email object with a valid email address.",
                    f"personalizations.{i}.to",
                    "message.personalizations.to",
                )
            )
        subject = item.get("subject") if isinstance(item, dict) else None
        if not has_subject and not (isinstance(subject, str) and subject):
            errors.append(
                error_entry(
                    "The subject is required. You can get around this requirement if you use a"
                    " template with a subject defined or if every personalization has a"
                    " subject defined.",
                    "subject",
                    "message.subject",
                )
            )
    if not _valid_address(body.get("from")):
        errors.append(
            error_entry(
                "The from object must be provided for every email send. It is an object that"
                " requires an email parameter, but may also contain a name parameter.",
                "from",
                "message.from",
            )
        )
    content = body.get("content")
    if not body.get("template_id"):
        if not isinstance(content, list) or not content:
            errors.append(
                error_entry(
                    "Unless a valid template_id is provided, the content parameter is required."
                    " There must be at least one defined content block.",
                    "content",
                    "message.content",
                )
            )
            content = []
        types = [c.get("type") if isinstance(c, dict) else None for c in content]
        for i, block in enumerate(content):
            if not isinstance(block, dict) or not block.get("type") or not block.get("value"):
                errors.append(
                    error_entry(
                        "The content value must be a string at least one character in length.",
                        f"content.{i}.value",
                        "message.content.value",
                    )
                )
        if types.count("text/plain") > 1 or types.count("text/html") > 1:
            errors.append(
                error_entry(
                    "If present, text/plain and text/html may only be provided once.",
                    "content",
                    "message.content",
                )
            )
        both = "text/plain" in types and "text/html" in types
        if both and types.index("text/plain") > types.index("text/html"):
            errors.append(
                error_entry(
                    "The text/plain content type must be first, before text/html.",
                    "content",
                    "message.content",
                )
            )
    size = len(json.dumps(body.get("custom_args") or {}))
    for item in personalizations:
        if isinstance(item, dict):
            size += len(json.dumps(item.get("custom_args") or {}))
    if size > MAX_CUSTOM_ARGS_BYTES:
        errors.append(error_entry("Custom arguments must be less than 10000 bytes.", "custom_args"))
    sandbox = ((body.get("mail_settings") or {}).get("sandbox_mode") or {}).get("enable")
    if sandbox is not None and not isinstance(sandbox, bool):
        errors.append(
            error_entry(
                "The sandbox mode enable param should be a boolean value.",
                "mail_settings.sandbox_mode.enable",
            )
        )
    return errors


SENDER_IDENTITY_HELP = "https://sendgrid.com/docs/for-developers/sending-email/sender-identity/"


def unverified_sender(address: str, verified: set[str]) -> dict[str, Any] | None:
    """SendGrid's 403 entry when `address` is neither a verified single sender nor at an
    authenticated domain (both held lower case in `verified`), else None."""
    lowered = address.lower()
    if lowered in verified or lowered.rpartition("@")[2] in verified:
        return None
    return {
        "message": "The from address does not match a verified Sender Identity. Mail cannot be"
        " sent until this error is resolved. Visit " + SENDER_IDENTITY_HELP + " to see the"
        " Sender Identity requirements",
        "field": "from",
        "help": None,
    }
