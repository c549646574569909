import { Check } from "lucide-react";

import type { ServiceOut } from "@/lib/api";
import { cn } from "@/lib/utils";

type Props = { services: ServiceOut[]; chosen: string[]; onToggle: (slug: string) => void };

/** Services as a grid of logo toggles (each a button with aria-pressed). */
export function ServiceGrid({ services, chosen, onToggle }: Props) {
  return (
    <ul className="grid grid-cols-3 gap-3 sm:grid-cols-4 md:grid-cols-6">
      {services.map((service) => {
        const on = chosen.includes(service.service);
        return (
          <li key={service.service}>
            <button
              type="button"
              aria-pressed={on}
              onClick={() => onToggle(service.service)}
              className={cn(
                "relative flex w-full flex-col items-center gap-2 rounded-xl border p-3 text-center text-xs font-medium outline-none transition focus-visible:ring-[3px] focus-visible:ring-ring/60",
                on ? "border-primary bg-accent" : "hover:bg-accent/60",
              )}
            >
              {service.logo_url ? (
                <img src={service.logo_url} alt="" width={56} height={56} className="size-14 rounded-lg" loading="lazy" />
              ) : (
                <span aria-hidden="true" className="flex size-14 items-center justify-center rounded-lg bg-muted text-lg font-bold">
                  {service.name.slice(0, 2)}
                </span>
              )}
              <span className="line-clamp-2">{service.name}</span>
              {on && (
                <span className="absolute right-1.5 top-1.5 rounded-full bg-primary p-0.5 text-primary-foreground">
                  <Check aria-hidden="true" className="size-3" />
                </span>
              )}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
