import "@/lib/zod-setup";

import { zodResolver } from "@hookform/resolvers/zod";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import * as z from "zod";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PasswordRules } from "@/features/auth/components/password-rules";
import { zRegisterRequest } from "@/lib/api/zod.gen";

// The generated schema carries the server's limits; the form adds what a person needs told.
const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email").email("Enter an email address like ada@example.com"),
  password: z.string().min(1, "Enter your password"),
});
const signUpSchema = zRegisterRequest
  .extend({
    email: z.string().trim().min(1, "Enter your email").max(254, "That email is too long").email("Enter an email address like ada@example.com"),
    password: z.string().min(8, "Use at least 8 characters").max(1024, "That password is too long"),
  })
  .refine((v) => v.password.toLowerCase() !== v.email.toLowerCase(), {
    path: ["password"],
    message: "Do not use your email as your password",
  });

export type AuthValues = z.infer<typeof signInSchema>;

type Props = {
  mode: "sign-in" | "sign-up";
  onSubmit: (values: AuthValues) => Promise<void>;
  footer?: React.ReactNode;
};

export function AuthForm({ mode, onSubmit, footer }: Props) {
  const signUp = mode === "sign-up";
  const [serverError, setServerError] = useState<string | null>(null);
  const form = useForm<AuthValues>({
    resolver: zodResolver(signUp ? signUpSchema : signInSchema),
    defaultValues: { email: "", password: "" },
    mode: "onTouched",
  });
  const { errors, isSubmitting } = form.formState;
  const ids = { email: useId(), password: useId(), rules: useId(), emailError: useId(), passwordError: useId() };
  const password = form.watch("password");
  const email = form.watch("email");
  const title = signUp ? "Create your account" : "Sign in";

  const submit = form.handleSubmit(async (values) => {
    setServerError(null);
    try {
      await onSubmit(values);
    } catch (error) {
      setServerError(error instanceof Error ? error.message : "Something went wrong. Try again.");
    }
  });

  return (
    <Card className="mx-auto w-full max-w-sm">
      <CardHeader>
        <h1 className="text-xl font-semibold leading-none">{title}</h1>
        <CardDescription>
          {signUp ? "A watchlist that knows where each film streams." : "Welcome back to your watchlist."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form noValidate onSubmit={submit} className="grid gap-4">
          {serverError && (
            <Alert variant="destructive">
              <AlertDescription>{serverError}</AlertDescription>
            </Alert>
          )}
          <div className="grid gap-2">
            <Label htmlFor={ids.email}>Email</Label>
            <Input
              id={ids.email}
              type="email"
              autoComplete={signUp ? "email" : "username"}
              aria-invalid={!!errors.email}
              aria-describedby={errors.email ? ids.emailError : undefined}
              {...form.register("email")}
            />
            {errors.email && (
              <p id={ids.emailError} className="text-sm text-destructive">
                {errors.email.message}
              </p>
            )}
          </div>
          <div className="grid gap-2">
            <Label htmlFor={ids.password}>Password</Label>
            <Input
              id={ids.password}
              type="password"
              autoComplete={signUp ? "new-password" : "current-password"}
              aria-invalid={!!errors.password}
              aria-describedby={[errors.password ? ids.passwordError : "", signUp ? ids.rules : ""].join(" ").trim() || undefined}
              {...form.register("password")}
            />
            {errors.password && (
              <p id={ids.passwordError} className="text-sm text-destructive">
                {errors.password.message}
              </p>
            )}
            {signUp && <PasswordRules id={ids.rules} password={password} email={email} />}
          </div>
          <Button type="submit" disabled={isSubmitting}>
            {signUp ? "Sign up" : "Sign in"}
          </Button>
          <p role="status" className="sr-only">
            {isSubmitting ? (signUp ? "Creating your account" : "Signing in") : ""}
          </p>
          {footer}
        </form>
      </CardContent>
    </Card>
  );
}

export function SwitchLink({ to, children }: { to: string; children: React.ReactNode }) {
  return (
    <p className="text-center text-sm text-muted-foreground">
      <Link to={to} className="font-medium text-foreground underline underline-offset-4">
        {children}
      </Link>
    </p>
  );
}
