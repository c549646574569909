// The campaign definition the builder edits (unsaved until "Save draft"), and the bodies it
// sends: PATCH for the draft, the simulate and survey-preview bodies for the live previews.
import type { CampaignOut, Schedule } from "@/lib/api";

import { fromStored, type Question, toPayload } from "./questions";

export type Draft = {
  name: string;
  description: string;
  timezone: string;
  start_date: string;
  end_date: string;
  expiry_minutes: number;
  completion_minutes: number;
  /** Minutes after sending, up to 3, rising. */
  reminders: number[];
  questions: Question[];
  schedule: Schedule;
};

export function draftOf(campaign: CampaignOut): Draft {
  return {
    name: campaign.name,
    description: campaign.description,
    timezone: campaign.timezone,
    start_date: campaign.start_date,
    end_date: campaign.end_date,
    expiry_minutes: campaign.expiry_minutes,
    completion_minutes: campaign.completion_minutes,
    reminders: campaign.reminders?.length ? campaign.reminders.map((r) => r.after_minutes) : campaign.reminder_after_minutes ? [campaign.reminder_after_minutes] : [],
    questions: fromStored(campaign.questionnaire),
    schedule: { ...(campaign.schedule as Schedule) },
  };
}

/** The schedule with only the fields its kind uses. */
export function schedulePayload(s: Schedule): Schedule {
  const base = { kind: s.kind, window_start: s.window_start ?? "09:00", window_end: s.window_end ?? "21:00" };
  if (s.kind === "fixed") return { ...base, times: (s.times ?? []).filter(Boolean) };
  if (s.kind === "interval") return { ...base, every_minutes: s.every_minutes ?? 60 };
  return { ...base, prompts_per_day: s.prompts_per_day ?? 4, min_gap_minutes: s.min_gap_minutes ?? 0 };
}

export function definitionBody(d: Draft) {
  return {
    name: d.name.trim(),
    description: d.description,
    timezone: d.timezone,
    start_date: d.start_date,
    end_date: d.end_date,
    expiry_minutes: d.expiry_minutes,
    completion_minutes: d.completion_minutes,
    reminders: d.reminders.map((after_minutes) => ({ after_minutes })),
    questionnaire: { questions: d.questions.map(toPayload) },
    schedule: schedulePayload(d.schedule),
  };
}

/** "20, 40" -> [20, 40]: reminder offsets as a person types them. */
export function parseMinutes(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isFinite(n))
    .map(Math.trunc);
}

/** "08:00, 13:30 20:00" -> ["08:00", "13:30", "20:00"] (a loose list a person types). */
export function parseTimes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => (/^\d:\d\d$/.test(t) ? `0${t}` : t));
}

export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
