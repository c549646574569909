import { useMutation, useQueryClient } from "@tanstack/react-query";
import { UserMinus, UserPlus } from "lucide-react";
import { useId, useState } from "react";
import { useNavigate } from "react-router";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { ListOut } from "@/lib/api";
import { addMemberMutation, removeMemberMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { listQueries, showList } from "../api";

/** A household list: the owner adds accounts by email; a member may leave. */
export function MembersPanel({ list, myId }: { list: ListOut; myId?: string }) {
  const id = useId();
  const [email, setEmail] = useState("");
  const [said, setSaid] = useState("");
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const owner = list.role === "owner";
  const add = useMutation({
    ...addMemberMutation(),
    onSuccess: (fresh) => {
      showList(queryClient, fresh);
      setSaid(`${email} can now edit ${fresh.name}.`);
      setEmail("");
    },
    onError: (error) => setSaid(errorMessage(error)),
  });
  const remove = useMutation({
    ...removeMemberMutation(),
    onSuccess: (_, { path }) => {
      void queryClient.invalidateQueries({ queryKey: listQueries.all() });
      if (!owner) {
        navigate("/lists");
        return;
      }
      void queryClient.invalidateQueries({ queryKey: listQueries.one(list.id) });
      setSaid(`Removed ${list.members.find((m) => m.account_id === path.account_id)?.email ?? "the member"}.`);
    },
    onError: (error) => setSaid(errorMessage(error)),
  });
  const me = list.members.find((m) => m.account_id === myId);
  return (
    <section aria-labelledby={`${id}-h`} className="grid gap-2 rounded-xl border p-4">
      <h2 id={`${id}-h`} className="font-semibold">
        Household
      </h2>
      {list.members.length === 0 ? (
        <p className="text-sm text-muted-foreground">Only you edit this list.</p>
      ) : (
        <ul className="grid gap-1" aria-label="People who edit this list">
          {list.members.map((m) => (
            <li key={m.account_id} className="flex items-center justify-between gap-2 text-sm">
              <span>{m.email ?? "an erased account"}</span>
              {owner && (
                <Button variant="ghost" size="sm" aria-label={`Remove ${m.email ?? "this member"}`} onClick={() => remove.mutate({ path: { list_id: list.id, account_id: m.account_id } })}>
                  <UserMinus aria-hidden="true" />
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {owner ? (
        <form
          className="flex flex-wrap gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (email.trim()) add.mutate({ path: { list_id: list.id }, body: { email: email.trim() } });
          }}
        >
          <label htmlFor={id} className="sr-only">
            Email of someone to edit with
          </label>
          <Input id={id} type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="Email of someone to edit with" className="max-w-xs" />
          <Button type="submit" variant="outline" disabled={add.isPending}>
            <UserPlus aria-hidden="true" /> Add
          </Button>
        </form>
      ) : (
        me && (
          <Button variant="outline" className="justify-self-start" onClick={() => remove.mutate({ path: { list_id: list.id, account_id: me.account_id } })}>
            Leave this list
          </Button>
        )
      )}
      <p role="status" className="text-sm text-muted-foreground">
        {said}
      </p>
    </section>
  );
}
