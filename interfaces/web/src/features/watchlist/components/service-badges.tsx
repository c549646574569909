import type { Offer, ServiceOut } from "@/lib/api";

type Props = { offers: Offer[]; bySlug: Map<string, ServiceOut>; max?: number };

/** Badges of the services where a title streams (on my services, in my region). */
export function ServiceBadges({ offers, bySlug, max = 3 }: Props) {
  const slugs = [...new Set(offers.map((o) => o.service))];
  if (slugs.length === 0) return null;
  const names = slugs.map((s) => bySlug.get(s)?.name ?? s);
  return (
    <ul className="flex flex-wrap gap-1" aria-label={`Streams on ${names.join(", ")}`}>
      {slugs.slice(0, max).map((slug, i) => {
        const logo = bySlug.get(slug)?.logo_url;
        return (
          <li key={slug} className="flex items-center gap-1 rounded bg-secondary px-1 py-0.5 text-[11px] font-medium text-secondary-foreground">
            {logo && <img src={logo} alt="" width={14} height={14} className="size-3.5 rounded-sm" />}
            <span aria-hidden="true">{names[i]}</span>
          </li>
        );
      })}
      {slugs.length > max && <li className="px-1 text-[11px] text-muted-foreground" aria-hidden="true">+{slugs.length - max}</li>}
    </ul>
  );
}
