import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Eye, Plus, Sparkles, ThumbsDown, ThumbsUp, WifiOff } from "lucide-react";
import { useState } from "react";
import { Link } from "react-router";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import {
  addItemMutation,
  getSuggestionsOptions,
  getSuggestionsQueryKey,
  getWatchlistOptions,
  getWatchlistQueryKey,
  giveFeedbackMutation,
  requestSuggestionsMutation,
} from "@/lib/api/@tanstack/react-query.gen";
import type { SuggestionItem } from "@/lib/api";
import { errorMessage } from "@/lib/http-error";
import { cn } from "@/lib/utils";

const VERDICTS = [
  { verdict: "liked", label: "Liked", icon: ThumbsUp, said: "liked" },
  { verdict: "seen", label: "Seen it", icon: Eye, said: "already seen" },
  { verdict: "not_interested", label: "Not interested", icon: ThumbsDown, said: "not interested" },
] as const;

/** Ask for suggestions; while pending the page polls; each pick says why, with an Add. */
export function SuggestionsPage() {
  const queryClient = useQueryClient();
  const suggestions = useQuery({
    ...getSuggestionsOptions(),
    refetchInterval: (q) => (q.state.data?.status === "pending" ? 1500 : false),
  });
  const watchlist = useQuery(getWatchlistOptions());
  const onList = new Set(watchlist.data?.items.map((i) => i.tmdb_id));
  const [said, setSaid] = useState("");
  const ask = useMutation({
    ...requestSuggestionsMutation(),
    onSuccess: (accepted) => {
      // show "pending" at once: the previous picks must not flash back before the refetch
      queryClient.setQueryData(getSuggestionsQueryKey(), (old: typeof suggestions.data) =>
        old ? { ...old, status: accepted.status, request_id: accepted.request_id, items: [] } : old,
      );
      void queryClient.invalidateQueries({ queryKey: getSuggestionsQueryKey() });
    },
  });
  const add = useMutation({
    ...addItemMutation(),
    onSuccess: (item) => {
      setSaid(`Added ${item.title ?? "it"} to your watchlist.`);
      void queryClient.invalidateQueries({ queryKey: getWatchlistQueryKey() });
    },
    onError: (error) => setSaid(/already/.test(errorMessage(error)) ? "It is already on your watchlist." : errorMessage(error)),
  });
  const judge = useMutation({
    ...giveFeedbackMutation(),
    onSuccess: (answer) => {
      const said = VERDICTS.find((v) => v.verdict === answer.verdict)?.said;
      setSaid(`Noted: ${answer.title}, ${said}. The next suggestions take it into account.`);
      void queryClient.invalidateQueries({ queryKey: getSuggestionsQueryKey() });
    },
    onError: (error) => setSaid(errorMessage(error)),
  });
  const verdictOn = (s: SuggestionItem, verdict: (typeof VERDICTS)[number]["verdict"]) =>
    judge.mutate({ body: { title: s.title, year: s.year ?? null, tmdb_id: s.tmdb_id ?? null, verdict } });
  const data = suggestions.data;
  const pending = data?.status === "pending" || ask.isPending;
  const few = (watchlist.data?.items.length ?? 0) < 3;

  return (
    <div className="grid gap-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Suggestions</h1>
        <Button onClick={() => ask.mutate({})} disabled={pending}>
          <Sparkles aria-hidden="true" />
          {data?.status === "ready" ? "Suggest again" : "Suggest films"}
        </Button>
      </div>
      <p className="text-muted-foreground">Picks from what you added, watched and rated, and what you said of earlier picks, each with the reason it was chosen. A pick you judged, or a film on one of your lists, never comes back.{few && " Add and rate a few films first for better picks."}</p>
      {ask.isError && (
        <Alert variant="destructive">
          <AlertDescription>{errorMessage(ask.error)}</AlertDescription>
        </Alert>
      )}
      {suggestions.isPending ? (
        <Skeleton className="h-32" />
      ) : suggestions.isError ? (
        <Alert variant="destructive">
          <AlertDescription>Suggestions could not load: {errorMessage(suggestions.error)}</AlertDescription>
        </Alert>
      ) : pending ? (
        <p role="status" className="flex items-center gap-2 rounded-xl border p-6">
          <Sparkles aria-hidden="true" className="size-4 animate-pulse" /> Thinking about your taste… this takes a few seconds.
        </p>
      ) : data && data.status === "ready" ? (
        <>
          {data.offline && (
            <Alert>
              <WifiOff aria-hidden="true" />
              <AlertTitle>The suggestion service was offline</AlertTitle>
              <AlertDescription>These picks come from Kairos's own rules (genres you rate highly), not from the AI. Ask again later for AI picks.</AlertDescription>
            </Alert>
          )}
          {data.note && <p className="text-sm text-muted-foreground">{data.note}</p>}
          <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {data.items.map((s) => (
              <li key={`${s.tmdb_id}-${s.title}`}>
                <Card className={cn("h-full flex-row gap-3 px-4 py-4", s.feedback === "not_interested" && "border-dashed")}>
                  {s.poster_url ? <img src={s.poster_url} alt="" width={64} height={96} className="h-24 w-16 shrink-0 rounded object-cover" /> : <div className="h-24 w-16 shrink-0 rounded bg-muted" />}
                  <CardContent className="grid content-start gap-1.5 px-0">
                    <h2 className="font-medium leading-tight">
                      {s.tmdb_id ? <Link to={`/title/${s.tmdb_id}`} className="hover:underline">{s.title}</Link> : s.title}{" "}
                      {s.year && <span className="text-muted-foreground">({s.year})</span>}
                    </h2>
                    <p className="text-sm text-muted-foreground">{s.reason}</p>
                    {s.tmdb_id ? (
                      onList.has(s.tmdb_id) ? (
                        <p className="text-xs text-muted-foreground">On your watchlist</p>
                      ) : (
                        <Button size="sm" variant="outline" className="w-fit" aria-label={`Add ${s.title}`} onClick={() => add.mutate({ body: { tmdb_id: s.tmdb_id! } })}>
                          <Plus aria-hidden="true" /> Add
                        </Button>
                      )
                    ) : (
                      <p className="text-xs text-muted-foreground">Not found in the catalogue</p>
                    )}
                    <div role="group" aria-label={`What do you think of ${s.title}?`} className="flex flex-wrap gap-1 pt-1">
                      {VERDICTS.map(({ verdict, label, icon: Icon }) => (
                        <Button
                          key={verdict}
                          size="sm"
                          variant={s.feedback === verdict ? "secondary" : "ghost"}
                          aria-pressed={s.feedback === verdict}
                          disabled={judge.isPending}
                          onClick={() => verdictOn(s, verdict)}
                        >
                          <Icon aria-hidden="true" /> {label}
                        </Button>
                      ))}
                    </div>
                  </CardContent>
                </Card>
              </li>
            ))}
          </ul>
          {data.items.length === 0 && <p className="text-muted-foreground">No picks this time. Add or rate a few more films, then ask again.</p>}
        </>
      ) : (
        <p className="rounded-xl border border-dashed p-8 text-center text-muted-foreground">No suggestions yet. Press “Suggest films”.</p>
      )}
      <p role="status" aria-live="polite" className="min-h-5 text-sm text-muted-foreground">
        {said}
      </p>
    </div>
  );
}
