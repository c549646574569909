import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useNavigate } from "react-router";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { WatchlistItem } from "@/lib/api";
import { addItemMutation, markWatchedMutation, removeItemMutation, writeNoteMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";
import { cn } from "@/lib/utils";

import { titleQueries } from "../api";

const NOTE_MAX = 500;

function today(): string {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/** My rating (1-10), when I watched it, my private note; or an Add button. */
export function MyCopy({ tmdbId, item }: { tmdbId: number; item: WatchlistItem | undefined }) {
  const ids = { date: useId(), note: useId(), count: useId() };
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [rating, setRating] = useState<number | null>(item?.rating ?? null);
  const [watchedOn, setWatchedOn] = useState(item?.watched_at?.slice(0, 10) ?? today());
  const [note, setNote] = useState(item?.note ?? "");
  const [said, setSaid] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: titleQueries.watchlistKey() });
  const onError = (error: unknown) => setSaid(errorMessage(error));
  const add = useMutation({ ...addItemMutation(), onSuccess: () => void refresh().then(() => setSaid("Added to your watchlist.")), onError });
  const watched = useMutation({ ...markWatchedMutation(), onSuccess: () => void refresh().then(() => setSaid("Saved as watched.")), onError });
  const saveNote = useMutation({ ...writeNoteMutation(), onSuccess: () => void refresh().then(() => setSaid("Note saved.")), onError });
  const remove = useMutation({ ...removeItemMutation(), onSuccess: () => void refresh().then(() => navigate("/watchlist")), onError });

  if (!item) {
    return (
      <div className="grid gap-2">
        <Button onClick={() => add.mutate({ body: { tmdb_id: tmdbId } })} disabled={add.isPending}>
          Add to my watchlist
        </Button>
        <p role="status" className="text-sm text-muted-foreground">{said}</p>
      </div>
    );
  }
  return (
    <div className="grid gap-5">
      <form
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          watched.mutate({ path: { tmdb_id: tmdbId }, body: { rating, watched_on: watchedOn || null } });
        }}
      >
        <fieldset className="grid gap-2">
          <legend className="mb-1 text-sm font-medium">My rating</legend>
          <div className="flex flex-wrap gap-1">
            {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
              <label key={n} className={cn("flex size-9 cursor-pointer items-center justify-center rounded-md border text-sm font-medium has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/60", rating === n ? "border-primary bg-primary text-primary-foreground" : "hover:bg-accent")}>
                <input type="radio" name="rating" value={n} checked={rating === n} onChange={() => setRating(n)} className="sr-only" />
                <span aria-hidden="true">{n}</span>
                <span className="sr-only">{n} out of 10</span>
              </label>
            ))}
            {rating !== null && (
              <Button type="button" variant="ghost" size="sm" onClick={() => setRating(null)}>
                Clear rating
              </Button>
            )}
          </div>
        </fieldset>
        <div className="grid max-w-xs gap-1.5">
          <label htmlFor={ids.date} className="text-sm font-medium">
            Watched on
          </label>
          <Input id={ids.date} type="date" value={watchedOn} max={today()} min="1900-01-01" onChange={(e) => setWatchedOn(e.target.value)} />
        </div>
        <div>
          <Button type="submit" disabled={watched.isPending}>
            {item.status === "watched" ? "Save rating and date" : "Mark as watched"}
          </Button>
        </div>
      </form>
      <form
        className="grid gap-1.5"
        onSubmit={(e) => {
          e.preventDefault();
          saveNote.mutate({ path: { tmdb_id: tmdbId }, body: { note } });
        }}
      >
        <label htmlFor={ids.note} className="text-sm font-medium">
          Private note
        </label>
        <Textarea id={ids.note} value={note} maxLength={NOTE_MAX} aria-describedby={ids.count} placeholder="Who recommended it, where you heard of it…" onChange={(e) => setNote(e.target.value)} />
        <p id={ids.count} className="text-xs text-muted-foreground">
          {note.length}/{NOTE_MAX} · only you see it
        </p>
        <div>
          <Button type="submit" variant="secondary" disabled={saveNote.isPending}>
            Save note
          </Button>
        </div>
      </form>
      <p role="status" aria-live="polite" className="min-h-5 text-sm text-muted-foreground">
        {said}
      </p>
      <div>
        <Button
          variant="ghost"
          className="text-destructive"
          onClick={() => {
            if (window.confirm("Remove this title from your watchlist? Its rating and note go too.")) remove.mutate({ path: { tmdb_id: tmdbId } });
          }}
        >
          Remove from my watchlist
        </Button>
      </div>
    </div>
  );
}
