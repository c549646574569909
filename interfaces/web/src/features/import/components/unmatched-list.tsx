import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { Button } from "@/components/ui/button";
import type { UnmatchedRow } from "@/lib/api";
import { addItem, markWatched } from "@/lib/api";
import { getWatchlistQueryKey } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

/** Rows no film matched for sure: pick the right candidate (added with the row's status,
 * rating and date) or leave it. */
export function UnmatchedList({ rows }: { rows: UnmatchedRow[] }) {
  return (
    <div className="grid gap-2">
      <h3 className="font-medium">Not matched: choose the right film</h3>
      <ul className="grid gap-2">
        {rows.map((r, i) => (
          <UnmatchedItem key={`${r.row.title}-${r.row.year}-${i}`} row={r} />
        ))}
      </ul>
    </div>
  );
}

function UnmatchedItem({ row }: { row: UnmatchedRow }) {
  const queryClient = useQueryClient();
  const [done, setDone] = useState("");
  const choose = useMutation({
    mutationFn: async (tmdbId: number) => {
      const added = await addItem({ body: { tmdb_id: tmdbId } });
      if (added.error && added.response.status !== 409) throw added.error;
      if (row.row.status === "watched") {
        const watched = await markWatched({ path: { tmdb_id: tmdbId }, body: { rating: row.row.rating, watched_on: row.row.watched_on } });
        if (watched.error) throw watched.error;
      }
    },
    onSuccess: (_, tmdbId) => {
      const c = row.candidates.find((x) => x.tmdb_id === tmdbId);
      setDone(`Added ${c?.title ?? "it"}${c?.year ? ` (${c.year})` : ""}.`);
      void queryClient.invalidateQueries({ queryKey: getWatchlistQueryKey() });
    },
    onError: (error) => setDone(errorMessage(error)),
  });
  const label = `${row.row.title}${row.row.year ? ` (${row.row.year})` : ""}`;
  return (
    <li className="rounded-lg border p-3">
      <p className="text-sm">
        <span className="font-medium">{label}</span>
        <span className="text-muted-foreground">
          {" "}
          · {row.row.status === "watched" ? `watched${row.row.rating ? `, rated ${row.row.rating}/10` : ""}` : "to watch"}
        </span>
      </p>
      {done ? (
        <p role="status" className="mt-1 text-sm text-muted-foreground">
          {done}
        </p>
      ) : row.candidates.length === 0 ? (
        <p className="mt-1 text-sm text-muted-foreground">No film with this title in the catalogue.</p>
      ) : (
        <ul className="mt-2 flex flex-wrap gap-2" aria-label={`Candidates for ${label}`}>
          {row.candidates.map((c) => (
            <li key={c.tmdb_id}>
              <Button size="sm" variant="outline" disabled={choose.isPending} onClick={() => choose.mutate(c.tmdb_id)}>
                Add {c.title}
                {c.year ? ` (${c.year})` : ""}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
