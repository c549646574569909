// How the participant table orders its rows: who needs a look first.
import type { ParticipantRow } from "@/lib/api";

export type SortKey = "compliance" | "last_answer" | "latency" | "enrolled";

export const SORTS: { key: SortKey; label: string }[] = [
  { key: "compliance", label: "Compliance, lowest first" },
  { key: "last_answer", label: "Last answer, oldest first" },
  { key: "latency", label: "Median latency, slowest first" },
  { key: "enrolled", label: "Enrolled, newest first" },
];

/** Rows without a figure (nothing sent yet, never answered) come last, except for
 *  "last answer", where never having answered is the oldest of all. */
export function sortRows(rows: readonly ParticipantRow[], key: SortKey): ParticipantRow[] {
  const last = Number.POSITIVE_INFINITY;
  const value = (r: ParticipantRow): number => {
    switch (key) {
      case "compliance":
        return r.response_rate ?? last;
      case "last_answer":
        return r.last_answer_at ? Date.parse(r.last_answer_at) : Number.NEGATIVE_INFINITY;
      case "latency":
        return r.median_latency_seconds == null ? last : -r.median_latency_seconds;
      case "enrolled":
        return -Date.parse(r.enrolled_at);
    }
  };
  return [...rows].sort((a, b) => value(a) - value(b) || a.id.localeCompare(b.id));
}
