/** Cents as money in the plan's currency ("€23.98"), for the person's locale. */
export function formatCents(cents: number, currency: string, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}

/** "Heat, Alien and 3 more" */
export function titleList(titles: readonly { title?: string | null; tmdb_id: number }[], shown = 3): string {
  const names = titles.map((t) => t.title ?? `Film #${t.tmdb_id}`);
  if (names.length <= shown) return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "");
  return `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}
