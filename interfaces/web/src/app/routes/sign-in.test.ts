import { describe, expect, it } from "vitest";

import { safeNext } from "./sign-in";

describe("safeNext", () => {
  it("keeps paths inside the app and refuses other sites", () => {
    expect(safeNext("/title/5")).toBe("/title/5");
    expect(safeNext("//evil.example/x")).toBe("/watchlist");
    expect(safeNext("https://evil.example")).toBe("/watchlist");
    expect(safeNext(null)).toBe("/watchlist");
  });
});
