export { AuditableCampaigns, CampaignAudit } from "./components/audit-pages";
export { CampaignBuilder } from "./components/campaign-builder";
export { CampaignFrame } from "./components/campaign-frame";
export { CampaignList } from "./components/campaign-list";
export { ComplianceMonitor } from "./components/compliance-monitor";
export { ParticipantTimeline } from "./components/participant-timeline";
export { ParticipantsPage } from "./components/participants-page";
export { ResponsesGrid } from "./components/responses-grid";
