import { describe, expect, it } from "vitest";

import type { ParticipantRow } from "@/lib/api";

import { sortRows } from "./participants";

const row = (id: string, patch: Partial<ParticipantRow>): ParticipantRow => ({
  id,
  display_status: "active",
  source: "researcher",
  timezone: "UTC",
  window_start: null,
  window_end: null,
  enrolled_at: "2026-06-01T00:00:00Z",
  confirmed_at: null,
  consent_version: null,
  paused_until: null,
  scheduled: 0,
  sent: 0,
  answered: 0,
  expired: 0,
  response_rate: null,
  last_answer_at: null,
  median_latency_seconds: null,
  delivery_problem: null,
  ...patch,
});

describe("participant table order", () => {
  const rows = [
    row("a", { response_rate: 0.9, last_answer_at: "2026-06-03T10:00:00Z", median_latency_seconds: 60 }),
    row("b", { response_rate: null }),
    row("c", { response_rate: 0.2, last_answer_at: "2026-06-02T10:00:00Z", median_latency_seconds: 600, enrolled_at: "2026-06-02T00:00:00Z" }),
  ];
  it("puts the lowest compliance first and those with nothing sent last", () => {
    expect(sortRows(rows, "compliance").map((r) => r.id)).toEqual(["c", "a", "b"]);
  });
  it("puts those who never answered before the oldest answer", () => {
    expect(sortRows(rows, "last_answer").map((r) => r.id)).toEqual(["b", "c", "a"]);
  });
  it("puts the slowest first, the newest enrollment first", () => {
    expect(sortRows(rows, "latency").map((r) => r.id)).toEqual(["c", "a", "b"]);
    expect(sortRows(rows, "enrolled")[0]!.id).toBe("c");
  });
});
