import { describe, expect, it } from "vitest";

import type { WatchlistItem } from "@/lib/api";

import { arrange } from "./arrange";

function item(tmdb_id: number, over: Partial<WatchlistItem> = {}): WatchlistItem {
  return {
    tmdb_id,
    title: `Film ${tmdb_id}`,
    year: 2000 + tmdb_id,
    poster_url: null,
    status: "to_watch",
    rating: null,
    added_at: `2026-01-0${tmdb_id}T00:00:00Z`,
    metadata: "ready",
    availability: [],
    ...over,
  };
}

describe("arrange", () => {
  const items = [
    item(1, { status: "watched", rating: 9, title: "Zebra" }),
    item(2, { availability: [{ service: "netflix", type: "stream", region: "PL", url: null }] }),
    item(3, { availability: [{ service: "netflix", type: "rent", region: "PL", url: null }], title: "alpha" }),
  ];
  it("filters by status and by streaming on my services (not renting)", () => {
    expect(arrange(items, "watched", "added", []).map((i) => i.tmdb_id)).toEqual([1]);
    expect(arrange(items, "to_watch", "added", []).map((i) => i.tmdb_id)).toEqual([3, 2]);
    expect(arrange(items, "available", "added", ["netflix"]).map((i) => i.tmdb_id)).toEqual([2]);
    expect(arrange(items, "available", "added", ["hbomax"])).toEqual([]);
  });
  it("sorts by added, year, title and rating", () => {
    expect(arrange(items, "all", "added", []).map((i) => i.tmdb_id)).toEqual([3, 2, 1]);
    expect(arrange(items, "all", "year", []).map((i) => i.tmdb_id)).toEqual([3, 2, 1]);
    expect(arrange(items, "all", "title", []).map((i) => i.title)).toEqual(["alpha", "Film 2", "Zebra"]);
    expect(arrange(items, "all", "rating", [])[0].tmdb_id).toBe(1);
  });
});
