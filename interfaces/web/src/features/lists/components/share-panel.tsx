import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link2, Link2Off } from "lucide-react";
import { useId, useState } from "react";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { ListOut } from "@/lib/api";
import { revokeShareMutation, shareListMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { listQueries } from "../api";

/** The owner's read-only link: create (a new one replaces the old), copy, revoke. The link
 * is shown once: Kairos keeps only its hash. */
export function SharePanel({ list }: { list: ListOut }) {
  const id = useId();
  const [url, setUrl] = useState<string | null>(null);
  const [said, setSaid] = useState("");
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: listQueries.one(list.id) });
    void queryClient.invalidateQueries({ queryKey: listQueries.all() });
  };
  const share = useMutation({
    ...shareListMutation(),
    onSuccess: (link) => {
      setUrl(link.page_url);
      setSaid("Anyone with this link can see the list, without an account. Copy it now: it is shown only once.");
      refresh();
    },
    onError: (error) => setSaid(errorMessage(error)),
  });
  const revoke = useMutation({
    ...revokeShareMutation(),
    onSuccess: () => {
      setUrl(null);
      setSaid("The link no longer opens the list.");
      refresh();
    },
    onError: (error) => setSaid(errorMessage(error)),
  });
  const path = { path: { list_id: list.id } };
  return (
    <section aria-labelledby={`${id}-h`} className="grid gap-2 rounded-xl border p-4">
      <h2 id={`${id}-h`} className="font-semibold">
        Share read-only
      </h2>
      <div className="flex flex-wrap gap-2">
        <Button variant="outline" onClick={() => share.mutate(path)} disabled={share.isPending}>
          <Link2 aria-hidden="true" /> {list.shared ? "Make a new link" : "Create a share link"}
        </Button>
        {list.shared && (
          <Button variant="ghost" onClick={() => revoke.mutate(path)} disabled={revoke.isPending}>
            <Link2Off aria-hidden="true" /> Revoke the link
          </Button>
        )}
      </div>
      {url && (
        <>
          <label htmlFor={id} className="text-sm">
            Share link
          </label>
          <Input id={id} readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        </>
      )}
      <p role="status" className="text-sm text-muted-foreground">
        {said}
      </p>
    </section>
  );
}
