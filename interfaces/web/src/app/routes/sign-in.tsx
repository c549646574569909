import { useNavigate, useSearchParams } from "react-router";

import { AuthForm, SwitchLink } from "@/features/auth/forms";
import { signIn } from "@/lib/session";

export function safeNext(next: string | null): string {
  // Only paths inside this app: never an absolute or protocol-relative URL.
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/watchlist";
}

export function Component() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (
    <AuthForm
      mode="sign-in"
      onSubmit={async ({ email, password }) => {
        await signIn(email, password);
        navigate(safeNext(params.get("next")), { replace: true });
      }}
      footer={<SwitchLink to="/sign-up">New here? Create an account</SwitchLink>}
    />
  );
}
