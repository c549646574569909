import { meOptions } from "@/lib/api/@tanstack/react-query.gen";

/** Query keys and options of the auth feature. */
export const authQueries = {
  me: () => meOptions(),
};
