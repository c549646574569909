import { lazy, Suspense } from "react";

import type { CampaignOut } from "@/lib/api";

import { BulkEnroll } from "./bulk-enroll";
import { ParticipantTable } from "./participant-table";
import { SelfEnrollment } from "./self-enrollment";

// The form's Zod schemas load with it, not with every console page.
const EnrollOne = lazy(() => import("./enroll-one").then((m) => ({ default: m.EnrollOne })));

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  const id = `panel-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="grid content-start gap-3 rounded-lg border bg-card p-4">
      <h2 id={id} className="font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Who takes part, and the three ways in: one by one, a CSV, the join page. */
export function ParticipantsPage({ campaign }: { campaign: CampaignOut }) {
  const closed = ["completed", "archived"].includes(campaign.status);
  return (
    <div className="grid gap-5">
      <ParticipantTable campaign={campaign} />
      {!closed && (
        <div className="grid gap-4 lg:grid-cols-3">
          <Panel title="Enroll one">
            <Suspense fallback={<p className="text-sm text-muted-foreground">Loading…</p>}>
              <EnrollOne campaignId={campaign.id} timezone={campaign.timezone} />
            </Suspense>
          </Panel>
          <Panel title="Enroll from a CSV">
            <BulkEnroll campaignId={campaign.id} />
          </Panel>
          <Panel title="Self-enrollment">
            <SelfEnrollment campaign={campaign} />
          </Panel>
        </div>
      )}
    </div>
  );
}
