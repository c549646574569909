import { Navigate, useParams } from "react-router";

import { CampaignBuilder, CampaignFrame, ComplianceMonitor, ParticipantsPage, ParticipantTimeline, ResponsesGrid } from "@/features/console";

/** /console/campaigns/:campaignId/:section(/:participantId): one campaign's sections. */
export function Component() {
  const { campaignId = "", section = "", participantId } = useParams();
  if (!section) return <Navigate to="build" replace />;
  return (
    <CampaignFrame key={campaignId} campaignId={campaignId}>
      {(campaign) => {
        if (section === "build") return <CampaignBuilder key={campaign.status} campaign={campaign} />;
        if (section === "participants" && participantId) return <ParticipantTimeline campaignId={campaign.id} participantId={participantId} live={["active", "paused"].includes(campaign.status)} />;
        if (section === "participants") return <ParticipantsPage campaign={campaign} />;
        if (section === "compliance") return <ComplianceMonitor campaignId={campaign.id} />;
        if (section === "data") return <ResponsesGrid campaign={campaign} />;
        return <Navigate to={`/console/campaigns/${campaign.id}/build`} replace />;
      }}
    </CampaignFrame>
  );
}
