import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import type { CampaignOut, ParticipantRow } from "@/lib/api";
import { withdrawMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { campaignScope, consoleQueries } from "../api";
import { dateTime, duration, percent, shortId } from "../lib/format";
import { type SortKey, SORTS, sortRows } from "../lib/participants";
import { StatusBadge } from "./status-badge";

function Withdraw({ campaignId, row }: { campaignId: string; row: ParticipantRow }) {
  const queryClient = useQueryClient();
  const withdraw = useMutation({ ...withdrawMutation(), onSuccess: () => void queryClient.invalidateQueries(campaignScope(campaignId)) });
  if (["withdrawn", "erased"].includes(row.display_status)) return null;
  return (
    <ConfirmDialog
      title={`Withdraw ${shortId(row.id)}?`}
      description="Their scheduled prompts are cancelled at once and no more email is sent. Their answers so far stay in the data."
      confirm="Withdraw"
      destructive
      onConfirm={() => withdraw.mutate({ path: { campaign_id: campaignId, participant_id: row.id } })}
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Withdraw participant ${shortId(row.id)}`} disabled={withdraw.isPending}>
          Withdraw
        </Button>
      }
    />
  );
}

/** Every participant with status, zone, window and compliance; a link to each timeline. */
export function ParticipantTable({ campaign }: { campaign: CampaignOut }) {
  const live = ["active", "paused"].includes(campaign.status);
  const { data, isPending, isError, error } = useQuery(consoleQueries.participants(campaign.id, live));
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<SortKey>("compliance");
  const rows = sortRows((data?.participants ?? []).filter((r) => !filter || r.id.startsWith(filter.trim()) || r.display_status === filter.trim()), sort);
  if (isPending) return <Skeleton className="h-32" />;
  if (isError) return <Alert variant="destructive">{errorMessage(error)}</Alert>;
  if (!data.participants.length) return <p className="rounded-lg border border-dashed p-6 text-center text-muted-foreground">No participant yet: enroll them below, or open the join page.</p>;
  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap gap-2">
        <Input aria-label="Filter participants by pseudonym or status" className="max-w-xs" placeholder="Filter: pseudonym or status" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <NativeSelect aria-label="Sort participants" className="w-auto" value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
          {SORTS.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="overflow-x-auto rounded-lg border">
        <table className="w-full min-w-[760px] text-left text-sm">
          <caption className="sr-only">Participants ({data.participants.length})</caption>
          <thead className="bg-muted/50 text-xs text-muted-foreground">
            <tr>
              {["Pseudonym", "Status", "Time zone", "Window", "Compliance", "Last answer", "Median latency", ""].map((h, i) => (
                <th key={i} scope="col" className="px-3 py-2 font-medium">
                  {h || <span className="sr-only">Actions</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t">
                <td className="px-3 py-2 font-mono">
                  <Link to={`/console/campaigns/${campaign.id}/participants/${r.id}`} className="underline underline-offset-4" aria-label={`Timeline of participant ${shortId(r.id)}`}>
                    {shortId(r.id)}
                  </Link>
                  {r.source === "self" && <span className="ml-1 text-xs text-muted-foreground">self</span>}
                </td>
                <td className="px-3 py-2">
                  <StatusBadge status={r.display_status} />
                  {r.delivery_problem && <span className="block text-xs text-destructive">{r.delivery_problem}</span>}
                </td>
                <td className="px-3 py-2">{r.timezone}</td>
                <td className="px-3 py-2 whitespace-nowrap">{r.window_start && r.window_end ? `${r.window_start}–${r.window_end}` : "campaign's"}</td>
                <td className="px-3 py-2">
                  {percent(r.response_rate)} <span className="text-xs text-muted-foreground">({r.answered}/{r.sent})</span>
                </td>
                <td className="px-3 py-2 whitespace-nowrap">{dateTime(r.last_answer_at)}</td>
                <td className="px-3 py-2">{duration(r.median_latency_seconds)}</td>
                <td className="px-3 py-2 text-right">
                  <Withdraw campaignId={campaign.id} row={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
