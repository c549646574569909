// The browser session. The access token lives in this module's memory only (never in web
// storage); the refresh token is an httpOnly cookie the script cannot read. A refresh needs
// the X-Kairos-Session header as well as the cookie, so a cross-site request cannot use it.
import { refreshSession, signIn as signInCall, signOut as signOutCall } from "@/lib/api";
import { client } from "@/lib/api/client.gen";

export const SESSION_HEADER = { "X-Kairos-Session": "1" } as const;

let accessToken: string | null = null;
let refreshing: Promise<string | null> | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<(signedIn: boolean) => void>();

function setToken(token: string | null, expiresIn = 0) {
  clearTimeout(timer);
  // Refresh a minute before the access token expires, so requests rarely meet a 401.
  if (token && expiresIn > 90) timer = setTimeout(() => void refresh(), (expiresIn - 60) * 1000);
  const changed = (token === null) !== (accessToken === null);
  accessToken = token;
  if (changed) listeners.forEach((listener) => listener(token !== null));
}

export function onSessionChange(listener: (signedIn: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hasSession(): boolean {
  return accessToken !== null;
}

let restored: Promise<string | null> | null = null;
let restoring = true;

/** On page load: one refresh restores the session from the cookie (if any). */
export function restoreSession(): Promise<string | null> {
  restored ??= refresh().finally(() => {
    restoring = false;
    listeners.forEach((listener) => listener(accessToken !== null));
  });
  return restored;
}

export type SessionStatus = "checking" | "signed-in" | "signed-out";

export function sessionStatus(): SessionStatus {
  if (accessToken) return "signed-in";
  return restoring ? "checking" : "signed-out";
}

/** Exchanges the cookie for a fresh access token; one request at a time. */
export function refresh(): Promise<string | null> {
  refreshing ??= refreshSession({ headers: SESSION_HEADER })
    .then(({ data }) => {
      setToken(data?.access_token ?? null, data?.expires_in);
      return data?.access_token ?? null;
    })
    .catch(() => {
      setToken(null);
      return null;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export class SignInError extends Error {}

export async function signIn(email: string, password: string): Promise<void> {
  const { data, error, response } = await signInCall({
    body: { username: email, password },
    headers: SESSION_HEADER,
  });
  if (!data) {
    const detail = (error as { detail?: unknown } | undefined)?.detail;
    if (response?.status === 429) throw new SignInError("Too many attempts. Wait a minute and try again.");
    throw new SignInError(typeof detail === "string" ? detail : "Sign-in failed. Try again.");
  }
  restoring = false;
  setToken(data.access_token, data.expires_in);
}

export async function signOut(): Promise<void> {
  try {
    await signOutCall({ headers: SESSION_HEADER });
  } finally {
    setToken(null);
  }
}

/** Wires the generated client: same origin, bearer from memory, one silent retry on 401. */
export function configureClient(baseUrl = ""): void {
  client.setConfig({ baseUrl, credentials: "same-origin", auth: () => accessToken ?? undefined });
  // Errors carry their HTTP status, so queries skip retrying a 4xx and pages tell 404s apart.
  client.interceptors.error.use((error, response) => {
    const body = error && typeof error === "object" ? error : { detail: error };
    return Object.assign({}, body, { status: response?.status });
  });
  client.interceptors.response.use(async (response, request) => {
    if (response.status !== 401 || request.headers.get("X-Kairos-Retried")) return response;
    if (request.method !== "GET") return response; // a body cannot be sent twice
    if (new URL(request.url).pathname.startsWith("/auth/session")) return response;
    const token = await refresh();
    if (!token) return response;
    const retry = new Request(request, { headers: new Headers(request.headers) });
    retry.headers.set("Authorization", `Bearer ${token}`);
    retry.headers.set("X-Kairos-Retried", "1");
    return fetch(retry);
  });
}
