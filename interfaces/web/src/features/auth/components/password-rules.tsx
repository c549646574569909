import { Check, X } from "lucide-react";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 1024;

export function passwordRules(password: string, email = "") {
  return [
    { label: `At least ${PASSWORD_MIN} characters`, ok: password.length >= PASSWORD_MIN },
    { label: "Not the same as your email", ok: !!password && password.toLowerCase() !== email.trim().toLowerCase() },
    { label: "Not only spaces", ok: password.trim().length > 0 },
  ];
}

export function PasswordRules({ password, email, id }: { password: string; email: string; id: string }) {
  return (
    <ul id={id} className="grid gap-1 text-sm" aria-label="Requirements">
      {passwordRules(password, email).map((rule) => (
        <li key={rule.label} className={rule.ok ? "flex items-center gap-1.5 text-emerald-700 dark:text-emerald-400" : "flex items-center gap-1.5 text-muted-foreground"}>
          {rule.ok ? <Check aria-hidden="true" className="size-4" /> : <X aria-hidden="true" className="size-4" />}
          <span>
            {rule.label}
            <span className="sr-only">{rule.ok ? " (met)" : " (not met yet)"}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
