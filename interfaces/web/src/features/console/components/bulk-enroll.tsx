import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { BulkEnrollOut } from "@/lib/api";
import { enrollManyMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { campaignScope } from "../api";
import { previewCsv } from "../lib/csv";

/** Many participants from a pasted or uploaded CSV: checked first (dry run), then enrolled;
 *  every refused row is listed with its line number and reason. */
export function BulkEnroll({ campaignId }: { campaignId: string }) {
  const [csv, setCsv] = useState("");
  const [result, setResult] = useState<BulkEnrollOut | null>(null);
  const queryClient = useQueryClient();
  const bulk = useMutation({
    ...enrollManyMutation(),
    onSuccess: (out) => {
      setResult(out);
      if (!out.dry_run) void queryClient.invalidateQueries(campaignScope(campaignId));
    },
  });
  const local = csv.trim() ? previewCsv(csv) : null;
  const send = (dry_run: boolean) => bulk.mutate({ path: { campaign_id: campaignId }, body: { csv, dry_run } });
  const failed = result?.rows.filter((r) => !r.ok) ?? [];
  return (
    <div className="grid gap-3">
      <Field label="Participants CSV" hint="A header with email (and timezone, window_start, window_end), or one address a line; comma or semicolon; up to 5000 rows">
        {(p) => (
          <Textarea
            {...p}
            rows={5}
            className="font-mono text-xs"
            value={csv}
            placeholder={"email,timezone,window_start,window_end\nada@example.com,Europe/Warsaw,08:00,22:00"}
            onChange={(e) => {
              setCsv(e.target.value);
              setResult(null);
            }}
          />
        )}
      </Field>
      <Field label="Or upload a CSV file">
        {(p) => (
          <Input
            {...p}
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void file.text().then((text) => (setCsv(text), setResult(null)));
            }}
          />
        )}
      </Field>
      {local && (
        <p className="text-sm text-muted-foreground">
          {local.rows} row{local.rows === 1 ? "" : "s"}, {local.header ? `columns ${local.header.join(", ")}` : "addresses only"}
          {local.problems.length > 0 && `; ${local.problems.length} look wrong (line ${local.problems.map((p) => p.line).slice(0, 5).join(", ")})`}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" disabled={!csv.trim() || bulk.isPending} onClick={() => send(true)}>
          Check rows
        </Button>
        <Button type="button" disabled={!csv.trim() || bulk.isPending} onClick={() => send(false)}>
          Enroll all valid rows
        </Button>
      </div>
      {bulk.isError && (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(bulk.error)}
        </p>
      )}
      {result && (
        <div role="status" className="grid gap-2 text-sm">
          <p className="font-medium">
            {result.dry_run ? `Checked: ${result.rows.length - result.failed} would be enrolled` : `Enrolled ${result.enrolled}`}, {result.failed} refused.
          </p>
          {failed.length > 0 && (
            <table className="w-full text-left">
              <caption className="sr-only">Refused rows</caption>
              <thead>
                <tr className="border-b">
                  <th scope="col" className="py-1 pr-3">
                    Line
                  </th>
                  <th scope="col" className="py-1">
                    Why
                  </th>
                </tr>
              </thead>
              <tbody>
                {failed.map((r) => (
                  <tr key={r.line} className="border-b">
                    <td className="py-1 pr-3 font-mono">{r.line}</td>
                    <td className="py-1 text-destructive">{r.error}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
