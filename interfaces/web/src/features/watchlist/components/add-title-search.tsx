import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Search } from "lucide-react";
import { useId, useRef, useState } from "react";

import { Input } from "@/components/ui/input";
import type { SearchResult } from "@/lib/api";
import { addItemMutation, searchTitlesOptions } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";
import { cn } from "@/lib/utils";

import { watchlistQueries } from "../api";
import { useDebounced } from "../hooks";

type Props = { onList: Set<number>; suggestions?: string[] };

/** Search-as-you-type add: debounced, arrow keys move, Enter adds, Escape closes. Adding a
 * title that is already there says so. */
export function AddTitleSearch({ onList, suggestions = [] }: Props) {
  const id = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [message, setMessage] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const query = useDebounced(text.trim(), 250);
  const queryClient = useQueryClient();
  const search = useQuery({ ...searchTitlesOptions({ query: { q: query } }), enabled: query.length >= 2, staleTime: 60_000 });
  const results = (query.length >= 2 && search.data?.results.slice(0, 8)) || [];
  const add = useMutation({
    ...addItemMutation(),
    onSuccess: (item, variables) => {
      const chosen = results.find((r) => r.tmdb_id === variables.body.tmdb_id)?.title;
      setMessage(`Added ${item.title ?? chosen ?? "the title"} to your watchlist.`);
      void queryClient.invalidateQueries({ queryKey: watchlistQueries.key() });
    },
    onError: (error, variables) => {
      const status = (error as { status?: number })?.status;
      const title = results.find((r) => r.tmdb_id === variables.body.tmdb_id)?.title ?? "This title";
      setMessage(status === 409 || /already/.test(errorMessage(error)) ? `${title} is already on your watchlist.` : errorMessage(error));
    },
  });

  const choose = (result: SearchResult) => {
    if (onList.has(result.tmdb_id)) {
      setMessage(`${result.title} is already on your watchlist.`);
      return;
    }
    add.mutate({ body: { tmdb_id: result.tmdb_id } });
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" && results.length) {
      event.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % results.length);
    } else if (event.key === "ArrowUp" && results.length) {
      event.preventDefault();
      setActive((a) => (a - 1 + results.length) % results.length);
    } else if (event.key === "Enter" && open && results[active]) {
      event.preventDefault();
      choose(results[active]);
    } else if (event.key === "Escape") {
      setOpen(false);
    }
  };

  const listId = `${id}-results`;
  const showList = open && query.length >= 2;
  return (
    <div className="relative">
      <label htmlFor={id} className="mb-1.5 block text-sm font-medium">
        Add a film
      </label>
      <div className="relative">
        <Search aria-hidden="true" className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-muted-foreground" />
        <Input
          ref={input}
          id={id}
          role="combobox"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList && results[active] ? `${listId}-${active}` : undefined}
          autoComplete="off"
          placeholder={suggestions.length ? `Try ${suggestions.slice(0, 2).join(" or ")}` : "Search by title"}
          className="pl-9"
          value={text}
          maxLength={200}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown}
        />
      </div>
      {showList && (
        <ul id={listId} role="listbox" aria-label="Search results" className="absolute z-20 mt-1 max-h-96 w-full overflow-auto rounded-md border bg-popover p-1 shadow-lg">
          {search.isFetching && results.length === 0 && <li className="px-3 py-2 text-sm text-muted-foreground">Searching…</li>}
          {search.isError && <li className="px-3 py-2 text-sm text-destructive">{errorMessage(search.error)}</li>}
          {!search.isFetching && search.isSuccess && results.length === 0 && (
            <li className="px-3 py-2 text-sm text-muted-foreground">
              No film matches “{query}”.{suggestions.length > 0 && ` In the demo catalogue, try ${suggestions.slice(0, 3).join(", ")}.`}
            </li>
          )}
          {results.map((result, index) => (
            <li
              key={result.tmdb_id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(result)}
              onMouseEnter={() => setActive(index)}
              className={cn("flex cursor-pointer items-center gap-3 rounded px-2 py-1.5 text-sm", index === active && "bg-accent")}
            >
              {result.poster_url ? <img src={result.poster_url} alt="" width={32} height={48} className="h-12 w-8 rounded object-cover" /> : <span className="h-12 w-8 rounded bg-muted" />}
              <span className="flex-1">
                {result.title} {result.year && <span className="text-muted-foreground">({result.year})</span>}
              </span>
              {onList.has(result.tmdb_id) ? <span className="text-xs text-muted-foreground">On your list</span> : <Plus aria-hidden="true" className="size-4" />}
            </li>
          ))}
        </ul>
      )}
      <p role="status" aria-live="polite" className="mt-1.5 min-h-5 text-sm text-muted-foreground">
        {add.isPending ? "Adding…" : message}
      </p>
    </div>
  );
}
