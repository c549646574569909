"""ESMpress data to publish: the codebook of a campaign's exports (JSON or CSV). The long
export and the `.sav` are formats of `GET /campaigns/{id}/responses` (interfaces/http/esm.py);
all three are built in application/esm/publishing.py."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from application.esm.publishing import PublishingQueries
from application.identity.service import Principal
from interfaces.http.deps import ContainerDep, require_role
from interfaces.http.errors import ERROR_RESPONSES

router = APIRouter(responses=ERROR_RESPONSES, tags=["esmpress"])
Researcher = Annotated[Principal, Depends(require_role("researcher"))]


class CodebookVariable(BaseModel):
    name: str = Field(description="The column (CSV, Parquet) or variable (.sav) name")
    label: str
    type: Literal[
        "string", "integer", "number", "date", "datetime", "boolean", "categorical", "multiple"
    ]
    measure: Literal["nominal", "ordinal", "scale"]
    value_labels: dict[str, str] | None = Field(
        None, description="value (a code, or an outcome) -> its meaning"
    )
    question: str | None = Field(None, description="The question id it holds the answer to")
    datasets: list[Literal["wide", "long", "sav"]] = Field(
        description="wide: ?format=csv|parquet; long: ?format=long; sav: ?format=sav"
    )


class Codebook(BaseModel):
    campaign_id: UUID
    name: str
    questionnaire_version: int
    quality: dict[str, Any] = Field(description="The quality flags' thresholds")
    questionnaires: list[dict[str, Any]] = Field(
        default_factory=list, description="Each questionnaire: id, name, its question ids"
    )
    notes: str
    variables: list[CodebookVariable]


@router.get(
    "/campaigns/{campaign_id}/codebook",
    response_model=Codebook,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "JSON by default; ?format=csv",
        }
    },
)
def campaign_codebook(
    campaign_id: UUID,
    container: ContainerDep,
    principal: Researcher,
    format: Literal["json", "csv"] = "json",
) -> Any:
    """Every variable of the exports: name, label, type, measure, value labels."""
    publishing = PublishingQueries(container.database)
    if format == "csv":
        return Response(
            publishing.codebook_csv(principal.account_id, campaign_id),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{campaign_id}-codebook.csv"'},
        )
    return Codebook(**publishing.codebook(principal.account_id, campaign_id))
