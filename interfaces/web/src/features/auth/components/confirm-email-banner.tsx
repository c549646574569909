import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

import { resendVerificationMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

/** Until the address is confirmed: what that means, and a way to get the link again. */
export function ConfirmEmailBanner({ email }: { email: string }) {
  const [said, setSaid] = useState("");
  const resend = useMutation({
    ...resendVerificationMutation(),
    onSuccess: (sent) => setSaid(`Sent again to ${sent.sent_to}. The new email has the same link, valid for three days.`),
    onError: (error) => setSaid(errorMessage(error)),
  });
  return (
    <div role="note" aria-label="Confirm your email" className="border-b bg-sky-100 px-4 py-1.5 text-center text-xs text-sky-950 sm:text-sm dark:bg-sky-950 dark:text-sky-100">
      Confirm your email with the link we sent to {email}: until then Kairos sends you no alerts.{" "}
      <button
        type="button"
        className="font-medium underline underline-offset-2 disabled:opacity-60"
        disabled={resend.isPending}
        onClick={() => resend.mutate({})}
      >
        Send the link again
      </button>
      <span role="status" className="block empty:hidden">
        {said}
      </span>
    </div>
  );
}
