import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useLayoutEffect, useRef, useState } from "react";

import type { ServiceOut, WatchlistItem } from "@/lib/api";

import { TitleCard, TitleRow } from "./title-card";

type Props = { items: WatchlistItem[]; services: readonly string[]; bySlug: Map<string, ServiceOut>; view: "grid" | "list" };

function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    setWidth(node.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(entry.contentRect.width));
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/** The watchlist as poster rows or list rows, virtualised against the window scroll, so a
 * 500-title list renders only what is on screen. */
export function VirtualTitles({ items, services, bySlug, view }: Props) {
  const { ref, width } = useWidth();
  const gap = 16;
  const columns = view === "list" ? 1 : Math.max(2, Math.floor((width + gap) / (width < 500 ? 120 : 170)));
  const cardWidth = (width - gap * (columns - 1)) / columns;
  const rowHeight = view === "list" ? 88 : Math.round(cardWidth * 1.5 + 86);
  const rows = Math.ceil(items.length / columns);
  const virtualizer = useWindowVirtualizer({
    count: rows,
    estimateSize: () => rowHeight,
    overscan: 3,
    scrollMargin: ref.current?.offsetTop ?? 0,
  });
  useLayoutEffect(() => virtualizer.measure(), [rowHeight, columns, virtualizer]);

  return (
    <div ref={ref} role="list" aria-label="Titles">
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {width > 0 &&
          virtualizer.getVirtualItems().map((row) => (
            <div
              key={row.key}
              data-index={row.index}
              ref={virtualizer.measureElement}
              className={view === "grid" ? "absolute inset-x-0 grid" : "absolute inset-x-0"}
              style={{
                transform: `translateY(${row.start - virtualizer.options.scrollMargin}px)`,
                gridTemplateColumns: view === "grid" ? `repeat(${columns}, minmax(0, 1fr))` : undefined,
                gap: view === "grid" ? gap : undefined,
                paddingBottom: view === "grid" ? gap : undefined,
              }}
            >
              {items.slice(row.index * columns, row.index * columns + columns).map((item, i) => (
                <div role="listitem" key={item.tmdb_id} aria-posinset={row.index * columns + i + 1} aria-setsize={items.length}>
                  {view === "grid" ? (
                    <TitleCard item={item} services={services} bySlug={bySlug} eager={row.index < 2} />
                  ) : (
                    <TitleRow item={item} services={services} bySlug={bySlug} />
                  )}
                </div>
              ))}
            </div>
          ))}
      </div>
    </div>
  );
}
