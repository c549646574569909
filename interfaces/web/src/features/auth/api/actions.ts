import { register } from "@/lib/api";
import { errorMessage } from "@/lib/http-error";
import { signIn } from "@/lib/session";

export async function signUpAndIn(email: string, password: string): Promise<void> {
  const { error, response } = await register({ body: { email, password } });
  if (error) {
    if (response.status === 409) throw new Error("An account with this email already exists. Sign in instead.");
    if (response.status === 429) throw new Error("Too many sign-ups from here. Wait a minute and try again.");
    throw new Error(capitalise(errorMessage(error)));
  }
  await signIn(email, password);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
