// Turns the API's error bodies ({"detail": "..."} or FastAPI's validation list) into a line
// a person reads.
type ValidationItem = { loc?: (string | number)[]; msg?: string };

export function errorMessage(error: unknown, fallback = "Something went wrong. Try again."): string {
  const detail = (error as { detail?: unknown } | null | undefined)?.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail) && detail.length) {
    return (detail as ValidationItem[])
      .map((item) => {
        const field = item.loc?.filter((part) => part !== "body").join(".");
        return field ? `${field}: ${item.msg ?? "invalid"}` : (item.msg ?? "invalid");
      })
      .join("; ");
  }
  if (error instanceof Error && error.message) return error.message;
  return fallback;
}
