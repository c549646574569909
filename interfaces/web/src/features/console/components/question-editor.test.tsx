import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { newQuestion, type Question } from "../lib/questions";
import { QuestionEditor } from "./question-editor";

function Harness({ start }: { start: Question[] }) {
  const [questions, setQuestions] = useState(start);
  return (
    <>
      <QuestionEditor questions={questions} onChange={setQuestions} />
      <output aria-label="ids">{questions.map((q) => q.id).join(",")}</output>
    </>
  );
}

describe("QuestionEditor", () => {
  it("adds a question of the chosen type, reorders and removes by button", async () => {
    const user = userEvent.setup();
    render(<Harness start={[{ ...newQuestion("likert", []), text: "Mood?" }]} />);
    await user.selectOptions(screen.getByLabelText("New question type"), "single_choice");
    await user.click(screen.getByRole("button", { name: "Add question" }));
    const second = screen.getByRole("group", { name: "Question 2" });
    expect(within(second).getByLabelText("Type")).toHaveValue("single_choice");
    expect(screen.getByLabelText("ids")).toHaveTextContent("likert1,single1");
    await user.click(screen.getByRole("button", { name: "Move Question 2 up" }));
    expect(screen.getByLabelText("ids")).toHaveTextContent("single1,likert1");
    expect(screen.getByRole("button", { name: "Move Question 1 up" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Remove Question 2" }));
    expect(screen.getByLabelText("ids")).toHaveTextContent("single1");
    expect(screen.getByRole("button", { name: "Remove Question 1" })).toBeDisabled();
  });

  it("says what the API would refuse, next to the question", async () => {
    const user = userEvent.setup();
    render(<Harness start={[{ ...newQuestion("slider", []), text: "Energy" }]} />);
    const first = screen.getByRole("group", { name: "Question 1" });
    expect(screen.queryByRole("list", { name: "Problems in Question 1" })).toBeNull();
    await user.clear(within(first).getByLabelText("Maximum"));
    await user.type(within(first).getByLabelText("Maximum"), "-5");
    expect(screen.getByRole("list", { name: "Problems in Question 1" })).toHaveTextContent("Needs min < max");
    await user.clear(within(first).getByLabelText("Column id"));
    await user.type(within(first).getByLabelText("Column id"), "1st");
    expect(screen.getByRole("list", { name: "Problems in Question 1" })).toHaveTextContent("must start with a letter");
  });
});
