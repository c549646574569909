"""The vendors' published contracts (tests/contracts/vendor/, copied from the team's
shared vendor-contracts folder; TMDB's 3 MB OpenAPI file trimmed to the operations Kairos
calls) turned into JSON Schemas with the deviations that folder's README documents:

* TMDB: its OpenAPI is generated from real 200 responses, so every documented field is
  required and no other field may appear, except inside `watch/providers` `results` (country
  keys and offer types vary); the listed id/path fields may be null; `?api_key=` is an
  alternative to the bearer header.
* Watchmode: OpenAPI 3.0 `nullable`; `x-expected` fields are required.
* SendGrid: top-level `custom_args` is an object of strings on the wire; `errors[].help` is a
  URL string or null; `errors[].field` nullable; `errors` required in error bodies.

`python -m tests.contracts.specs` refreshes the copies from the shared folder.
"""

from __future__ import annotations

import copy
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

VENDOR = Path(__file__).parent / "vendor"
ROOT = Path(__file__).resolve().parents[2]
TMDB_PATHS = (
    "/3/search/movie",
    "/3/find/{external_id}",
    "/3/movie/{movie_id}",
    "/3/movie/{movie_id}/watch/providers",
    "/3/configuration",
)
"""The TMDB operations the adapter (and the fake) serve."""
COPIED = (
    "README.md",
    "gemini-generatecontent.json",
    "sendgrid-eventwebhook-vector.json",
    "sendgrid-tsg_mail_v3.json",
    "tmdb-errors.json",
    "watchmode-openapi.json",
)
TMDB_NULLABLE = frozenset(
    {
        "poster_path",
        "backdrop_path",
        "belongs_to_collection",
        "imdb_id",
        "logo_path",
        "wikidata_id",
        "facebook_id",
        "instagram_id",
        "twitter_id",
    }
)
DROPPED = ("example", "examples", "description", "format", "x-expected", "nullable")


def shared_folder() -> Path | None:
    """The shared vendor-contracts folder when this checkout sits beside it."""
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "vendor-contracts"
        if folder.is_dir():
            return folder
    return None


def trimmed_tmdb(full: dict[str, Any]) -> dict[str, Any]:
    """The operations Kairos uses, without their examples (the schemas are kept whole)."""

    def without_examples(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: without_examples(v) for k, v in node.items() if k not in ("example", "examples")
            }
        if isinstance(node, list):
            return [without_examples(v) for v in node]
        return node

    paths = {p: without_examples(full["paths"][p]) for p in TMDB_PATHS}
    return {**full, "x-readme": None, "x-readme-fauxas": None, "paths": paths}


def refresh(source: Path) -> None:
    for name in COPIED:
        (VENDOR / name).write_bytes((source / name).read_bytes())
    full = json.loads((source / "tmdb-api.json").read_text())
    (VENDOR / "tmdb-api.json").write_text(json.dumps(trimmed_tmdb(full), indent=1) + "\n")


@cache
def document(name: str) -> dict[str, Any]:
    return json.loads((VENDOR / name).read_text())  # type: ignore[no-any-return]


def _resolve(ref: str, root: dict[str, Any]) -> Any:
    node: Any = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def json_schema(node: Any, root: dict[str, Any], *, strict: bool = False, name: str = "") -> Any:
    """An OpenAPI schema as a self-contained JSON Schema: refs inlined, `nullable` and
    `x-expected` applied; `strict` (TMDB): every property required, nothing else allowed."""
    if isinstance(node, list):
        return [json_schema(n, root, strict=strict) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return json_schema(_resolve(node["$ref"], root), root, strict=strict, name=name)
    out = {k: v for k, v in node.items() if k not in DROPPED}
    if "properties" in out:
        loose = strict and name == "results"
        out["properties"] = {
            key: json_schema(value, root, strict=strict and not loose, name=key)
            for key, value in out["properties"].items()
        }
        if strict and not loose:
            out["required"] = sorted(out["properties"])
            out["additionalProperties"] = False
        elif "x-expected" in node:
            out["required"] = sorted(node["x-expected"])
        if loose:
            out.pop("properties")
    for key, value in out.items():
        if key not in ("properties", "required", "enum") and isinstance(value, dict | list):
            out[key] = json_schema(value, root, strict=strict)
    if node.get("nullable") or (strict and name in TMDB_NULLABLE):
        out = _nullable(out)
    return out


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        schema["type"] = [*kinds, "null"]
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def sendgrid() -> dict[str, Any]:
    """SendGrid's Mail Send spec with the wire's deviations applied."""
    spec = copy.deepcopy(document("sendgrid-tsg_mail_v3.json"))
    body = spec["components"]["requestBodies"]["PostMailSend"]["content"]["application/json"]
    body["schema"]["properties"]["custom_args"] = {
        "type": "object",
        "additionalProperties": {"type": "string"},
    }
    error = spec["components"]["schemas"]["ErrorResponse"]
    error["required"] = ["errors"]
    item = error["properties"]["errors"]["items"]
    item["properties"]["help"] = {"type": ["string", "null"]}
    item["properties"]["field"] = {"type": ["string", "null"]}
    item["required"] = ["message"]
    return spec


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else shared_folder()
    if folder is None:
        sys.exit("no shared vendor-contracts folder found; pass its path")
    refresh(folder)
    print(f"copied from {folder} into {VENDOR}")
