import { describe, expect, it } from "vitest";

import { moved, parseTags } from "./reorder";

describe("moved", () => {
  it("moves an item up, down, and keeps the rest in order", () => {
    expect(moved(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(moved(["a", "b", "c"], 0, 2)).toEqual(["b", "c", "a"]);
    expect(moved(["a", "b", "c"], 1, 1)).toEqual(["a", "b", "c"]);
  });
  it("clamps a target past either end and ignores an unknown source", () => {
    expect(moved(["a", "b"], 0, 9)).toEqual(["b", "a"]);
    expect(moved(["a", "b"], 1, -4)).toEqual(["b", "a"]);
    expect(moved(["a", "b"], 5, 0)).toEqual(["a", "b"]);
  });
});

describe("parseTags", () => {
  it("splits on commas, tidies and de-duplicates", () => {
    expect(parseTags(" Date  night, comfort,,date night ")).toEqual(["date night", "comfort"]);
    expect(parseTags("")).toEqual([]);
  });
});
