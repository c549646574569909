import { describe, expect, it } from "vitest";

import { formatCents, titleList } from "./money";

describe("formatCents", () => {
  it("shows cents as money in the currency", () => {
    expect(formatCents(2398, "EUR", "en-GB")).toBe("€23.98");
    expect(formatCents(0, "USD", "en-US")).toBe("$0.00");
  });
});

describe("titleList", () => {
  const t = (title: string, tmdb_id = 1) => ({ title, tmdb_id });
  it("names a few titles and counts the rest", () => {
    expect(titleList([t("Heat")])).toBe("Heat");
    expect(titleList([t("Heat"), t("Alien")])).toBe("Heat and Alien");
    expect(titleList([t("A"), t("B"), t("C"), t("D"), t("E")])).toBe("A, B, C and 2 more");
  });
  it("names an unenriched title by its id", () => {
    expect(titleList([{ title: null, tmdb_id: 7 }])).toBe("Film #7");
  });
});
