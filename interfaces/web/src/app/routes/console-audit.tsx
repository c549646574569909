import { useParams } from "react-router";

import { AuditableCampaigns, CampaignAudit } from "@/features/console";

export function Component() {
  const { campaignId } = useParams();
  return campaignId ? <CampaignAudit key={campaignId} campaignId={campaignId} /> : <AuditableCampaigns />;
}
