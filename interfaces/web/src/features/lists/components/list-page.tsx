import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronLeft } from "lucide-react";
import { useId, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import type { ListOut } from "@/lib/api";
import { deleteListMutation, getListOptions, meOptions, renameListMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { listQueries, showList } from "../api";
import { AddToList } from "./add-to-list";
import { MembersPanel } from "./members-panel";
import { RankedItems } from "./ranked-items";
import { SharePanel } from "./share-panel";

/** One list: add, rank and tag its films; the owner shares, renames, deletes it. */
export function ListPage() {
  const { listId = "" } = useParams();
  const list = useQuery({
    ...getListOptions({ path: { list_id: listId } }),
    // a film just added shows its name and poster once TMDB's details are in
    refetchInterval: (q) => (q.state.data?.items.some((i) => i.metadata === "pending") ? 2000 : false),
  });
  const me = useQuery(meOptions());
  return (
    <div className="grid gap-5">
      <Link to="/lists" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:underline">
        <ChevronLeft aria-hidden="true" className="size-4" /> All lists
      </Link>
      {list.isPending ? (
        <Skeleton className="h-40" />
      ) : list.isError ? (
        <Alert variant="destructive">
          <AlertDescription>This list could not load: {errorMessage(list.error)}</AlertDescription>
        </Alert>
      ) : (
        <>
          <ListHeading list={list.data} />
          <AddToList list={list.data} />
          <RankedItems list={list.data} />
          <div className="grid gap-4 md:grid-cols-2">
            {list.data.role === "owner" && <SharePanel list={list.data} />}
            <MembersPanel list={list.data} myId={me.data?.id} />
          </div>
        </>
      )}
    </div>
  );
}

function ListHeading({ list }: { list: ListOut }) {
  const id = useId();
  const [name, setName] = useState(list.name);
  const [renaming, setRenaming] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const rename = useMutation({
    ...renameListMutation(),
    onSuccess: (fresh) => {
      showList(queryClient, fresh);
      setRenaming(false);
    },
  });
  const remove = useMutation({
    ...deleteListMutation(),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: listQueries.all() });
      navigate("/lists");
    },
  });
  const owner = list.role === "owner";
  const error = rename.error ?? remove.error;
  return (
    <div className="grid gap-2">
      {renaming ? (
        <form
          className="flex flex-wrap gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            rename.mutate({ path: { list_id: list.id }, body: { name } });
          }}
        >
          <label htmlFor={id} className="sr-only">
            List name
          </label>
          <Input id={id} value={name} onChange={(e) => setName(e.target.value)} className="max-w-sm" autoFocus />
          <Button type="submit">Save name</Button>
          <Button type="button" variant="ghost" onClick={() => setRenaming(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold">{list.name}</h1>
          {owner && (
            <>
              <Button variant="ghost" size="sm" onClick={() => setRenaming(true)}>
                Rename
              </Button>
              <Button
                variant="ghost"
                size="sm"
                onClick={() => {
                  if (window.confirm(`Delete “${list.name}” for everyone who edits it?`)) remove.mutate({ path: { list_id: list.id } });
                }}
              >
                Delete list
              </Button>
            </>
          )}
        </div>
      )}
      {!owner && <p className="text-sm text-muted-foreground">A household list you edit with its owner.</p>}
      {error && <p className="text-sm text-destructive">{errorMessage(error)}</p>}
    </div>
  );
}
