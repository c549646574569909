import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Upload } from "lucide-react";
import { useId, useState } from "react";
import { Link } from "react-router";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { ImportOut } from "@/lib/api";
import { getWatchlistQueryKey, importExportMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { ExportPanel } from "./export-panel";
import { UnmatchedList } from "./unmatched-list";

const MAX_BYTES = 950_000;

/** Upload a Letterboxd ZIP/CSV or an IMDb CSV; progress while it imports; then a summary
 * with the rows that matched no film, and candidates to choose from. */
export function ImportPage() {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState("");
  const queryClient = useQueryClient();
  const run = useMutation({
    ...importExportMutation(),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: getWatchlistQueryKey() }),
  });
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setProblem("");
    if (!file) return setProblem("Choose your export file first.");
    if (!/\.(zip|csv)$/i.test(file.name)) return setProblem("Choose a .zip or .csv file (Letterboxd's export, or IMDb's CSV).");
    if (file.size > MAX_BYTES) return setProblem("This file is over 1 MB: import it with `kairos myvod import`, or split it.");
    run.mutate({ body: { file } });
  };
  return (
    <div className="grid max-w-3xl gap-5">
      <h1 className="text-2xl font-semibold">Import and export</h1>
      <p className="text-muted-foreground">
        Bring your films from Letterboxd (Settings → Data → Export: the ZIP, or one of its CSVs) or IMDb (your ratings or watchlist, exported as CSV). Watchlist rows land to watch; watched and rated films land watched, on their date, with your rating.
      </p>
      <form onSubmit={submit} className="grid gap-3 rounded-xl border p-4">
        <label htmlFor={id} className="text-sm font-medium">
          Export file (.zip or .csv)
        </label>
        <Input id={id} type="file" accept=".zip,.csv,application/zip,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} aria-invalid={!!problem} />
        {problem && <p className="text-sm text-destructive">{problem}</p>}
        <div>
          <Button type="submit" disabled={run.isPending}>
            <Upload aria-hidden="true" /> Import
          </Button>
        </div>
        {run.isPending && (
          <div role="status" className="grid gap-1.5">
            <progress aria-label="Importing" className="h-2 w-full overflow-hidden rounded [&::-webkit-progress-bar]:bg-muted [&::-webkit-progress-value]:bg-primary" />
            <p className="text-sm text-muted-foreground">Importing {file?.name}: matching each film with the catalogue…</p>
          </div>
        )}
      </form>
      {run.isError && (
        <Alert variant="destructive">
          <AlertDescription>The import failed: {errorMessage(run.error)}</AlertDescription>
        </Alert>
      )}
      {run.data && <Summary result={run.data} />}
      <ExportPanel />
    </div>
  );
}

function Summary({ result }: { result: ImportOut }) {
  const source = result.kind === "imdb" ? "IMDb" : "Letterboxd";
  return (
    <section aria-labelledby="summary" className="grid gap-3">
      <h2 id="summary" className="text-lg font-semibold">
        {source} import done
      </h2>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        {[
          ["Films in the file", result.total],
          ["Added", result.added],
          ["Updated", result.updated],
          ["Already there", result.unchanged],
          ["Not matched", result.unmatched.length],
          ["Skipped", result.skipped],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg border p-3">
            <dt className="text-xs text-muted-foreground">{label}</dt>
            <dd className="text-xl font-semibold">{value}</dd>
          </div>
        ))}
      </dl>
      {result.skipped > 0 && <p className="text-sm text-muted-foreground">Skipped rows had no title or were not films (series and episodes are not supported yet).</p>}
      {result.unmatched.length > 0 && <UnmatchedList rows={result.unmatched} />}
      <p>
        <Link to="/watchlist" className="underline">
          See your watchlist
        </Link>
      </p>
    </section>
  );
}
