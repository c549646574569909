import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { describe, expect, it, vi } from "vitest";

import { AuthForm } from "./auth-form";

function renderForm(mode: "sign-in" | "sign-up", onSubmit = vi.fn(async () => {})) {
  render(
    <MemoryRouter>
      <AuthForm mode={mode} onSubmit={onSubmit} />
    </MemoryRouter>,
  );
  return onSubmit;
}

describe("AuthForm", () => {
  it("shows errors inline and does not submit bad input", async () => {
    const onSubmit = renderForm("sign-up");
    await userEvent.type(screen.getByLabelText("Email"), "nope");
    await userEvent.type(screen.getByLabelText("Password"), "short");
    await userEvent.click(screen.getByRole("button", { name: "Sign up" }));
    expect(await screen.findByText("Enter an email address like ada@example.com")).toBeInTheDocument();
    expect(screen.getByText("Use at least 8 characters")).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("refuses the email as the password", async () => {
    renderForm("sign-up");
    await userEvent.type(screen.getByLabelText("Email"), "ada@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "ada@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Sign up" }));
    expect(await screen.findByText("Do not use your email as your password")).toBeInTheDocument();
  });

  it("submits good input and shows the server's refusal", async () => {
    const onSubmit = renderForm("sign-in", vi.fn(async () => Promise.reject(new Error("incorrect email or password"))));
    await userEvent.type(screen.getByLabelText("Email"), "ada@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "correct horse");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(onSubmit).toHaveBeenCalledWith({ email: "ada@example.com", password: "correct horse" });
    expect(await screen.findByRole("alert")).toHaveTextContent("incorrect email or password");
  });
});
