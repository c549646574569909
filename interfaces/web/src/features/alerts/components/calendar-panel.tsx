import { useMutation } from "@tanstack/react-query";
import { CalendarPlus, CalendarX } from "lucide-react";
import { useId, useState } from "react";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { issueCalendarMutation, revokeCalendarMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

/** The release calendar: a secret iCal URL to subscribe to, shown once; a new one replaces
 * the old, and it can be stopped. */
export function CalendarPanel() {
  const id = useId();
  const [url, setUrl] = useState<string | null>(null);
  const [said, setSaid] = useState("");
  const issue = useMutation({
    ...issueCalendarMutation(),
    onSuccess: (answer) => {
      setUrl(answer.url);
      setSaid("Subscribe to this address in your calendar app. Copy it now: it is shown only once.");
    },
    onError: (error) => setSaid(errorMessage(error)),
  });
  const revoke = useMutation({
    ...revokeCalendarMutation(),
    onSuccess: () => {
      setUrl(null);
      setSaid("The calendar address no longer works.");
    },
    onError: (error) => setSaid(errorMessage(error)),
  });
  return (
    <section aria-labelledby={`${id}-h`} className="grid gap-2 rounded-xl border p-4">
      <h2 id={`${id}-h`} className="text-lg font-semibold">
        Release calendar
      </h2>
      <p className="text-sm text-muted-foreground">An iCal feed of when the films on your lists arrived to stream in your region, for your calendar app.</p>
      <div className="flex flex-wrap gap-2">
        <Button variant="outline" onClick={() => issue.mutate({})} disabled={issue.isPending}>
          <CalendarPlus aria-hidden="true" /> Create a calendar address
        </Button>
        <Button variant="ghost" onClick={() => revoke.mutate({})} disabled={revoke.isPending}>
          <CalendarX aria-hidden="true" /> Stop the calendar address
        </Button>
      </div>
      {url && (
        <>
          <label htmlFor={id} className="text-sm">
            Calendar address
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
