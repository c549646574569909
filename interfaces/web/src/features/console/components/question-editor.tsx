import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { useState } from "react";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";

import { move, newQuestion, QUESTION_TYPES, type Question, questionProblems, type QuestionType, withType } from "../lib/questions";

const num = (v: string): number | null => (v.trim() === "" || Number.isNaN(Number(v)) ? null : Number(v));
const lines = (v: string) => v.split("\n");

function Settings({ q, set }: { q: Question; set: (patch: Partial<Question>) => void }) {
  switch (q.type) {
    case "slider":
      return (
        <div className="grid grid-cols-3 gap-2">
          <Field label="Minimum" hint="Empty: 0">{(p) => <Input {...p} type="number" value={q.min ?? ""} onChange={(e) => set({ min: num(e.target.value) })} />}</Field>
          <Field label="Maximum" hint="Empty: 100">{(p) => <Input {...p} type="number" value={q.max ?? ""} onChange={(e) => set({ max: num(e.target.value) })} />}</Field>
          <Field label="Step" hint="Empty: 1">{(p) => <Input {...p} type="number" min="0" value={q.step ?? ""} onChange={(e) => set({ step: num(e.target.value) })} />}</Field>
        </div>
      );
    case "number":
      return (
        <div className="grid grid-cols-2 gap-2">
          <Field label="Minimum" hint="Empty: no minimum">{(p) => <Input {...p} type="number" value={q.min ?? ""} onChange={(e) => set({ min: num(e.target.value) })} />}</Field>
          <Field label="Maximum" hint="Empty: no maximum">{(p) => <Input {...p} type="number" value={q.max ?? ""} onChange={(e) => set({ max: num(e.target.value) })} />}</Field>
        </div>
      );
    case "likert":
      return (
        <div className="grid gap-2 sm:grid-cols-[8rem_1fr]">
          <Field label="Points">{(p) => <Input {...p} type="number" min="2" max="11" value={q.points ?? ""} onChange={(e) => set({ points: num(e.target.value) })} />}</Field>
          <Field label="Labels" hint="One a line: two (the ends) or one per point">
            {(p) => <Textarea {...p} rows={2} value={(q.labels ?? []).join("\n")} onChange={(e) => set({ labels: lines(e.target.value) })} />}
          </Field>
        </div>
      );
    case "single_choice":
    case "multi_choice":
      return (
        <Field label="Options" hint="One a line, 2 to 50">
          {(p) => <Textarea {...p} rows={3} value={(q.options ?? []).join("\n")} onChange={(e) => set({ options: lines(e.target.value) })} />}
        </Field>
      );
    case "text":
      return <Field label="Maximum length" className="max-w-40">{(p) => <Input {...p} type="number" min="1" max="10000" value={q.max_length ?? ""} onChange={(e) => set({ max_length: num(e.target.value) })} />}</Field>;
  }
}

function QuestionCard({ q, index, count, ids, onChange, onMove, onRemove }: { q: Question; index: number; count: number; ids: string[]; onChange: (q: Question) => void; onMove: (to: number) => void; onRemove: () => void }) {
  const problems = questionProblems(q, ids);
  const set = (patch: Partial<Question>) => onChange({ ...q, ...patch });
  const name = `Question ${index + 1}`;
  return (
    <li>
      <fieldset className="grid gap-3 rounded-lg border bg-card p-3 sm:p-4">
        <legend className="px-1 text-sm font-semibold">{name}</legend>
        <div className="grid gap-2 sm:grid-cols-[1fr_10rem_8rem]">
          <Field label="Question text">{(p) => <Input {...p} value={q.text} maxLength={500} onChange={(e) => set({ text: e.target.value })} placeholder="How are you feeling right now?" />}</Field>
          <Field label="Type">
            {(p) => (
              <NativeSelect {...p} value={q.type} onChange={(e) => onChange(withType(q, e.target.value as QuestionType))}>
                {QUESTION_TYPES.map((t) => (
                  <option key={t.type} value={t.type}>
                    {t.label}
                  </option>
                ))}
              </NativeSelect>
            )}
          </Field>
          <Field label="Column id" hint="In exports">{(p) => <Input {...p} value={q.id} maxLength={64} onChange={(e) => set({ id: e.target.value })} />}</Field>
        </div>
        <Settings q={q} set={set} />
        <div className="flex flex-wrap items-center justify-between gap-2">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4 accent-primary" checked={q.required ?? true} onChange={(e) => set({ required: e.target.checked })} />
            Answer required
          </label>
          <div className="flex gap-1">
            <Button type="button" variant="ghost" size="icon" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>
              <ArrowUp aria-hidden="true" />
            </Button>
            <Button type="button" variant="ghost" size="icon" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => onMove(index + 1)}>
              <ArrowDown aria-hidden="true" />
            </Button>
            <Button type="button" variant="ghost" size="icon" aria-label={`Remove ${name}`} disabled={count === 1} onClick={onRemove}>
              <Trash2 aria-hidden="true" />
            </Button>
          </div>
        </div>
        {problems.length > 0 && (
          <ul className="list-disc pl-5 text-sm text-destructive" aria-label={`Problems in ${name}`}>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </fieldset>
    </li>
  );
}

/** The questionnaire: add, reorder, edit and remove questions of every type. */
export function QuestionEditor({ questions, onChange }: { questions: Question[]; onChange: (questions: Question[]) => void }) {
  const [type, setType] = useState<QuestionType>("likert");
  const ids = questions.map((q) => q.id);
  return (
    <div className="grid gap-3">
      <ol className="grid gap-3">
        {questions.map((q, i) => (
          <QuestionCard
            key={i}
            q={q}
            index={i}
            count={questions.length}
            ids={ids}
            onChange={(next) => onChange(questions.map((old, j) => (j === i ? next : old)))}
            onMove={(to) => onChange(move(questions, i, to))}
            onRemove={() => onChange(questions.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <div className="flex flex-wrap items-end gap-2 rounded-lg border border-dashed p-3">
        <Field label="New question type" className="min-w-44">
          {(p) => (
            <NativeSelect {...p} value={type} onChange={(e) => setType(e.target.value as QuestionType)}>
              {QUESTION_TYPES.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        <Button type="button" variant="secondary" disabled={questions.length >= 100} onClick={() => onChange([...questions, newQuestion(type, ids)])}>
          <Plus aria-hidden="true" /> Add question
        </Button>
      </div>
    </div>
  );
}
