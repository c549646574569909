import { describe, expect, it } from "vitest";

import { passwordRules } from "./password-rules";

describe("passwordRules", () => {
  it("marks each rule met or not", () => {
    expect(passwordRules("short", "").map((r) => r.ok)).toEqual([false, true, true]);
    expect(passwordRules("ada@example.com", "Ada@example.com ").map((r) => r.ok)).toEqual([true, false, true]);
    expect(passwordRules("          ", "").map((r) => r.ok)).toEqual([true, true, false]);
  });
});
