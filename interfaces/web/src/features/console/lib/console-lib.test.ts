import { describe, expect, it } from "vitest";

import { previewCsv, splitLine } from "./csv";
import { parseTimes } from "./draft";
import { heatLabel, heatLevel, visibleDays } from "./heatmap";
import { move, newQuestion, questionProblems, toPayload, withType } from "./questions";

describe("heatmap binning", () => {
  it("puts days with nothing sent apart from days with nothing answered", () => {
    expect(heatLevel(0, 0)).toBe("none");
    expect(heatLevel(3, 0)).toBe(0);
  });
  it("bins the response rate into four levels above zero", () => {
    expect(heatLevel(4, 1)).toBe(1);
    expect(heatLevel(4, 2)).toBe(2);
    expect(heatLevel(4, 3)).toBe(3);
    expect(heatLevel(4, 4)).toBe(4);
    expect(heatLevel(2, 5)).toBe(4); // never above all
  });
  it("says each cell in words", () => {
    expect(heatLabel("2026-06-10", 4, 3)).toBe("2026-06-10: 3 of 4 answered (75%)");
    expect(heatLabel("2026-06-10", 0, 0)).toBe("2026-06-10: nothing sent");
  });
  it("shows the latest days of a long study", () => {
    expect(visibleDays(["a", "b", "c"], 2)).toEqual(["b", "c"]);
    expect(visibleDays(["a"], 2)).toEqual(["a"]);
  });
});

describe("CSV preview", () => {
  it("reads a header, semicolons and quoted cells", () => {
    const out = previewCsv('email;timezone\n"ada@example.com";Europe/Warsaw\nnot-an-email;UTC\n\n');
    expect(out.delimiter).toBe(";");
    expect(out.header).toEqual(["email", "timezone"]);
    expect(out.rows).toBe(2);
    expect(out.problems).toEqual([{ line: 3, error: "not an email address" }]);
  });
  it("takes one address a line without a header, and names unknown columns", () => {
    expect(previewCsv("a@example.com\nb@example.com").rows).toBe(2);
    expect(previewCsv("email,colour\na@example.com,red").problems).toEqual([{ line: 1, error: "unknown column 'colour'" }]);
  });
  it("keeps doubled quotes inside a quoted cell", () => {
    expect(splitLine('"say ""hi""",x', ",")).toEqual(['say "hi"', "x"]);
  });
});

describe("questionnaire editing", () => {
  it("gives new questions unused ids and the type's defaults", () => {
    const q = newQuestion("likert", ["likert1"]);
    expect(q.id).toBe("likert2");
    expect(q.points).toBe(5);
    expect(newQuestion("single_choice", []).options).toEqual(["", ""]);
  });
  it("finds what the API would refuse", () => {
    const q = { ...newQuestion("slider", []), text: "Energy", min: 10, max: 5 };
    expect(questionProblems(q, [q.id])).toEqual(["Needs min < max and 0 < step ≤ max − min."]);
    const choice = { ...newQuestion("single_choice", []), text: "With?", options: ["a", "a"] };
    expect(questionProblems(choice, [choice.id, choice.id])).toEqual([`The id '${choice.id}' is used twice.`, "Options must differ."]);
    expect(questionProblems({ ...newQuestion("text", []), id: "9x", text: "x" }, ["9x"])).toHaveLength(1);
  });
  it("sends only the settings of the question's type", () => {
    const changed = withType({ ...newQuestion("slider", []), text: "Mood" }, "text");
    expect(toPayload(changed)).toEqual({ id: "slider1", type: "text", text: "Mood", required: true, max_length: 500 });
    const likert = toPayload({ ...newQuestion("likert", []), text: "x", labels: ["", " low ", "high"] });
    expect(likert.labels).toEqual(["low", "high"]);
  });
  it("reorders without losing a question", () => {
    expect(move(["a", "b", "c"], 2, 1)).toEqual(["a", "c", "b"]);
    expect(move(["a", "b"], 0, -1)).toEqual(["a", "b"]);
  });
  it("reads fixed times as a person types them", () => {
    expect(parseTimes("8:00, 13:30  20:00;")).toEqual(["08:00", "13:30", "20:00"]);
  });
});
