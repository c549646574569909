// How the compliance heatmap colours a participant-day: five levels of response rate, and
// a separate look for days with nothing sent. Levels are also said in words (not colour only).
export type HeatLevel = "none" | 0 | 1 | 2 | 3 | 4;

/** Response rate (answered / sent) of a cell to a level; null or nothing sent is "none". */
export function heatLevel(sent: number, answered: number): HeatLevel {
  if (sent <= 0) return "none";
  const rate = Math.min(1, Math.max(0, answered / sent));
  if (rate === 0) return 0;
  if (rate < 0.5) return 1;
  if (rate < 0.75) return 2;
  if (rate < 1) return 3;
  return 4;
}

export const HEAT_CLASSES: Record<string, string> = {
  none: "bg-muted text-muted-foreground",
  "0": "bg-rose-200 text-rose-950 dark:bg-rose-900 dark:text-rose-50",
  "1": "bg-amber-200 text-amber-950 dark:bg-amber-900 dark:text-amber-50",
  "2": "bg-lime-200 text-lime-950 dark:bg-lime-900 dark:text-lime-50",
  "3": "bg-emerald-300 text-emerald-950 dark:bg-emerald-800 dark:text-emerald-50",
  "4": "bg-emerald-600 text-white dark:bg-emerald-500 dark:text-emerald-950",
};

export function heatClass(level: HeatLevel): string {
  return HEAT_CLASSES[String(level)] ?? HEAT_CLASSES.none!;
}

/** The words a screen reader hears for a cell. */
export function heatLabel(day: string, sent: number, answered: number): string {
  if (sent <= 0) return `${day}: nothing sent`;
  return `${day}: ${answered} of ${sent} answered (${Math.round((answered / sent) * 100)}%)`;
}

/** The days shown: the last `max` of the campaign's days (a long study scrolls). */
export function visibleDays(days: readonly string[], max: number): string[] {
  return days.length <= max ? [...days] : days.slice(days.length - max);
}

export const OUTCOME_CLASSES: Record<string, string> = {
  answered: "bg-emerald-600 dark:bg-emerald-500",
  expired: "bg-rose-500",
  cancelled: "bg-zinc-400 dark:bg-zinc-500",
  pending: "border border-dashed border-zinc-500 bg-transparent",
};
