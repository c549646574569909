import { useMutation, useQueryClient } from "@tanstack/react-query";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { CampaignOut } from "@/lib/api";
import {
  archiveCampaignMutation,
  completeCampaignMutation,
  launchCampaignMutation,
  pauseCampaignMutation,
  resumeCampaignMutation,
} from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { campaignScope, consoleQueries } from "../api";

type Step = "launch" | "pause" | "resume" | "complete" | "archive";

const STEPS: Record<Step, { label: string; title: string; says: string; destructive?: boolean }> = {
  launch: { label: "Launch", title: "Launch this campaign?", says: "Prompts are planned and emailed from now on. The questionnaire and the schedule can no longer change." },
  pause: { label: "Pause", title: "Pause this campaign?", says: "Prompts that come due while it is paused are cancelled; nothing is sent until you resume." },
  resume: { label: "Resume", title: "Resume this campaign?", says: "Planning and sending start again from now." },
  complete: { label: "Complete", title: "Complete this campaign?", says: "No more prompts are sent, for good. The data stays for analysis and export.", destructive: true },
  archive: { label: "Archive", title: "Archive this campaign?", says: "It leaves the active list; its events stay in the audit log.", destructive: true },
};

export const ALLOWED: Record<string, Step[]> = {
  draft: ["launch", "archive"],
  active: ["pause", "complete"],
  paused: ["resume", "complete"],
  completed: ["archive"],
  archived: [],
};

/** The lifecycle steps the campaign's status allows, each confirmed in a dialog. */
export function LifecycleActions({ campaign, only, disabledReason }: { campaign: CampaignOut; only?: Step[]; disabledReason?: string | null }) {
  const queryClient = useQueryClient();
  const options = { onSuccess: () => void queryClient.invalidateQueries(campaignScope(campaign.id)).then(() => queryClient.invalidateQueries({ queryKey: consoleQueries.campaignsKey() })) };
  const mutations = {
    launch: useMutation({ ...launchCampaignMutation(), ...options }),
    pause: useMutation({ ...pauseCampaignMutation(), ...options }),
    resume: useMutation({ ...resumeCampaignMutation(), ...options }),
    complete: useMutation({ ...completeCampaignMutation(), ...options }),
    archive: useMutation({ ...archiveCampaignMutation(), ...options }),
  };
  const steps = (ALLOWED[campaign.status] ?? []).filter((s) => !only || only.includes(s));
  const failed = Object.values(mutations).find((m) => m.isError);
  return (
    <div className="grid gap-1">
      <div className="flex flex-wrap gap-2">
        {steps.map((step) => {
          const s = STEPS[step];
          const blocked = step === "launch" && !!disabledReason;
          return (
            <ConfirmDialog
              key={step}
              title={s.title}
              description={s.says}
              confirm={s.label}
              destructive={s.destructive}
              onConfirm={() => mutations[step].mutate({ path: { campaign_id: campaign.id } })}
              trigger={
                <Button variant={step === "launch" || step === "resume" ? "default" : "outline"} size="sm" disabled={blocked || mutations[step].isPending} title={blocked ? disabledReason ?? undefined : undefined}>
                  {s.label}
                </Button>
              }
            />
          );
        })}
      </div>
      {failed && (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(failed.error)}
        </p>
      )}
    </div>
  );
}
