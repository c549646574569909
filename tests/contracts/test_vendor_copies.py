"""The copies in tests/contracts/vendor/ are the shared folder's files (TMDB's trimmed to
the operations Kairos calls): refresh with `python -m tests.contracts.specs`."""

from __future__ import annotations

import json

import pytest

from tests.contracts import specs


def test_the_vendored_contracts_are_the_shared_ones() -> None:
    folder = specs.shared_folder()
    if folder is None:
        pytest.skip("the shared vendor-contracts folder is not beside this checkout")
    for name in specs.COPIED:
        assert (specs.VENDOR / name).read_bytes() == (folder / name).read_bytes(), name
    full = json.loads((folder / "tmdb-api.json").read_text())
    assert specs.document("tmdb-api.json") == json.loads(json.dumps(specs.trimmed_tmdb(full)))


def test_every_tmdb_operation_the_adapter_calls_is_in_the_trimmed_copy() -> None:
    assert set(specs.document("tmdb-api.json")["paths"]) == set(specs.TMDB_PATHS)
