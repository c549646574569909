import { useQuery } from "@tanstack/react-query";

import { Alert } from "@/components/ui/alert";
import { surveyPreview } from "@/lib/api";
import { errorMessage } from "@/lib/http-error";

import { useDebounced } from "../hooks";
import { type Question, toPayload } from "../lib/questions";

/** The real participant page (the server's survey template) for the questionnaire being
 *  edited, in a phone-sized frame. The frame is sandboxed: no script, no form posting. */
export function PhonePreview({ name, description, questions }: { name: string; description: string; questions: Question[] }) {
  const body = useDebounced({ name, description, questionnaire: { questions: questions.map(toPayload) } }, 400);
  const preview = useQuery({
    queryKey: ["console", "survey-preview", body],
    queryFn: async () => (await surveyPreview({ body, throwOnError: true })).data,
    placeholderData: (previous) => previous,
    retry: false,
  });
  return (
    <figure className="grid justify-items-center gap-2">
      <div className="w-[300px] rounded-[2.25rem] border-[10px] border-zinc-900 bg-zinc-900 shadow-xl dark:border-zinc-700">
        <div className="mx-auto mb-1 h-1.5 w-16 rounded-full bg-zinc-700" aria-hidden="true" />
        <iframe title="Participant page preview" sandbox="" className="h-[560px] w-full rounded-[1.5rem] bg-white" srcDoc={preview.data?.html ?? "<p style='font-family:sans-serif;padding:1rem'>Loading…</p>"} />
      </div>
      <figcaption className="text-center text-xs text-muted-foreground">The page participants open from their email, as a phone shows it; it updates as you type.</figcaption>
      {preview.isError && (
        <Alert variant="destructive" className="max-w-[300px]">
          {errorMessage(preview.error)}
        </Alert>
      )}
    </figure>
  );
}
