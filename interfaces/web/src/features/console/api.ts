// The console's server state: the generated TanStack Query options, one place for keys.
import {
  auditableCampaignsOptions,
  campaignChecklistOptions,
  campaignHistoryOptions,
  campaignMonitorOptions,
  campaignStateOptions,
  getCampaignOptions,
  getCampaignQueryKey,
  listCampaignsOptions,
  listCampaignsQueryKey,
  participantTableOptions,
  participantTimelineOptions,
  responsesOptions,
} from "@/lib/api/@tanstack/react-query.gen";

const LIVE = 5_000; // ms between refreshes of a running campaign's figures

type Status = { state: { data?: { campaign_status?: string } } };
const whileRunning = (q: Status) => (q.state.data && ["active", "paused"].includes(q.state.data.campaign_status ?? "") ? LIVE : false);

export const consoleQueries = {
  campaigns: () => listCampaignsOptions(),
  campaignsKey: () => listCampaignsQueryKey(),
  campaign: (id: string) => getCampaignOptions({ path: { campaign_id: id } }),
  campaignKey: (id: string) => getCampaignQueryKey({ path: { campaign_id: id } }),
  checklist: (id: string) => campaignChecklistOptions({ path: { campaign_id: id } }),
  participants: (id: string, live = false) => ({
    ...participantTableOptions({ path: { campaign_id: id } }),
    refetchInterval: live ? LIVE : (false as const),
  }),
  timeline: (id: string, participant: string, live = false) => ({
    ...participantTimelineOptions({ path: { campaign_id: id, participant_id: participant } }),
    refetchInterval: live ? LIVE : (false as const),
  }),
  monitor: (id: string, offset = 0, limit = 50) => ({
    ...campaignMonitorOptions({ path: { campaign_id: id }, query: { offset, limit } }),
    refetchInterval: whileRunning,
  }),
  responses: (id: string) => responsesOptions({ path: { campaign_id: id } }),
  auditable: () => auditableCampaignsOptions(),
  history: (id: string, after: number | null) => campaignHistoryOptions({ path: { campaign_id: id }, query: { after, limit: 200 } }),
  state: (id: string, asOf: string | null) => campaignStateOptions({ path: { campaign_id: id }, query: { as_of: asOf } }),
};

/** Every query of one campaign (after a command changed it). */
export function campaignScope(id: string) {
  return { predicate: (q: { queryKey: readonly unknown[] }) => JSON.stringify(q.queryKey).includes(id) };
}
