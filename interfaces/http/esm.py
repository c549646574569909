"""ESMpress researcher routes: campaigns, participants, prompts, compliance, exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from application.esm.publishing import PublishingQueries
from application.esm.queries import ESMQueries
from application.esm.service import ESMApplication
from application.identity.service import Principal
from infrastructure.bootstrap import Container
from interfaces.http.deps import ContainerDep, require_role
from interfaces.http.errors import ERROR_RESPONSES
from interfaces.http.esm_models import (
    CampaignCreate,
    CampaignList,
    CampaignOut,
    CampaignPatch,
    ComplianceReport,
    ParticipantCreate,
    ParticipantList,
    ParticipantOut,
    PromptList,
    PromptOut,
    ResponseList,
    ResponseOut,
)

router = APIRouter(responses=ERROR_RESPONSES, tags=["esmpress"])
Researcher = Annotated[Principal, Depends(require_role("researcher"))]
READ_YOUR_WRITES_SECONDS = 3.0


def _settle(container: Container, position: int) -> None:
    if position:
        container.database.wait_for("esm", "esm", position, READ_YOUR_WRITES_SECONDS)


def join_url(container: Container, code: str | None) -> str | None:
    return f"{container.settings.public_url.rstrip('/')}/join/{code}" if code else None


def campaign_out(container: Container, row: dict[str, Any]) -> CampaignOut:
    return CampaignOut(**row, join_url=join_url(container, row.get("join_code")))


def _campaign(container: Container, principal: Principal, campaign_id: UUID) -> CampaignOut:
    row = ESMQueries(container.database).campaign(principal.account_id, campaign_id)
    return campaign_out(container, row)


def _definition(model: BaseModel, exclude_unset: bool = False) -> dict[str, Any]:
    data = model.model_dump(mode="json", exclude_unset=exclude_unset)
    for questionnaire in [data.get("questionnaire"), *(data.get("questionnaires") or [])]:
        if questionnaire:
            questionnaire["questions"] = [_question(q) for q in questionnaire["questions"]]
            if questionnaire.get("randomize") is None:
                questionnaire.pop("randomize", None)
    for holder in [data, *(data.get("questionnaires") or [])]:
        if holder.get("schedule"):
            holder["schedule"] = {k: v for k, v in holder["schedule"].items() if v is not None}
    return data


def _question(question: dict[str, Any]) -> dict[str, Any]:
    """Unset settings dropped; whole numbers as integers (12.0 -> 12)."""
    result = {k: v for k, v in question.items() if v is not None}
    for key in ("min", "max", "step"):
        if isinstance(result.get(key), float) and result[key].is_integer():
            result[key] = int(result[key])
    return result


@router.post("/campaigns", status_code=201, response_model=CampaignOut)
def create_campaign(
    body: CampaignCreate, container: ContainerDep, principal: Researcher
) -> CampaignOut:
    campaign_id, position = container.esm.create_campaign(principal.account_id, _definition(body))
    _settle(container, position)
    return _campaign(container, principal, campaign_id)


@router.get("/campaigns", response_model=CampaignList)
def list_campaigns(container: ContainerDep, principal: Researcher) -> CampaignList:
    rows = ESMQueries(container.database).campaigns(principal.account_id)
    return CampaignList(campaigns=[campaign_out(container, row) for row in rows])


@router.get("/campaigns/{campaign_id}", response_model=CampaignOut)
def get_campaign(campaign_id: UUID, container: ContainerDep, principal: Researcher) -> CampaignOut:
    return _campaign(container, principal, campaign_id)


@router.patch("/campaigns/{campaign_id}", response_model=CampaignOut)
def patch_campaign(
    campaign_id: UUID, body: CampaignPatch, container: ContainerDep, principal: Researcher
) -> CampaignOut:
    changes = _definition(body, exclude_unset=True)
    position = container.esm.update_campaign(principal.account_id, campaign_id, changes)
    _settle(container, position)
    return _campaign(container, principal, campaign_id)


StatusChange = Callable[[ESMApplication, UUID, UUID], int]
STATUS_CHANGES: dict[str, StatusChange] = {
    "launch": ESMApplication.launch_campaign,
    "pause": ESMApplication.pause_campaign,
    "resume": ESMApplication.resume_campaign,
    "complete": ESMApplication.complete_campaign,
    "archive": ESMApplication.archive_campaign,
}


def _status_route(action: str, use_case: StatusChange) -> None:
    def change(campaign_id: UUID, container: ContainerDep, principal: Researcher) -> CampaignOut:
        position = use_case(container.esm, principal.account_id, campaign_id)
        _settle(container, position)
        return _campaign(container, principal, campaign_id)

    change.__name__ = f"{action}_campaign"
    router.add_api_route(
        f"/campaigns/{{campaign_id}}/{action}",
        change,
        methods=["POST"],
        response_model=CampaignOut,
        summary=f"{action.capitalize()} a campaign",
    )


for _action, _use_case in STATUS_CHANGES.items():
    _status_route(_action, _use_case)


@router.post(
    "/campaigns/{campaign_id}/participants", status_code=201, response_model=ParticipantOut
)
def enroll(
    campaign_id: UUID, body: ParticipantCreate, container: ContainerDep, principal: Researcher
) -> ParticipantOut:
    enrollment_id, position = container.esm.enroll(
        principal.account_id,
        campaign_id,
        body.email,
        timezone=body.timezone,
        window_start=body.window_start,
        window_end=body.window_end,
    )
    _settle(container, position)
    return _participant(container, principal, campaign_id, enrollment_id)


def _participant(
    container: Container, principal: Principal, campaign_id: UUID, enrollment_id: UUID
) -> ParticipantOut:
    for row in ESMQueries(container.database).participants(principal.account_id, campaign_id):
        if row["id"] == enrollment_id:
            return ParticipantOut(**row)
    enrollment = container.esm.get_or_none(enrollment_id)
    return ParticipantOut(
        id=enrollment_id,
        campaign_id=campaign_id,
        timezone=enrollment.timezone,  # type: ignore[union-attr]
        window_start=enrollment.window_start,  # type: ignore[union-attr]
        window_end=enrollment.window_end,  # type: ignore[union-attr]
        status=enrollment.status,  # type: ignore[union-attr]
        enrolled_at=enrollment.enrolled_at,  # type: ignore[union-attr]
    )


@router.get("/campaigns/{campaign_id}/participants", response_model=ParticipantList)
def list_participants(
    campaign_id: UUID, container: ContainerDep, principal: Researcher
) -> ParticipantList:
    rows = ESMQueries(container.database).participants(principal.account_id, campaign_id)
    return ParticipantList(participants=[ParticipantOut(**row) for row in rows])


@router.delete("/campaigns/{campaign_id}/participants/{participant_id}", status_code=204)
def withdraw(
    campaign_id: UUID, participant_id: UUID, container: ContainerDep, principal: Researcher
) -> Response:
    position = container.esm.withdraw(principal.account_id, campaign_id, participant_id)
    _settle(container, position)
    return Response(status_code=204)


@router.get("/campaigns/{campaign_id}/prompts", response_model=PromptList)
def list_prompts(
    campaign_id: UUID,
    container: ContainerDep,
    principal: Researcher,
    participant: UUID | None = None,
    status: Annotated[
        Literal["scheduled", "sending", "sent", "answered", "expired", "cancelled"] | None,
        Query(),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> PromptList:
    rows = ESMQueries(container.database).prompts(
        principal.account_id, campaign_id, participant, status, limit, offset
    )
    return PromptList(prompts=[PromptOut(participant=r["participant_id"], **r) for r in rows])


@router.get("/campaigns/{campaign_id}/compliance", response_model=ComplianceReport)
def compliance(
    campaign_id: UUID, container: ContainerDep, principal: Researcher
) -> ComplianceReport:
    report = ESMQueries(container.database).compliance(principal.account_id, campaign_id)
    return ComplianceReport(**report)


@router.get(
    "/campaigns/{campaign_id}/responses",
    response_model=ResponseList,
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.apache.parquet": {
                    "schema": {"type": "string", "format": "binary"}
                },
                "application/x-spss-sav": {"schema": {"type": "string", "format": "binary"}},
            },
            "description": (
                "JSON by default; ?format=csv (wide: one row per response) or ?format=parquet;"
                " ?format=long (CSV, one row per prompt, missed ones included);"
                " ?format=sav (SPSS, the long rows with labels; see /codebook)"
            ),
        }
    },
)
def responses(
    campaign_id: UUID,
    container: ContainerDep,
    principal: Researcher,
    format: Literal["json", "csv", "parquet", "long", "sav"] = "json",
) -> Any:
    queries = ESMQueries(container.database)
    if format in ("long", "sav"):
        return _published(container, principal, campaign_id, format)
    if format == "csv":
        return Response(
            queries.responses_csv(principal.account_id, campaign_id),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{campaign_id}.csv"'},
        )
    if format == "parquet":
        return Response(
            queries.responses_parquet(principal.account_id, campaign_id),
            media_type="application/vnd.apache.parquet",
            headers={"Content-Disposition": f'attachment; filename="{campaign_id}.parquet"'},
        )
    rows = queries.responses(principal.account_id, campaign_id)
    return ResponseList(responses=[ResponseOut(**row) for row in rows])


def _published(
    container: Container, principal: Principal, campaign_id: UUID, format: str
) -> Response:
    publishing = PublishingQueries(container.database)
    if format == "long":
        return Response(
            publishing.long_csv(principal.account_id, campaign_id),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{campaign_id}-long.csv"'},
        )
    return Response(
        publishing.sav(principal.account_id, campaign_id),
        media_type="application/x-spss-sav",
        headers={"Content-Disposition": f'attachment; filename="{campaign_id}.sav"'},
    )
