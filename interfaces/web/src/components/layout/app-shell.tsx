import type { ReactNode } from "react";
import { Link, NavLink } from "react-router";

import { cn } from "@/lib/utils";

import { ThemeToggle } from "./theme-toggle";

export type NavItem = { to: string; label: string; icon: ReactNode };

type Props = {
  nav: NavItem[];
  banner?: ReactNode;
  account?: ReactNode;
  footer?: ReactNode;
  children: ReactNode;
};

/** The frame of every page: skip link, header with navigation, main, footer. On a phone the
 * navigation sits in a bar at the bottom of the screen. */
export function AppShell({ nav, banner, account, footer, children }: Props) {
  return (
    <div className="flex min-h-dvh flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:ring-2">
        Skip to content
      </a>
      {banner}
      <header className="sticky top-0 z-30 border-b bg-background/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-4 px-4">
          <Link to="/" className="flex shrink-0 items-center gap-2 font-semibold">
            <img src="/favicon.svg" alt="" width={24} height={24} />
            <span>Kairos</span>
          </Link>
          {nav.length > 0 && (
            <nav aria-label="Main" className="hidden min-w-0 md:block">
              <NavLinks nav={nav} />
            </nav>
          )}
          <div className="ml-auto flex shrink-0 items-center gap-1">
            <ThemeToggle />
            {account}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className={cn("mx-auto w-full max-w-6xl flex-1 px-4 py-6 outline-none", nav.length > 0 && "pb-24 md:pb-6")}>
        {children}
      </main>
      <footer className={cn("border-t py-4", nav.length > 0 && "mb-16 md:mb-0")}>
        <div className="mx-auto max-w-6xl px-4">{footer}</div>
      </footer>
      {nav.length > 0 && (
        <nav aria-label="Main (phone)" className="fixed inset-x-0 bottom-0 z-30 border-t bg-background md:hidden">
          <NavLinks nav={nav} phone />
        </nav>
      )}
    </div>
  );
}

/** Up to five items share a phone's width; more scroll sideways (the sixth shows half, so the
 * bar says there is more), every one still a link of its own. On a tablet-sized screen the
 * header shows icons with their names for screen readers, names from the laptop size up. */
const PHONE_ITEMS = 5;

function NavLinks({ nav, phone = false }: { nav: NavItem[]; phone?: boolean }) {
  const scrolls = phone && nav.length > PHONE_ITEMS;
  return (
    <ul
      className={cn(
        phone ? "grid grid-flow-col auto-cols-fr" : "flex items-center gap-1",
        scrolls && "flex snap-x overflow-x-auto overscroll-x-contain [scrollbar-width:none]",
      )}
    >
      {nav.map((item) => (
        <li key={item.to} className={cn("min-w-0", scrolls && "w-[22%] shrink-0 snap-start")}>
          <NavLink
            to={item.to}
            title={phone ? undefined : item.label}
            className={({ isActive }) =>
              cn(
                "flex items-center gap-2 whitespace-nowrap rounded-md text-sm font-medium text-muted-foreground hover:text-foreground [&_svg]:shrink-0",
                phone ? "min-w-0 flex-col gap-0.5 px-0.5 py-2 text-[11px] sm:text-xs" : "px-2.5 py-2 lg:px-3",
                isActive && "text-foreground",
                isActive && !phone && "bg-accent",
              )
            }
          >
            {item.icon}
            <span className={phone ? "max-w-full truncate" : "sr-only lg:not-sr-only"}>{item.label}</span>
          </NavLink>
        </li>
      ))}
    </ul>
  );
}
