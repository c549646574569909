"""SendGrid's side of the signed Event Webhook: ECDSA P-256 / SHA-256 over `timestamp + raw
body`, base64 DER signatures, keys as base64 DER (PKCS#8 private, SubjectPublicKeyInfo
public: what SendGrid's dashboard shows). The product verifies them in
infrastructure/adapters/sendgrid_webhook.py."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"


def generate_signing_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def private_key_to_b64(key: ec.EllipticCurvePrivateKey) -> str:
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return base64.b64encode(der).decode()


def private_key_from_b64(value: str) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_der_private_key(base64.b64decode(value), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("not an EC private key")
    return key


def public_key_b64(key: ec.EllipticCurvePrivateKey) -> str:
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


def sign(key: ec.EllipticCurvePrivateKey, payload: bytes, timestamp: str) -> str:
    signature = key.sign(timestamp.encode() + payload, ec.ECDSA(hashes.SHA256()))
    return base64.b64encode(signature).decode()
