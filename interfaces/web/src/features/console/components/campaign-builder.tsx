import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Tabs } from "radix-ui";
import { useEffect, useState } from "react";
import { useBlocker } from "react-router";

import { Button } from "@/components/ui/button";
import type { CampaignOut } from "@/lib/api";
import { patchCampaignMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";
import { cn } from "@/lib/utils";

import { campaignScope, consoleQueries } from "../api";
import { definitionBody, type Draft, draftOf, same } from "../lib/draft";
import { questionProblems } from "../lib/questions";
import { DetailsForm } from "./details-form";
import { PhonePreview } from "./phone-preview";
import { PreviewCalendar } from "./preview-calendar";
import { QuestionEditor } from "./question-editor";
import { QuestionSummary } from "./question-summary";
import { ReviewChecklist } from "./review-checklist";
import { ScheduleEditor } from "./schedule-editor";

const TAB = "rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground data-[state=active]:bg-background data-[state=active]:text-foreground data-[state=active]:shadow-sm focus-visible:ring-[3px] focus-visible:ring-ring/60 focus-visible:outline-none";

/** Asks before leaving the builder (in the app or the tab) with unsaved changes. */
function useLeaveGuard(active: boolean) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => active && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm("Leave without saving? Your changes to this draft will be lost.")) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
  useEffect(() => {
    if (!active) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [active]);
}

/** The draft's definition in four steps; a launched campaign shows it read-only. */
export function CampaignBuilder({ campaign }: { campaign: CampaignOut }) {
  const saved = draftOf(campaign);
  const [draft, setDraft] = useState<Draft>(saved);
  const [said, setSaid] = useState("");
  const queryClient = useQueryClient();
  const readOnly = campaign.status !== "draft";
  const unsaved = !same(definitionBody(draft), definitionBody(saved));
  const change = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const save = useMutation({
    ...patchCampaignMutation(),
    onSuccess: (updated) => {
      queryClient.setQueryData(consoleQueries.campaignKey(campaign.id), updated);
      setDraft(draftOf(updated));
      setSaid("Draft saved.");
      void queryClient.invalidateQueries(campaignScope(campaign.id));
    },
    onError: (error) => setSaid(errorMessage(error)),
  });
  useLeaveGuard(unsaved && !readOnly);
  const ids = draft.questions.map((q) => q.id);
  const questionErrors = draft.questions.some((q) => questionProblems(q, ids).length > 0);
  return (
    <Tabs.Root defaultValue={readOnly ? "questions" : "details"} className="grid gap-4">
      <div className="sticky top-0 z-10 flex flex-wrap items-center justify-between gap-2 bg-background/95 py-2 backdrop-blur">
        <Tabs.List aria-label="Campaign builder steps" className="inline-flex flex-wrap gap-1 rounded-lg bg-muted p-1">
          <Tabs.Trigger value="details" className={TAB}>
            Details
          </Tabs.Trigger>
          <Tabs.Trigger value="questions" className={TAB}>
            Questions
          </Tabs.Trigger>
          <Tabs.Trigger value="schedule" className={TAB}>
            Schedule
          </Tabs.Trigger>
          {!readOnly && (
            <Tabs.Trigger value="review" className={TAB}>
              Review
            </Tabs.Trigger>
          )}
        </Tabs.List>
        {!readOnly && (
          <div className="flex items-center gap-2">
            <p role="status" aria-live="polite" className={cn("text-sm", save.isError ? "text-destructive" : "text-muted-foreground")}>
              {unsaved ? "Unsaved changes" : said}
            </p>
            <Button disabled={!unsaved || save.isPending || questionErrors} onClick={() => save.mutate({ path: { campaign_id: campaign.id }, body: definitionBody(draft) })}>
              Save draft
            </Button>
          </div>
        )}
      </div>
      {save.isError && (
        <p role="alert" className="rounded-md border border-destructive p-2 text-sm text-destructive">
          {errorMessage(save.error)}
        </p>
      )}
      {readOnly && <p className="text-sm text-muted-foreground">The definition is fixed once a campaign is launched: participants all answer the same questions on the same schedule. Duplicate it to change something.</p>}
      <fieldset disabled={readOnly} className="contents">
        <Tabs.Content value="details" className="max-w-2xl">
          <DetailsForm draft={draft} onChange={change} />
        </Tabs.Content>
        <Tabs.Content value="questions" className="grid items-start gap-6 lg:grid-cols-[1fr_320px]">
          {readOnly ? <QuestionSummary questions={draft.questions} /> : <QuestionEditor questions={draft.questions} onChange={(questions) => change({ questions })} />}
          <div className="lg:sticky lg:top-16 lg:self-start">
            <PhonePreview name={draft.name} description={draft.description} questions={draft.questions} />
          </div>
        </Tabs.Content>
        <Tabs.Content value="schedule" className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
          <ScheduleEditor draft={draft} onChange={change} />
          <PreviewCalendar draft={draft} />
        </Tabs.Content>
      </fieldset>
      {!readOnly && (
        <Tabs.Content value="review" className="max-w-2xl">
          <ReviewChecklist campaign={campaign} unsaved={unsaved} />
        </Tabs.Content>
      )}
    </Tabs.Root>
  );
}
