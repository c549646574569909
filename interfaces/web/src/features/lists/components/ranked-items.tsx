import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ArrowDown, ArrowUp, GripVertical, Trash2 } from "lucide-react";
import { useState } from "react";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { ListItem, ListOut } from "@/lib/api";
import { moveInListMutation, removeFromListMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";
import { cn } from "@/lib/utils";

import { listQueries, showList } from "../api";
import { moved } from "../lib/reorder";
import { TagsForm } from "./tags-form";

const nameOf = (item: ListItem) => item.title ?? `Film #${item.tmdb_id}`;

/** The list's films in rank order: drag a row, or move it with its up and down buttons
 * (keyboard and screen readers); each row carries its tags. */
export function RankedItems({ list }: { list: ListOut }) {
  const queryClient = useQueryClient();
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const [said, setSaid] = useState("");
  const key = listQueries.one(list.id);
  const move = useMutation({
    ...moveInListMutation(),
    onMutate: ({ path, body }) => {
      const from = list.items.findIndex((i) => i.tmdb_id === path.tmdb_id);
      queryClient.setQueryData<ListOut>(key, { ...list, items: moved(list.items, from, body.position) });
    },
    onSuccess: (fresh, { path, body }) => {
      showList(queryClient, fresh);
      const item = fresh.items.find((i) => i.tmdb_id === path.tmdb_id);
      setSaid(`Moved ${item ? nameOf(item) : "the film"} to position ${body.position + 1} of ${fresh.items.length}.`);
    },
    onError: (error) => {
      setSaid(`Could not move it: ${errorMessage(error)}`);
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    ...removeFromListMutation(),
    onSuccess: (_, { path }) => {
      const gone = list.items.find((i) => i.tmdb_id === path.tmdb_id);
      setSaid(`Removed ${gone ? nameOf(gone) : "the film"}.`);
      void queryClient.invalidateQueries({ queryKey: key });
      void queryClient.invalidateQueries({ queryKey: listQueries.all() });
    },
    onError: (error) => setSaid(errorMessage(error)),
  });
  const moveTo = (item: ListItem, position: number) =>
    move.mutate({ path: { list_id: list.id, tmdb_id: item.tmdb_id }, body: { position } });

  if (!list.items.length) {
    return <p className="rounded-xl border border-dashed p-8 text-center text-muted-foreground">No films yet: add some above.</p>;
  }
  return (
    <>
      <ol className="grid gap-2" aria-label={`${list.name}, in rank order`}>
        {list.items.map((item, index) => (
          <li
            key={item.tmdb_id}
            draggable
            onDragStart={(e) => {
              setDragging(index);
              e.dataTransfer.effectAllowed = "move";
            }}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(index);
            }}
            onDragEnd={() => {
              setDragging(null);
              setOver(null);
            }}
            onDrop={(e) => {
              e.preventDefault();
              if (dragging !== null && dragging !== index) moveTo(list.items[dragging] as ListItem, index);
              setDragging(null);
              setOver(null);
            }}
            className={cn("grid gap-2 rounded-xl border p-3 sm:grid-cols-[auto_1fr_auto] sm:items-center", over === index && dragging !== index && "border-brand ring-2 ring-brand/40")}
          >
            <div className="flex items-center gap-2">
              <GripVertical aria-hidden="true" className="size-5 cursor-grab text-muted-foreground" />
              <span className="w-6 text-right font-semibold tabular-nums" aria-hidden="true">
                {index + 1}
              </span>
              {item.poster_url && <img src={item.poster_url} alt="" className="h-14 w-10 rounded object-cover" />}
            </div>
            <div className="grid min-w-0 gap-1">
              <p className="font-medium">
                {nameOf(item)}
                {item.year ? <span className="text-muted-foreground"> ({item.year})</span> : null}
              </p>
              {item.tags.length > 0 && (
                <ul className="flex flex-wrap gap-1" aria-label={`Tags of ${nameOf(item)}`}>
                  {item.tags.map((tag) => (
                    <li key={tag}>
                      <Badge variant="secondary">{tag}</Badge>
                    </li>
                  ))}
                </ul>
              )}
              <TagsForm listId={list.id} item={item} label={nameOf(item)} onSaid={setSaid} />
            </div>
            <div className="flex gap-1">
              <Button variant="outline" size="icon" aria-label={`Move ${nameOf(item)} up`} disabled={index === 0} onClick={() => moveTo(item, index - 1)}>
                <ArrowUp aria-hidden="true" />
              </Button>
              <Button variant="outline" size="icon" aria-label={`Move ${nameOf(item)} down`} disabled={index === list.items.length - 1} onClick={() => moveTo(item, index + 1)}>
                <ArrowDown aria-hidden="true" />
              </Button>
              <Button variant="ghost" size="icon" aria-label={`Remove ${nameOf(item)}`} onClick={() => remove.mutate({ path: { list_id: list.id, tmdb_id: item.tmdb_id } })}>
                <Trash2 aria-hidden="true" />
              </Button>
            </div>
          </li>
        ))}
      </ol>
      <p role="status" className="text-sm text-muted-foreground">
        {said}
      </p>
    </>
  );
}
