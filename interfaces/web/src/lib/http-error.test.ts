import { describe, expect, it } from "vitest";

import { errorMessage } from "./http-error";

describe("errorMessage", () => {
  it("reads the API's detail string", () => {
    expect(errorMessage({ detail: "this title is already on your watchlist" })).toBe("this title is already on your watchlist");
  });
  it("joins FastAPI's validation list by field", () => {
    expect(errorMessage({ detail: [{ loc: ["body", "rating"], msg: "Input should be less than or equal to 10" }] })).toBe(
      "rating: Input should be less than or equal to 10",
    );
  });
  it("falls back when the body says nothing", () => {
    expect(errorMessage(undefined, "nope")).toBe("nope");
  });
});
