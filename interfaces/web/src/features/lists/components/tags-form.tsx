import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { ListItem } from "@/lib/api";
import { tagInListMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { showList } from "../api";
import { parseTags } from "../lib/reorder";

type Props = { listId: string; item: ListItem; label: string; onSaid: (text: string) => void };

/** The tags of one film on the list, comma-separated. */
export function TagsForm({ listId, item, label, onSaid }: Props) {
  const id = useId();
  const [text, setText] = useState(item.tags.join(", "));
  const queryClient = useQueryClient();
  const save = useMutation({
    ...tagInListMutation(),
    onSuccess: (fresh) => {
      showList(queryClient, fresh);
      setText(fresh.items.find((i) => i.tmdb_id === item.tmdb_id)?.tags.join(", ") ?? "");
      onSaid(`Tags of ${label} saved.`);
    },
    onError: (error) => onSaid(`Tags not saved: ${errorMessage(error)}`),
  });
  return (
    <form
      className="flex items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ path: { list_id: listId, tmdb_id: item.tmdb_id }, body: { tags: parseTags(text) } });
      }}
    >
      <label htmlFor={id} className="sr-only">
        Tags for {label}
      </label>
      <Input id={id} value={text} onChange={(e) => setText(e.target.value)} placeholder="tags, comma-separated" className="h-8 max-w-64 text-sm" />
      <Button type="submit" variant="outline" size="sm" disabled={save.isPending}>
        Save tags
      </Button>
    </form>
  );
}
