import { useNavigate } from "react-router";

import { AuthForm, signUpAndIn, SwitchLink } from "@/features/auth/forms";

export function Component() {
  const navigate = useNavigate();
  return (
    <AuthForm
      mode="sign-up"
      onSubmit={async ({ email, password }) => {
        await signUpAndIn(email, password);
        navigate("/onboarding", { replace: true });
      }}
      footer={<SwitchLink to="/sign-in">Already have an account? Sign in</SwitchLink>}
    />
  );
}
