import { ImportPage } from "@/features/import";

export function Component() {
  return <ImportPage />;
}
