import { Bell, Clapperboard, FlaskConical, ListOrdered, PiggyBank, ShieldCheck, Sparkles, Upload } from "lucide-react";

import type { NavItem } from "@/components/layout/app-shell";

const iconClass = "size-5 md:size-4";

/** The main navigation for a person's roles (the researcher console adds its items here). */
export function navFor(roles: readonly string[]): NavItem[] {
  const esm: NavItem[] = [];
  if (roles.includes("researcher") || roles.includes("admin")) {
    esm.push({ to: "/console", label: "Console", icon: <FlaskConical aria-hidden="true" className={iconClass} /> });
  } else if (roles.includes("auditor")) {
    esm.push({ to: "/console/audit", label: "Audit", icon: <ShieldCheck aria-hidden="true" className={iconClass} /> });
  }
  return [
    ...esm,
    { to: "/watchlist", label: "Watchlist", icon: <Clapperboard aria-hidden="true" className={iconClass} /> },
    { to: "/lists", label: "Lists", icon: <ListOrdered aria-hidden="true" className={iconClass} /> },
    { to: "/suggestions", label: "Suggestions", icon: <Sparkles aria-hidden="true" className={iconClass} /> },
    { to: "/alerts", label: "Alerts", icon: <Bell aria-hidden="true" className={iconClass} /> },
    { to: "/import", label: "Import", icon: <Upload aria-hidden="true" className={iconClass} /> },
    { to: "/plan", label: "Plan", icon: <PiggyBank aria-hidden="true" className={iconClass} /> },
  ];
}
