import { cn } from "@/lib/utils";

const TONES: Record<string, string> = {
  draft: "bg-sky-100 text-sky-950 dark:bg-sky-950 dark:text-sky-100",
  active: "bg-emerald-100 text-emerald-950 dark:bg-emerald-950 dark:text-emerald-100",
  paused: "bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-100",
  completed: "bg-zinc-200 text-zinc-950 dark:bg-zinc-800 dark:text-zinc-100",
  archived: "bg-zinc-100 text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300",
  pending: "bg-sky-100 text-sky-950 dark:bg-sky-950 dark:text-sky-100",
  withdrawn: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  erased: "bg-rose-100 text-rose-950 dark:bg-rose-950 dark:text-rose-100",
  answered: "bg-emerald-100 text-emerald-950 dark:bg-emerald-950 dark:text-emerald-100",
  expired: "bg-rose-100 text-rose-950 dark:bg-rose-950 dark:text-rose-100",
  cancelled: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
};

/** A status in words, tinted by its kind (the word carries the meaning, not the colour). */
export function StatusBadge({ status, className }: { status: string; className?: string }) {
  return <span className={cn("inline-flex w-fit items-center rounded-md px-2 py-0.5 text-xs font-medium", TONES[status] ?? "bg-muted", className)}>{status}</span>;
}
