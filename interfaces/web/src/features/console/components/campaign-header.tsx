import { NavLink } from "react-router";

import type { CampaignOut } from "@/lib/api";
import { cn } from "@/lib/utils";

import { calendarDate } from "../lib/format";
import { LifecycleActions } from "./lifecycle-actions";
import { StatusBadge } from "./status-badge";

const SECTIONS = [
  { to: "build", label: "Design" },
  { to: "participants", label: "Participants" },
  { to: "compliance", label: "Compliance" },
  { to: "data", label: "Data" },
];

/** The campaign's name, status, dates, lifecycle actions and its sections. */
export function CampaignHeader({ campaign }: { campaign: CampaignOut }) {
  return (
    <header className="grid gap-3">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold">{campaign.name}</h1>
            <StatusBadge status={campaign.status} />
          </div>
          <p className="text-sm text-muted-foreground">
            {calendarDate(campaign.start_date)} – {calendarDate(campaign.end_date)} · {campaign.timezone} · questionnaire v{campaign.questionnaire_version}
          </p>
        </div>
        <LifecycleActions campaign={campaign} only={campaign.status === "draft" ? ["archive"] : undefined} />
      </div>
      <nav aria-label="Campaign sections" className="-mx-1 overflow-x-auto">
        <ul className="flex gap-1 border-b px-1">
          {[...SECTIONS.map((s) => ({ ...s, to: `/console/campaigns/${campaign.id}/${s.to}` })), { to: `/console/audit/${campaign.id}`, label: "Audit" }].map((s) => (
            <li key={s.to}>
              <NavLink
                to={s.to}
                className={({ isActive }) => cn("-mb-px inline-block border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap", isActive ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:text-foreground")}
              >
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
