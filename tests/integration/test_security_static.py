"""Static checks of the source: secrets are compared in constant time, never with ==."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("domain", "application", "infrastructure", "interfaces")
SECRET = re.compile(r"(token|nonce|signature|secret|password|api_key|hmac|mac)(_hash)?$", re.I)


def secret_like(node: ast.expr) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        name = str(node.slice.value)
    return bool(name and SECRET.search(name))


def non_constant_secret_comparisons(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        if not any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            continue
        operands = [node.left, *node.comparators]
        if any(isinstance(o, ast.Constant) for o in operands):
            continue  # a comparison with a literal (e.g. None, "refresh") leaks nothing
        if any(secret_like(o) for o in operands):
            lines.append(node.lineno)
    return lines


def test_secrets_are_compared_with_hmac_compare_digest() -> None:
    offenders = {
        f"{path.relative_to(ROOT)}:{line}"
        for layer in LAYERS
        for path in (ROOT / layer).rglob("*.py")
        for line in non_constant_secret_comparisons(ast.parse(path.read_text()))
    }
    assert offenders == set(), "use hmac.compare_digest for secrets"


def test_the_scan_finds_a_plain_comparison() -> None:
    tree = ast.parse("ok = presented_token == stored.token\nfine = kind == 'refresh'\n")
    assert non_constant_secret_comparisons(tree) == [1]
