import { ListPage } from "@/features/lists";

export function Component() {
  return <ListPage />;
}
