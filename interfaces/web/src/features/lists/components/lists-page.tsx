import { useQuery } from "@tanstack/react-query";
import { Link2, ListOrdered, Users } from "lucide-react";
import { Link } from "react-router";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import { myListsOptions } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { NewListForm } from "./new-list-form";

/** Every list of mine: the watchlist first, then the ones I made or edit with others. */
export function ListsPage() {
  const lists = useQuery(myListsOptions());
  return (
    <div className="grid gap-5">
      <h1 className="text-2xl font-semibold">Lists</h1>
      <p className="text-muted-foreground">Rank films in lists of your own, tag them, share a list with a link, or edit one together with your household.</p>
      <NewListForm />
      {lists.isPending ? (
        <Skeleton className="h-24" />
      ) : lists.isError ? (
        <Alert variant="destructive">
          <AlertDescription>Lists could not load: {errorMessage(lists.error)}</AlertDescription>
        </Alert>
      ) : (
        <ul className="grid gap-2" aria-label="Your lists">
          {lists.data.items.map((list) => (
            <li key={list.id}>
              <Link to={list.default ? "/watchlist" : `/lists/${list.id}`} className="flex items-center gap-3 rounded-xl border p-3 hover:bg-accent">
                <ListOrdered aria-hidden="true" className="size-5 shrink-0 text-brand" />
                <span className="min-w-0 flex-1">
                  <span className="font-medium">{list.name}</span>
                  <span className="block text-sm text-muted-foreground">
                    {list.count} {list.count === 1 ? "film" : "films"}
                    {list.default ? " · your default list" : list.role === "member" ? " · shared with you to edit" : ""}
                  </span>
                </span>
                {list.members > 0 && <Users aria-label="Household list" className="size-4 text-muted-foreground" />}
                {list.shared && <Link2 aria-label="Shared by link" className="size-4 text-muted-foreground" />}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
