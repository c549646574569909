import "@/lib/zod-setup";

import { zodResolver } from "@hookform/resolvers/zod";
import { useId } from "react";
import { useForm } from "react-hook-form";
import * as z from "zod";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

const budgetSchema = z.object({
  budget: z.coerce
    .number({ message: "Enter a monthly budget, like 25" })
    .min(0, "The budget cannot be negative")
    .max(100_000, "Enter at most 100000"),
});
type BudgetInput = z.input<typeof budgetSchema>;
type BudgetValues = z.output<typeof budgetSchema>;

type Props = { budget: number | null; currency: string; onPlan: (budget: number) => void };

/** The monthly budget to plan for. */
export function BudgetForm({ budget, currency, onPlan }: Props) {
  const ids = { budget: useId(), error: useId() };
  const form = useForm<BudgetInput, unknown, BudgetValues>({
    resolver: zodResolver(budgetSchema),
    defaultValues: { budget: budget ?? 25 },
    mode: "onTouched",
  });
  const error = form.formState.errors.budget;
  return (
    <form noValidate className="flex flex-wrap items-end gap-3" onSubmit={form.handleSubmit((v) => onPlan(v.budget))}>
      <div className="grid gap-2">
        <Label htmlFor={ids.budget}>Monthly budget ({currency})</Label>
        <Input
          id={ids.budget}
          inputMode="decimal"
          className="w-40"
          aria-invalid={!!error}
          aria-describedby={error ? ids.error : undefined}
          {...form.register("budget")}
        />
      </div>
      <Button type="submit">Plan</Button>
      {error && (
        <p id={ids.error} className="basis-full text-sm text-destructive">
          {error.message}
        </p>
      )}
    </form>
  );
}
