"""Data to publish, through HTTP on the real read models: the long export lists every prompt
(missed ones with their outcome, local times in each participant's zone), the codebook (JSON
and CSV), the `.sav` that opens with pyreadstat with its labels, and the quality flags in the
read models and the exports. No email, no token anywhere; audit verify still agrees."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pyreadstat
import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container
from tests.support.esm import (
    FakeClock,
    controlled,
    definition,
    esm_head,
    researcher_headers,
    token_from,
    wait_read,
)
from tests.support.system import running_projector

START = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)
QUESTIONS = [
    {"id": "mood", "type": "likert", "text": "How is your mood?", "points": 5,
     "labels": ["very bad", "very good"]},
    {"id": "calm", "type": "likert", "text": "=HYPERLINK(calm)", "points": 5},
    {"id": "energy", "type": "slider", "text": "Energy", "min": 0, "max": 100, "step": 5},
    {"id": "company", "type": "single_choice", "text": "Who are you with?",
     "options": ["alone", "family", "friends"]},
    {"id": "doing", "type": "multi_choice", "text": "Doing?", "options": ["work", "rest"],
     "required": False},
    {"id": "note", "type": "text", "text": "Anything else?", "required": False},
]  # fmt: skip
STRAIGHT = {"mood": 5, "calm": 5, "energy": 100, "company": "alone", "note": "=1+1"}


@pytest.fixture(scope="module")
def study(api, container: Container) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Two participants, Warsaw and New York, prompted at 08:00 and 14:00 local: the first
    opens and answers in 3 seconds, all ratings at the top; the second never opens; then the
    second withdraws, which cancels their later prompts."""
    clock = FakeClock(START)
    with (
        TestClient(api) as client,
        controlled(container, clock) as mailer,
        running_projector(container),
    ):
        _, headers = researcher_headers(container)
        body = definition(
            START.date(),
            questionnaire={"questions": QUESTIONS},
            schedule={"kind": "fixed", "times": ["08:00", "14:00"]},
        )
        campaign = client.post("/campaigns", json=body, headers=headers).json()
        url = f"/campaigns/{campaign['id']}"
        assert client.post(f"{url}/launch", headers=headers).status_code == 200
        people = {}
        for name, zone in (("warsaw", "Europe/Warsaw"), ("newyork", "America/New_York")):
            email = f"{name}-{campaign['id'][:8]}@example.com"
            made = client.post(
                f"{url}/participants", json={"email": email, "timezone": zone}, headers=headers
            )
            assert made.status_code == 201, made.text
            people[name] = (UUID(made.json()["id"]), email)
        wait_read(container, esm_head(container))
        prompts = client.get(f"{url}/prompts", headers=headers).json()["prompts"]
        first = {
            p["participant"]: p
            for p in sorted(prompts, key=lambda p: p["scheduled_at"], reverse=True)
            if p["day"] == START.date().isoformat()
        }  # each participant's first prompt of the first day
        for name, (pid, email) in people.items():
            prompt = first[str(pid)]
            clock.set(datetime.fromisoformat(prompt["scheduled_at"]))
            assert container.esm.send_prompt(UUID(prompt["id"]), mailer, "http://t") == "sent"
            if name == "warsaw":
                token = token_from(mailer.to(email)[0].text)
                assert client.get(f"/s/{token}").status_code == 200
                clock.advance(seconds=3)
                answered = client.post(f"/s/{token}", json={"answers": STRAIGHT})
                assert answered.status_code == 201, answered.text
            else:
                clock.advance(hours=2)
                assert container.esm.expire_prompt(UUID(prompt["id"])) == "expired"
        owner = container.esm.campaign_for(None, UUID(campaign["id"])).owner_id
        container.esm.withdraw(owner, UUID(campaign["id"]), people["newyork"][0])
        wait_read(container, esm_head(container))
        yield {
            "client": client,
            "container": container,
            "url": url,
            "headers": headers,
            "people": people,
            "campaign_id": campaign["id"],
        }


def get(study: dict[str, Any], path: str) -> Any:
    response = study["client"].get(f"{study['url']}{path}", headers=study["headers"])
    assert response.status_code == 200, response.text
    return response


def long_rows(study: dict[str, Any]) -> list[dict[str, str]]:
    response = get(study, "/responses?format=long")
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_the_long_export_lists_every_prompt_with_its_outcome_and_local_times(study) -> None:  # type: ignore[no-untyped-def]
    rows = long_rows(study)
    warsaw, newyork = (str(study["people"][n][0]) for n in ("warsaw", "newyork"))
    mine = [r for r in rows if r["participant"] == warsaw]
    theirs = [r for r in rows if r["participant"] == newyork]
    assert mine[0]["outcome"] == "answered"
    assert all(r["outcome"] == "pending" for r in mine[1:])  # later prompts still to come
    assert theirs[0]["outcome"] == "expired_not_opened" and theirs[0]["ended_at"]
    assert {r["outcome"] for r in theirs[1:]} == {"cancelled"}
    assert {r["outcome_reason"] for r in theirs[1:]} == {"withdrawn"}
    assert mine[0]["timezone"] == "Europe/Warsaw" and theirs[0]["timezone"] == "America/New_York"
    assert mine[0]["scheduled_local"].endswith("T08:00:00")
    assert theirs[0]["scheduled_local"].endswith("T08:00:00")
    assert mine[0]["scheduled_at"].startswith("2026-06-10T06:00:00")  # UTC
    assert theirs[0]["scheduled_at"].startswith("2026-06-10T12:00:00")
    assert mine[0]["answered_local"].endswith("T08:00:03")
    assert mine[0]["duration_seconds"] == "3.0"
    assert (mine[0]["flag_too_fast"], mine[0]["flag_straight_lined"]) == ("true", "true")
    assert mine[0]["flag_long_gap"] == "false" and theirs[0]["flag_too_fast"] == ""
    assert mine[0]["mood"] == "5" and theirs[0]["mood"] == ""
    assert mine[0]["note"] == "'=1+1"  # the formula guard holds in the long export too


def test_quality_flags_are_in_the_read_model_and_the_wide_export(study) -> None:  # type: ignore[no-untyped-def]
    row = study["container"].database.fetch_one(
        "SELECT duration_seconds, too_fast, straight_lined, long_gap FROM read.esm_responses"
        " WHERE participant_id = %s",
        (study["people"]["warsaw"][0],),
    )
    assert row == {
        "duration_seconds": 3.0,
        "too_fast": True,
        "straight_lined": True,
        "long_gap": False,
    }
    (wide,) = csv.DictReader(io.StringIO(get(study, "/responses?format=csv").text))
    assert (wide["flag_too_fast"], wide["flag_straight_lined"]) == ("true", "true")
    listed = get(study, "/responses").json()["responses"][0]
    assert listed["flag_too_fast"] is True and listed["duration_seconds"] == 3.0


def test_the_codebook_labels_every_column_as_json_and_csv(study) -> None:  # type: ignore[no-untyped-def]
    book = get(study, "/codebook").json()
    names = [v["name"] for v in book["variables"]]
    assert [n for n in names if n in {"mood", "calm", "energy", "company", "doing", "note"}] == [
        "mood",
        "calm",
        "energy",
        "company",
        "doing",
        "note",
    ]
    header = list(long_rows(study)[0])
    assert header == [v["name"] for v in book["variables"] if "long" in v["datasets"]]
    assert book["quality"]["min_seconds_per_item"] == 1.0
    table = list(csv.DictReader(io.StringIO(get(study, "/codebook?format=csv").text)))
    by_name = {r["name"]: r for r in table}
    assert by_name["mood"]["value_labels"] == "1=very bad; 5=very good"
    assert by_name["company"]["value_labels"] == "1=alone; 2=family; 3=friends"
    assert by_name["calm"]["label"] == "'=HYPERLINK(calm)"  # formula guard
    assert by_name["doing_2"]["datasets"] == "sav"


def test_the_sav_opens_with_pyreadstat_with_its_labels(study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    response = get(study, "/responses?format=sav")
    assert response.headers["content-type"] == "application/x-spss-sav"
    path = tmp_path / "study.sav"
    path.write_bytes(response.content)
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == len(long_rows(study))
    assert meta.column_names_to_labels["mood"] == "How is your mood?"
    assert meta.variable_value_labels["mood"] == {1.0: "very bad", 5.0: "very good"}
    assert meta.variable_value_labels["company"] == {1.0: "alone", 2.0: "family", 3.0: "friends"}
    assert meta.column_names_to_labels["doing_1"] == "Doing?: work"
    answered = frame[frame["outcome"] == "answered"].to_dict("records")[0]
    assert answered["company"] == 1.0 and answered["flag_straight_lined"] == 1.0
    assert set(frame["outcome"]) == {"answered", "pending", "expired_not_opened", "cancelled"}


def test_no_email_or_token_is_in_any_export(study) -> None:  # type: ignore[no-untyped-def]
    texts = [
        get(study, "/responses?format=long").text,
        get(study, "/codebook?format=csv").text,
        get(study, "/responses?format=csv").text,
    ]
    blob = get(study, "/responses?format=sav").content
    for _, email in study["people"].values():
        assert all(email not in text for text in texts)
        assert email.encode() not in blob
        assert email.split("@")[0].encode() not in blob


def test_another_researcher_gets_404_and_audit_verify_agrees(study) -> None:  # type: ignore[no-untyped-def]
    client, container = study["client"], study["container"]
    _, other = researcher_headers(container)
    for path in ("/codebook", "/responses?format=long", "/responses?format=sav"):
        assert client.get(f"{study['url']}{path}", headers=other).status_code == 404
    assert (
        client.get(f"{study['url']}/responses?format=xls", headers=study["headers"]).status_code
        == 422
    )
    verify = get(study, "/verify").json()
    assert verify["ok"] is True, verify["differences"]


def test_the_quality_thresholds_are_set_through_the_api(api, container: Container) -> None:  # type: ignore[no-untyped-def]
    """docs/esmpress.md said they were a campaign setting, but POST /campaigns refused the
    field (found by the console, which could not offer it)."""
    with TestClient(api) as client, running_projector(container):
        _, headers = researcher_headers(container)
        body = definition(START.date(), questionnaire={"questions": QUESTIONS})
        rules = {"min_seconds_per_item": 2, "straight_line_min_items": 4, "long_gap_minutes": 15}
        made = client.post("/campaigns", json={**body, "quality": rules}, headers=headers)
        assert made.status_code == 201, made.text
        url = f"/campaigns/{made.json()['id']}"
        wait_read(container, esm_head(container))
        book = client.get(f"{url}/codebook", headers=headers).json()
        assert book["quality"] == {**rules, "min_seconds_per_item": 2.0}
        bad = client.patch(url, json={"quality": {"long_gap_minutes": 0}}, headers=headers)
        assert bad.status_code == 422 and "long_gap_minutes" in bad.text
        changed = client.patch(url, json={"quality": {"long_gap_minutes": 30}}, headers=headers)
        assert changed.status_code == 200, changed.text
        wait_read(container, esm_head(container))
        book = client.get(f"{url}/codebook", headers=headers).json()
        assert book["quality"]["long_gap_minutes"] == 30
