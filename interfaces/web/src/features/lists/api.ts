import type { QueryClient } from "@tanstack/react-query";

import type { ListOut } from "@/lib/api";
import { getListQueryKey, myListsQueryKey } from "@/lib/api/@tanstack/react-query.gen";

/** The lists feature's query keys (the generated client's, in one place). */
export const listQueries = {
  all: () => myListsQueryKey(),
  one: (listId: string) => getListQueryKey({ path: { list_id: listId } }),
};

/** A mutation answered with the list: show it at once, refresh the index. */
export function showList(queryClient: QueryClient, list: ListOut) {
  queryClient.setQueryData(listQueries.one(list.id), list);
  void queryClient.invalidateQueries({ queryKey: listQueries.all() });
}
