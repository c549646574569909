"""A campaign with three questionnaires (a morning one at wake-up, random momentary prompts,
an evening diary on some weekdays) through HTTP and the real read models: prompts carry their
questionnaire, each is answered with its own questions, compliance and exports break down by
questionnaire, and audit verify agrees."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from uuid import UUID, uuid4

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
from tests.unit.test_esm_questionnaires import THREE

WEDNESDAY = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)


def test_three_questionnaires_run_and_break_down_by_questionnaire(client: TestClient) -> None:
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    clock = FakeClock(WEDNESDAY)
    with controlled(container, clock) as mailer, running_projector(container):
        _, headers = researcher_headers(container)
        body = definition(WEDNESDAY.date(), questionnaires=THREE)
        del body["questionnaire"], body["schedule"]
        created = client.post("/campaigns", json=body, headers=headers)
        assert created.status_code == 201, created.text
        assert [q["id"] for q in created.json()["questionnaires"]] == [q["id"] for q in THREE]
        url = f"/campaigns/{created.json()['id']}"
        assert client.post(f"{url}/launch", headers=headers).status_code == 200
        email = f"three-{uuid4().hex[:8]}@example.com"
        enrolled = client.post(f"{url}/participants", json={"email": email}, headers=headers)
        assert enrolled.status_code == 201, enrolled.text
        wait_read(container, esm_head(container))
        prompts = client.get(f"{url}/prompts", headers=headers).json()["prompts"]
        today = [p for p in prompts if p["day"] == "2026-06-10"]
        assert [p["questionnaire"] for p in today] == ["morning", *["moment"] * 4, "evening"]
        tomorrow = {p["questionnaire"] for p in prompts if p["day"] == "2026-06-11"}
        assert tomorrow == {"morning", "moment"}  # no diary on Thursdays

        answers = {"morning": {"sleep": 7, "mood": 3}, "evening": {"day_rating": 6, "mood": 4}}
        for prompt in [today[0], today[-1]]:
            clock.set(datetime.fromisoformat(prompt["scheduled_at"]))
            assert container.esm.send_prompt(UUID(prompt["id"]), mailer, "http://t") == "sent"
            token = token_from(mailer.to(email)[-1].text)
            shown = client.get(f"/s/{token}", headers={"Accept": "application/json"}).json()
            kind = prompt["questionnaire"]
            assert [q["id"] for q in shown["questions"]] == list(answers[kind])
            wrong = client.post(
                f"/s/{token}",
                json={"answers": answers["evening" if kind == "morning" else "morning"]},
            )
            assert wrong.status_code == 422  # another questionnaire's questions
            assert client.post(f"/s/{token}", json={"answers": answers[kind]}).status_code == 201
        wait_read(container, esm_head(container))

        report = client.get(f"{url}/compliance", headers=headers).json()
        by = {q["questionnaire"]: q for q in report["questionnaires"]}
        assert (by["morning"]["answered"], by["evening"]["answered"]) == (1, 1)
        assert by["moment"]["answered"] == 0 and by["moment"]["scheduled"] >= 4
        wide = list(
            csv.DictReader(
                io.StringIO(client.get(f"{url}/responses?format=csv", headers=headers).text)
            )
        )
        assert {(r["questionnaire"], r["mood"]) for r in wide} == {
            ("morning", "3"),
            ("evening", "4"),
        }
        assert {r["sleep"] for r in wide} == {"7", ""}
        long = list(
            csv.DictReader(
                io.StringIO(client.get(f"{url}/responses?format=long", headers=headers).text)
            )
        )
        assert {r["questionnaire"] for r in long} == {"morning", "moment", "evening"}
        book = client.get(f"{url}/codebook", headers=headers).json()
        assert [q["id"] for q in book["questionnaires"]] == ["morning", "moment", "evening"]
        names = [v["name"] for v in book["variables"]]
        assert names.count("mood") == 1 and {"sleep", "day_rating"} <= set(names)
        verify = client.get(f"{url}/verify", headers=headers).json()
        assert verify["ok"] is True, verify["differences"]
