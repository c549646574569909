import { useQuery } from "@tanstack/react-query";
import { useParams } from "react-router";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { sharedListOptions } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

/** A list someone shared by link: read-only, no account needed, nothing about its people. */
export function SharedListPage() {
  const { secret = "" } = useParams();
  const list = useQuery(sharedListOptions({ path: { secret } }));
  if (list.isPending) return <Skeleton className="h-40" />;
  if (list.isError) {
    return (
      <Alert variant="destructive">
        <AlertDescription>This link does not open a list: {errorMessage(list.error)}</AlertDescription>
      </Alert>
    );
  }
  return (
    <div className="grid gap-4">
      <h1 className="text-2xl font-semibold">{list.data.name}</h1>
      <p className="text-sm text-muted-foreground">A list shared with you, in its owner's order.</p>
      <ol className="grid gap-2" aria-label={list.data.name}>
        {list.data.items.map((item, index) => (
          <li key={item.tmdb_id} className="flex items-center gap-3 rounded-xl border p-3">
            <span className="w-6 text-right font-semibold tabular-nums">{index + 1}</span>
            {item.poster_url && <img src={item.poster_url} alt="" className="h-14 w-10 rounded object-cover" />}
            <span className="grid gap-1">
              <span className="font-medium">
                {item.title ?? `Film #${item.tmdb_id}`}
                {item.year ? <span className="text-muted-foreground"> ({item.year})</span> : null}
              </span>
              {item.tags.length > 0 && (
                <span className="flex flex-wrap gap-1">
                  {item.tags.map((tag) => (
                    <Badge key={tag} variant="secondary">
                      {tag}
                    </Badge>
                  ))}
                </span>
              )}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
