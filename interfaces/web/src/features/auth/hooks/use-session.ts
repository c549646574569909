import { useSyncExternalStore } from "react";

import { onSessionChange, sessionStatus, type SessionStatus } from "@/lib/session";

export function useSessionStatus(): SessionStatus {
  return useSyncExternalStore(onSessionChange, sessionStatus, sessionStatus);
}
