import { useQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import { useState } from "react";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { type CampaignOut, campaignCodebook, type ResponseOut, responses } from "@/lib/api";
import { errorMessage } from "@/lib/http-error";

import { consoleQueries } from "../api";
import { dateTime, duration, shortId } from "../lib/format";
import { fromStored } from "../lib/questions";

function show(value: unknown): string {
  if (value == null) return "";
  return Array.isArray(value) ? value.join("; ") : String(value);
}

type Format = "csv" | "parquet" | "long" | "sav" | "codebook-json" | "codebook-csv";

const FORMATS: { v: Format; label: string; hint: string; ext: string }[] = [
  { v: "csv", label: "Wide CSV", hint: "One row per response, one column per question; multiple choices joined with ;", ext: "csv" },
  { v: "parquet", label: "Parquet", hint: "The wide table, typed; multiple choices as a list (pandas, R arrow, DuckDB)", ext: "parquet" },
  { v: "long", label: "Long CSV", hint: "One row per prompt, missed ones with their outcome, local times", ext: "long.csv" },
  { v: "sav", label: "SPSS (.sav)", hint: "The long rows with variable and value labels (SPSS, PSPP, haven, pyreadstat)", ext: "sav" },
  { v: "codebook-json", label: "Codebook (JSON)", hint: "Every exported variable: label, type, measure, value labels", ext: "codebook.json" },
  { v: "codebook-csv", label: "Codebook (CSV)", hint: "The same as a table", ext: "codebook.csv" },
];

function ExportDialog({ campaign }: { campaign: CampaignOut }) {
  const [format, setFormat] = useState<Format>("csv");
  const [state, setState] = useState("");
  const download = async () => {
    setState("Preparing…");
    try {
      const path = { campaign_id: campaign.id };
      const { data } = format.startsWith("codebook")
        ? await campaignCodebook({ path, query: { format: format === "codebook-csv" ? "csv" : "json" }, parseAs: "blob", throwOnError: true })
        : await responses({ path, query: { format: format as "csv" | "parquet" | "long" | "sav" }, parseAs: "blob", throwOnError: true });
      const url = URL.createObjectURL(data as unknown as Blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `${campaign.name.replace(/[^\w-]+/g, "-").toLowerCase()}-responses.${FORMATS.find((f) => f.v === format)?.ext}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState("Downloaded.");
    } catch (error) {
      setState(errorMessage(error));
    }
  };
  return (
    <Dialog
      title="Export responses"
      description="One row per answered prompt, keyed by pseudonym: no email, no link token."
      trigger={
        <Button variant="outline">
          <Download aria-hidden="true" /> Export
        </Button>
      }
    >
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Format</legend>
        {FORMATS.map((f) => (
          <label key={f.v} className="flex items-start gap-2 rounded-md border p-2 text-sm has-[:checked]:border-primary">
            <input type="radio" name="export-format" className="mt-0.5 size-4 accent-primary" checked={format === f.v} onChange={() => setFormat(f.v)} />
            <span>
              <span className="font-medium">{f.label}</span>
              <span className="block text-muted-foreground">{f.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="flex items-center justify-end gap-3">
        <p role="status" className="text-sm text-muted-foreground">
          {state}
        </p>
        <Button onClick={() => void download()}>Download</Button>
      </div>
    </Dialog>
  );
}

function flags(r: ResponseOut): string[] {
  return [r.flag_too_fast && "too fast", r.flag_straight_lined && "straight-lined", r.flag_long_gap && "long gap"].filter(Boolean) as string[];
}

/** Every response, filterable by participant, answer day and quality flags. */
export function ResponsesGrid({ campaign }: { campaign: CampaignOut }) {
  const { data, isPending, isError, error } = useQuery(consoleQueries.responses(campaign.id));
  const [participant, setParticipant] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [flagged, setFlagged] = useState(false);
  const questions = fromStored(campaign.questionnaire);
  const all = data?.responses ?? [];
  const people = [...new Set(all.map((r) => r.participant))];
  const rows = all.filter((r) => (!participant || r.participant === participant) && (!from || r.answered_at.slice(0, 10) >= from) && (!to || r.answered_at.slice(0, 10) <= to) && (!flagged || flags(r).length > 0));
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Participant" className="w-44">
          {(p) => (
            <NativeSelect {...p} value={participant} onChange={(e) => setParticipant(e.target.value)}>
              <option value="">Everyone</option>
              {people.map((id) => (
                <option key={id} value={id}>
                  {shortId(id)}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        <Field label="Answered from" className="w-40">{(p) => <Input {...p} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}</Field>
        <Field label="Answered until" className="w-40">{(p) => <Input {...p} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}</Field>
        <label className="flex h-10 items-center gap-2 text-sm">
          <input type="checkbox" className="size-4 accent-primary" checked={flagged} onChange={(e) => setFlagged(e.target.checked)} />
          Flagged only
        </label>
        <div className="ml-auto">
          <ExportDialog campaign={campaign} />
        </div>
      </div>
      {isPending && <Skeleton className="h-32" />}
      {isError && <Alert variant="destructive">{errorMessage(error)}</Alert>}
      {data && (
        <p className="text-sm text-muted-foreground" role="status">
          {rows.length} of {all.length} responses
        </p>
      )}
      {data && all.length === 0 && <p className="rounded-lg border border-dashed p-6 text-center text-muted-foreground">No answer yet: responses appear here as participants answer.</p>}
      {rows.length > 0 && (
        <div className="overflow-x-auto rounded-lg border" tabIndex={0} role="region" aria-label="Responses, scrolls sideways">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Responses</caption>
            <thead className="bg-muted/50 text-xs text-muted-foreground">
              <tr>
                <th scope="col" className="px-3 py-2">Participant</th>
                <th scope="col" className="px-3 py-2">Answered</th>
                <th scope="col" className="px-3 py-2">Latency</th>
                <th scope="col" className="px-3 py-2">Version</th>
                <th scope="col" className="px-3 py-2">Quality</th>
                {questions.map((q) => (
                  <th key={q.id} scope="col" className="px-3 py-2 font-mono" title={q.text}>
                    {q.id}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.prompt_id} className="border-t">
                  <td className="px-3 py-2 font-mono">{shortId(r.participant)}</td>
                  <td className="px-3 py-2 whitespace-nowrap">{dateTime(r.answered_at)}</td>
                  <td className="px-3 py-2">{duration(r.latency_seconds)}</td>
                  <td className="px-3 py-2">v{r.questionnaire_version}</td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">{flags(r).join(", ") || <span className="text-muted-foreground">ok</span>}</td>
                  {questions.map((q) => (
                    <td key={q.id} className="max-w-60 truncate px-3 py-2">
                      {show((r.answers as Record<string, unknown>)[q.id])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
