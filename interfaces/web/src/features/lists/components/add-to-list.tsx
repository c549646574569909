import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Search } from "lucide-react";
import { useId, useState } from "react";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { ListOut } from "@/lib/api";
import { addToListMutation, searchTitlesOptions } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { showList } from "../api";

/** Find a film by name and add it at the end of the list. */
export function AddToList({ list }: { list: ListOut }) {
  const id = useId();
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  const [said, setSaid] = useState("");
  const queryClient = useQueryClient();
  const search = useQuery({ ...searchTitlesOptions({ query: { q: query } }), enabled: query.length >= 2, staleTime: 60_000 });
  const onList = new Set(list.items.map((i) => i.tmdb_id));
  const add = useMutation({
    ...addToListMutation(),
    onSuccess: (fresh, { body }) => {
      showList(queryClient, fresh);
      const title = search.data?.results.find((r) => r.tmdb_id === body.tmdb_id)?.title;
      setSaid(`Added ${title ?? "the film"} to ${fresh.name}.`);
    },
    onError: (error) => setSaid(errorMessage(error)),
  });
  const results = (query.length >= 2 && search.data?.results.slice(0, 6)) || [];
  return (
    <section aria-labelledby={`${id}-h`} className="grid gap-2">
      <h2 id={`${id}-h`} className="sr-only">
        Add a film
      </h2>
      <form
        role="search"
        className="flex gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(text.trim());
        }}
      >
        <label htmlFor={id} className="sr-only">
          Find a film to add
        </label>
        <Input id={id} value={text} onChange={(e) => setText(e.target.value)} placeholder="Find a film to add" className="max-w-sm" />
        <Button type="submit" variant="outline">
          <Search aria-hidden="true" /> Search
        </Button>
      </form>
      {query.length >= 2 && search.isSuccess && results.length === 0 && <p className="text-sm text-muted-foreground">No film matches “{query}”.</p>}
      {results.length > 0 && (
        <ul className="grid gap-1" aria-label="Search results">
          {results.map((r) => (
            <li key={r.tmdb_id} className="flex items-center justify-between gap-2 rounded-lg border px-3 py-1.5">
              <span>
                {r.title}
                {r.year ? <span className="text-muted-foreground"> ({r.year})</span> : null}
              </span>
              <Button size="sm" variant="secondary" disabled={onList.has(r.tmdb_id) || add.isPending} onClick={() => add.mutate({ path: { list_id: list.id }, body: { tmdb_id: r.tmdb_id } })}>
                <Plus aria-hidden="true" />
                {onList.has(r.tmdb_id) ? "On the list" : `Add ${r.title}`}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <p role="status" className="text-sm text-muted-foreground">
        {said}
      </p>
    </section>
  );
}
