import { Film } from "lucide-react";

import { cn } from "@/lib/utils";

type Props = { url: string | null | undefined; title: string; className?: string; eager?: boolean };

/** A poster with its title as text alternative, or a placeholder while it is unknown. */
export function Poster({ url, title, className, eager = false }: Props) {
  if (!url) {
    return (
      <div className={cn("flex aspect-[2/3] w-full items-center justify-center rounded-md bg-muted p-2 text-center text-xs text-muted-foreground", className)}>
        <Film aria-hidden="true" className="mb-1 size-6" />
        <span className="sr-only">No poster for {title}</span>
      </div>
    );
  }
  return (
    <img
      src={url}
      alt={`Poster of ${title}`}
      width={342}
      height={513}
      loading={eager ? "eager" : "lazy"}
      decoding="async"
      className={cn("aspect-[2/3] w-full rounded-md bg-muted object-cover", className)}
    />
  );
}
