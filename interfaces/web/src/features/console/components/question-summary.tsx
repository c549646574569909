import { type Question, typeLabel } from "../lib/questions";

function settings(q: Question): string {
  switch (q.type) {
    case "slider":
      return `${q.min ?? 0} to ${q.max ?? 100}, step ${q.step ?? 1}`;
    case "number":
      return q.min == null && q.max == null ? "any number" : `${q.min ?? "−∞"} to ${q.max ?? "∞"}`;
    case "likert":
      return `${q.points ?? 5} points${q.labels?.length ? `: ${q.labels.join(" … ")}` : ""}`;
    case "single_choice":
    case "multi_choice":
      return (q.options ?? []).join(" · ");
    case "text":
      return `up to ${q.max_length ?? 500} characters`;
  }
}

/** A launched campaign's questionnaire, read-only. */
export function QuestionSummary({ questions }: { questions: Question[] }) {
  return (
    <ol className="grid gap-2">
      {questions.map((q, i) => (
        <li key={q.id} className="grid gap-0.5 rounded-lg border bg-card p-3 text-sm">
          <span className="font-medium">
            {i + 1}. {q.text}
            {!q.required && <span className="ml-1 text-muted-foreground">(optional)</span>}
          </span>
          <span className="text-muted-foreground">
            {typeLabel(q.type)} · <span className="font-mono">{q.id}</span> · {settings(q)}
          </span>
        </li>
      ))}
    </ol>
  );
}
