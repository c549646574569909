// The questionnaire as the editor holds it, and the checks the API makes (mirrored so a
// researcher sees a problem as they type; the API's 422 stays the authority).
import type { QuestionInput } from "@/lib/api";

export type QuestionType = QuestionInput["type"];
export type Question = QuestionInput;

export const QUESTION_TYPES: { type: QuestionType; label: string }[] = [
  { type: "likert", label: "Likert scale" },
  { type: "slider", label: "Slider" },
  { type: "single_choice", label: "Single choice" },
  { type: "multi_choice", label: "Multiple choice" },
  { type: "number", label: "Number" },
  { type: "text", label: "Free text" },
];

const ID = /^[A-Za-z][A-Za-z0-9_]*$/;

export function typeLabel(type: string): string {
  return QUESTION_TYPES.find((t) => t.type === type)?.label ?? type;
}

/** A new question of a type, with its default settings and an id not yet used. */
export function newQuestion(type: QuestionType, taken: readonly string[]): Question {
  const base = type.split("_")[0];
  let n = 1;
  while (taken.includes(`${base}${n}`)) n += 1;
  const common = { id: `${base}${n}`, type, text: "", required: true };
  switch (type) {
    case "likert":
      return { ...common, points: 5, labels: ["not at all", "very much"] };
    case "slider":
      return { ...common, min: 0, max: 100, step: 1 };
    case "single_choice":
    case "multi_choice":
      return { ...common, options: ["", ""] };
    case "number":
      return { ...common, min: null, max: null };
    case "text":
      return { ...common, max_length: 500 };
  }
}

/** Keeps only the settings a type uses (what the API stores), switching a question's type. */
export function withType(question: Question, type: QuestionType): Question {
  const fresh = newQuestion(type, []);
  const keep = { id: question.id, text: question.text, required: question.required };
  if ((type === "single_choice" || type === "multi_choice") && question.options?.length) {
    return { ...fresh, ...keep, options: question.options };
  }
  return { ...fresh, ...keep };
}

export function move<T>(items: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length || from === to) return [...items];
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

/** What is wrong with one question (empty when the API would accept it). */
export function questionProblems(q: Question, ids: readonly string[]): string[] {
  const problems: string[] = [];
  if (!ID.test(q.id)) problems.push("The id must start with a letter, then letters, digits or _.");
  else if (ids.filter((id) => id === q.id).length > 1) problems.push(`The id '${q.id}' is used twice.`);
  if (!q.text.trim()) problems.push("Write the question's text.");
  if (q.type === "slider") {
    const min = q.min ?? 0;
    const max = q.max ?? 100;
    const step = q.step ?? 1;
    if (!(min < max && step > 0 && step <= max - min)) problems.push("Needs min < max and 0 < step ≤ max − min.");
  }
  if (q.type === "number" && q.min != null && q.max != null && !(q.min < q.max)) problems.push("Needs min < max.");
  if (q.type === "likert") {
    const points = q.points ?? 5;
    if (!(points >= 2 && points <= 11)) problems.push("Points go from 2 to 11.");
    const labels = q.labels ?? [];
    if (labels.length && labels.length !== 2 && labels.length !== points) {
      problems.push(`Give 2 labels (the ends) or one per point (${points}).`);
    }
  }
  if (q.type === "single_choice" || q.type === "multi_choice") {
    const options = (q.options ?? []).map((o) => o.trim());
    if (options.length < 2 || options.length > 50) problems.push("Give 2 to 50 options.");
    if (options.some((o) => !o)) problems.push("An option is empty.");
    else if (new Set(options).size !== options.length) problems.push("Options must differ.");
  }
  if (q.type === "text" && !((q.max_length ?? 500) >= 1 && (q.max_length ?? 500) <= 10000)) {
    problems.push("Maximum length goes from 1 to 10000.");
  }
  return problems;
}

/** The body the API takes: only the type's settings, trimmed options, no empty labels. */
export function toPayload(q: Question): Question {
  const out: Question = { id: q.id.trim(), type: q.type, text: q.text.trim(), required: q.required ?? true };
  if (q.type === "slider") Object.assign(out, { min: q.min ?? 0, max: q.max ?? 100, step: q.step ?? 1 });
  if (q.type === "number") Object.assign(out, { min: q.min ?? null, max: q.max ?? null });
  if (q.type === "likert") {
    const labels = (q.labels ?? []).map((l) => l.trim()).filter(Boolean);
    Object.assign(out, { points: q.points ?? 5, labels: labels.length ? labels : null });
  }
  if (q.type === "single_choice" || q.type === "multi_choice") Object.assign(out, { options: (q.options ?? []).map((o) => o.trim()) });
  if (q.type === "text") Object.assign(out, { max_length: q.max_length ?? 500 });
  return out;
}

/** The stored questionnaire (loose JSON from the API) as editor questions. */
export function fromStored(questionnaire: unknown): Question[] {
  const questions = (questionnaire as { questions?: unknown })?.questions;
  return Array.isArray(questions) ? (questions as Question[]).map((q) => ({ ...q })) : [];
}
