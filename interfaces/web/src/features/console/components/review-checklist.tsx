import { useQuery } from "@tanstack/react-query";
import { CircleAlert, CircleCheck, CircleX, Info } from "lucide-react";

import { Alert } from "@/components/ui/alert";
import type { CampaignOut } from "@/lib/api";
import { errorMessage } from "@/lib/http-error";

import { consoleQueries } from "../api";
import { LifecycleActions } from "./lifecycle-actions";

const ICONS = {
  ok: <CircleCheck aria-hidden="true" className="size-4 text-emerald-600" />,
  info: <Info aria-hidden="true" className="size-4 text-sky-600" />,
  warning: <CircleAlert aria-hidden="true" className="size-4 text-amber-600" />,
  error: <CircleX aria-hidden="true" className="size-4 text-destructive" />,
};

/** The server's review before Launch (burden, dates, zones, sender, links), then Launch. */
export function ReviewChecklist({ campaign, unsaved }: { campaign: CampaignOut; unsaved: boolean }) {
  const { data, isError, error } = useQuery({ ...consoleQueries.checklist(campaign.id), refetchOnMount: "always" });
  const reason = unsaved ? "Save the draft first: the review and the launch use the saved campaign." : data && !data.ready ? "Fix the errors in the review first." : null;
  return (
    <section aria-labelledby="review-heading" className="grid gap-3">
      <h2 id="review-heading" className="text-lg font-semibold">
        Review before launch
      </h2>
      {isError && <Alert variant="destructive">{errorMessage(error)}</Alert>}
      {unsaved && <p className="rounded-md border border-amber-400 p-2 text-sm">You have unsaved changes: this review is of the saved draft.</p>}
      <ul className="grid gap-2" aria-label="Checklist">
        {data?.items.map((item) => (
          <li key={item.key} className="flex items-start gap-2 rounded-md border p-2 text-sm">
            {ICONS[item.level]}
            <span>
              <span className="sr-only">{item.level}: </span>
              {item.message}
            </span>
          </li>
        ))}
      </ul>
      {data && <p className="text-sm font-medium">{data.ready ? "Ready to launch." : "Not ready: an item above is an error."}</p>}
      <LifecycleActions campaign={campaign} only={["launch"]} disabledReason={reason} />
      {reason && <p className="text-xs text-muted-foreground">{reason}</p>}
    </section>
  );
}
