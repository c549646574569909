"""`kairos demo`: seeds a researcher, an ESMpress campaign whose prompts fall within the next
minutes, three participants, and a small watchlist, against the system `kairos up` runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer

from infrastructure.bootstrap import Container
from interfaces.cli.common import DataDirOption, load_container

DEMO_EMAIL = "demo-researcher@kairos.local"
DEMO_PASSWORD = "demo-password"
PARTICIPANTS = ("ada@demo.kairos.local", "grace@demo.kairos.local", "alan@demo.kairos.local")
DEMO_TITLES = (100001, 100002, 100003)


def demo_campaign(now: datetime, minutes: tuple[int, ...] = (1, 3, 6)) -> dict[str, Any]:
    """A campaign in UTC whose fixed prompt times are a few minutes from `now`."""
    times = sorted({(now + timedelta(minutes=m)).strftime("%H:%M") for m in minutes})
    return {
        "name": "Demo: how are you, right now?",
        "description": "A two-minute check-in seeded by `kairos demo`.",
        "timezone": "UTC",
        "start_date": now.date().isoformat(),
        "end_date": (now + timedelta(days=1)).date().isoformat(),
        "expiry_minutes": 30,
        "completion_minutes": 15,
        "reminder_after_minutes": 10,
        "questionnaire": {
            "questions": [
                {
                    "id": "mood",
                    "type": "likert",
                    "text": "How is your mood right now?",
                    "points": 5,
                    "labels": ["very bad", "very good"],
                },
                {
                    "id": "stress",
                    "type": "slider",
                    "text": "How stressed do you feel? (0-100)",
                    "min": 0,
                    "max": 100,
                    "step": 1,
                },
                {
                    "id": "company",
                    "type": "single_choice",
                    "text": "Who are you with?",
                    "options": ["nobody", "family", "friends", "colleagues", "others"],
                },
                {
                    "id": "doing",
                    "type": "multi_choice",
                    "text": "What are you doing?",
                    "options": ["working", "resting", "moving", "eating", "on a screen"],
                    "required": False,
                },
                {
                    "id": "coffee",
                    "type": "number",
                    "text": "Cups of coffee so far today",
                    "min": 0,
                    "max": 20,
                },
                {
                    "id": "note",
                    "type": "text",
                    "text": "Anything else on your mind?",
                    "max_length": 280,
                    "required": False,
                },
            ]
        },
        "schedule": {"kind": "fixed", "times": times},
    }


def seed(container: Container) -> dict[str, Any]:
    account_id, _ = container.identity.ensure_account(DEMO_EMAIL, DEMO_PASSWORD, ("researcher",))
    now = container.clock().astimezone(UTC)
    campaign_id, _ = container.esm.create_campaign(account_id, demo_campaign(now))
    container.esm.launch_campaign(account_id, campaign_id)
    participants = [
        container.esm.enroll(account_id, campaign_id, email)[0] for email in PARTICIPANTS
    ]
    titles = 0
    for tmdb_id in DEMO_TITLES:
        try:
            container.myvod.add_title(account_id, tmdb_id=tmdb_id, source="demo")
            titles += 1
        except Exception:  # the watchlist is a bonus; the campaign is the demo
            continue
    return {
        "account_id": account_id,
        "campaign_id": campaign_id,
        "participants": participants,
        "times": demo_campaign(now)["schedule"]["times"],
        "titles": titles,
    }


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(data_dir: Path | None = DataDirOption) -> None:
        """Seed a demo researcher, a campaign with prompts in the next minutes, participants
        and a watchlist (run it while `kairos up` is running)."""
        container = load_container(data_dir)
        try:
            result = seed(container)
        finally:
            container.close()
        settings = container.settings
        api = settings.public_url.rstrip("/")
        typer.secho("Demo data is ready.", fg="green", bold=True)
        typer.echo(f"  Researcher  {DEMO_EMAIL} / {DEMO_PASSWORD} (roles: researcher)")
        typer.echo(f"  Campaign    {result['campaign_id']} (active)")
        typer.echo(f"  Console     {api}/console/campaigns/{result['campaign_id']}/compliance")
        typer.echo(
            f"  Prompts at  {', '.join(result['times'])} UTC to {len(PARTICIPANTS)} participants:"
            f" {', '.join(PARTICIPANTS)}"
        )
        typer.echo(f"  Watchlist   {result['titles']} titles for the same account")
        if settings.sendgrid_api_key in (None, "", "SG.local-fake"):
            typer.echo(f"  Mailbox     {settings.sendgrid_host.rstrip('/')}/mailbox")
        typer.echo(
            "\nWithin a few minutes the emails arrive; open a link to answer, and watch the"
            " console (signed in as the researcher) fill in. From a shell:\n"
            f"  TOKEN=$(curl -s -d username={DEMO_EMAIL} -d password={DEMO_PASSWORD}"
            f" {api}/auth/token | python3 -c 'import json,sys; print(json.load(sys.stdin)"
            '["access_token"])\')\n'
            f'  curl -s -H "Authorization: Bearer $TOKEN"'
            f" {api}/campaigns/{result['campaign_id']}/compliance"
        )
