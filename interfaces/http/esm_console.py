"""What the researcher console needs beyond the campaign routes: the participant table,
prompt journeys, live compliance, bulk enrollment, duplication, schedule simulation and
preview calendar, the pre-launch checklist, the survey preview, the join QR code, and the
auditor's campaign list. Every route is open to any API client, documented like the rest."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

import segno
from fastapi import APIRouter, Depends, Query, Response
from starlette.datastructures import ImmutableMultiDict

from application.esm.bulk import bulk_enroll
from application.esm.console import ConsoleQueries
from application.esm.queries import ESMQueries
from application.esm.review import MailSetup, checklist
from application.esm.simulation import simulate
from application.identity.service import Principal
from domain.esm.campaign import EDITABLE
from domain.esm.questionnaire import normalise_questionnaire
from domain.esm.schedule import zone
from domain.shared.errors import NotFound
from infrastructure.bootstrap import Container
from interfaces.http.console_models import (
    AuditCampaign,
    AuditCampaignList,
    BulkEnrollIn,
    BulkEnrollOut,
    Checklist,
    Monitor,
    ParticipantRow,
    ParticipantTable,
    ParticipantTimeline,
    SimulateExisting,
    SimulateNew,
    Simulation,
    SurveyPreview,
    SurveyPreviewIn,
)
from interfaces.http.deps import ContainerDep, PrincipalDep, require_role
from interfaces.http.errors import ERROR_RESPONSES
from interfaces.http.esm import _definition, _settle, campaign_out, join_url
from interfaces.http.esm_models import CampaignOut
from interfaces.http.survey import _form

router = APIRouter(responses=ERROR_RESPONSES, tags=["esmpress"])
Researcher = Annotated[Principal, Depends(require_role("researcher"))]


def _console(container: Container) -> ConsoleQueries:
    return ConsoleQueries(container.database)


@router.get("/campaigns/{campaign_id}/participants/table", response_model=ParticipantTable)
def participant_table(
    campaign_id: UUID, container: ContainerDep, principal: Researcher
) -> ParticipantTable:
    """Every participant with their compliance: sent, answered, rate, last answer, median
    latency, and the latest delivery problem."""
    rows = _console(container).participant_table(
        principal.account_id, campaign_id, container.clock()
    )
    return ParticipantTable(participants=[ParticipantRow(**row) for row in rows])


@router.get(
    "/campaigns/{campaign_id}/participants/{participant_id}/timeline",
    response_model=ParticipantTimeline,
)
def participant_timeline(
    campaign_id: UUID, participant_id: UUID, container: ContainerDep, principal: Researcher
) -> ParticipantTimeline:
    """The participant's own events and one journey per prompt (scheduled, sent, delivered,
    opened, answered / expired / cancelled, with times and reasons)."""
    data = _console(container).timeline(
        principal.account_id, campaign_id, participant_id, container.clock()
    )
    return ParticipantTimeline(**data)


@router.get("/campaigns/{campaign_id}/monitor", response_model=Monitor)
def campaign_monitor(
    campaign_id: UUID,
    container: ContainerDep,
    principal: Researcher,
    limit: Annotated[int, Query(ge=1, le=500, description="Participants per page")] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Monitor:
    """Live compliance: KPI figures, the funnel, the latency histogram, delivery problems,
    and per participant (paged) a heatmap row (one cell per day) and a tracker strip (one
    block per prompt)."""
    data = _console(container).monitor(
        principal.account_id, campaign_id, container.clock(), limit, offset
    )
    return Monitor(**data)


@router.post("/campaigns/{campaign_id}/participants/bulk", response_model=BulkEnrollOut)
def enroll_many(
    campaign_id: UUID, body: BulkEnrollIn, container: ContainerDep, principal: Researcher
) -> BulkEnrollOut:
    """Enrolls each CSV row on its own (or, with `dry_run`, only checks them); the answer
    has one entry per row with its line number and its error, if any."""
    result = bulk_enroll(container.esm, principal.account_id, campaign_id, body.csv, body.dry_run)
    if not body.dry_run:
        _settle(container, container.esm.recorder.max_notification_id() or 0)
    return BulkEnrollOut(**result)


@router.post("/campaigns/{campaign_id}/duplicate", status_code=201, response_model=CampaignOut)
def duplicate_campaign(
    campaign_id: UUID, container: ContainerDep, principal: Researcher
) -> CampaignOut:
    """A new draft with the same definition and join-page texts (no participants)."""
    copy_id, position = container.esm.duplicate_campaign(principal.account_id, campaign_id)
    _settle(container, position)
    return campaign_out(container, ESMQueries(container.database).campaign(None, copy_id))


def _simulation(definition: dict[str, Any], options: SimulateExisting) -> Simulation:
    sample = options.sample.model_dump() if options.sample else None
    return Simulation(**simulate(definition, options.participants, options.timezones, sample))


@router.post("/campaigns/simulate", response_model=Simulation)
def simulate_new(body: SimulateNew, principal: Researcher) -> Simulation:
    """Runs the real scheduler on a campaign body that is not saved; writes nothing."""
    definition = _definition(body)
    settings = {k: definition.get(k) for k in EDITABLE}  # what a campaign's settings are
    return _simulation(settings, body)


@router.post("/campaigns/{campaign_id}/simulate", response_model=Simulation)
def simulate_existing(
    campaign_id: UUID,
    container: ContainerDep,
    principal: Researcher,
    body: SimulateExisting | None = None,
) -> Simulation:
    """Runs the real scheduler on a saved campaign (and a sample participant); writes
    nothing."""
    campaign = container.esm.campaign_for(principal.account_id, campaign_id)
    return _simulation(dict(campaign.settings), body or SimulateExisting())


@router.get("/campaigns/{campaign_id}/checklist", response_model=Checklist)
def campaign_checklist(
    campaign_id: UUID, container: ContainerDep, principal: Researcher
) -> Checklist:
    """The review before Launch: dates, burden, nights, zones and DST, participants, mail."""
    row = ESMQueries(container.database).campaign(principal.account_id, campaign_id)
    campaign = container.esm.campaign_for(principal.account_id, campaign_id)
    settings = container.settings
    mail = MailSetup(
        sender=settings.mail_from,
        configured=bool(settings.sendgrid_api_key),
        local_fake="api.sendgrid.com" not in settings.sendgrid_host,
        public_url=settings.public_url,
    )
    today = container.clock().astimezone(zone(campaign.settings["timezone"])).date()
    result = checklist(
        row,
        simulate(dict(campaign.settings)),
        int(row["counts"]["participants"]),
        today,
        mail,
    )
    return Checklist(**result)


@router.post("/campaigns/survey-preview", response_model=SurveyPreview)
def survey_preview(
    body: SurveyPreviewIn, container: ContainerDep, principal: Researcher
) -> SurveyPreview:
    """The real participant page (the HTML of `/s/{token}`) for a questionnaire that need
    not be saved; 422 names the first bad question. For a phone-frame preview."""
    questionnaire = normalise_questionnaire(body.questionnaire)
    survey = {
        "campaign": body.name,
        "description": body.description,
        "questions": questionnaire["questions"],
        "deadline": container.clock() + timedelta(minutes=30),
        "timezone": "UTC",
    }
    page = _form(container, "preview", survey, ImmutableMultiDict())
    return SurveyPreview(html=bytes(page.body).decode())


@router.get(
    "/campaigns/{campaign_id}/join-qr.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}}},
)
def join_qr(campaign_id: UUID, container: ContainerDep, principal: Researcher) -> Response:
    """The join link as a QR code (SVG), for posters and slides."""
    campaign = container.esm.campaign_for(principal.account_id, campaign_id)
    url = join_url(container, campaign.join_code)
    if url is None:
        raise NotFound("self-enrollment has not been set up for this campaign")
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False, title="Join link QR code"
    )  # a whole SVG document (with its namespace), so an <img> can show it
    return Response(
        buffer.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "no-store"}
    )


@router.get("/audit/campaigns", response_model=AuditCampaignList, tags=["audit"])
def auditable_campaigns(container: ContainerDep, principal: PrincipalDep) -> AuditCampaignList:
    """The campaigns the caller may audit: all of them for an auditor or admin, else the
    caller's own."""
    overseer = bool({"auditor", "admin"} & set(principal.roles))
    rows = _console(container).auditable_campaigns(None if overseer else principal.account_id)
    return AuditCampaignList(campaigns=[AuditCampaign(**row) for row in rows])
