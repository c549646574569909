// Light exports the app shell needs on first load. The forms (React Hook Form + Zod) load
// with their routes: import them from "@/features/auth/forms".
export { authQueries } from "./api/queries";
export { RequireSession } from "./components/require-session";
export { useSessionStatus } from "./hooks/use-session";
export { ConfirmEmailBanner } from "./components/confirm-email-banner";
