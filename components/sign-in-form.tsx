"use client";

import { signIn } from "next-auth/react";
import { useId, useState, type FormEvent } from "react";
import { ErrorSummary } from "./error-summary";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function SignInForm({ callbackUrl, defaultEmail }: { callbackUrl: string; defaultEmail?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const errorId = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    const problem = !email ? "Enter your email address" : EMAIL.test(email) ? null : "Enter an email address like name@example.com";
    setError(problem);
    // A problem: the error summary at the top of the form takes the focus and links to the field.
    if (problem) return;
    setPending(true);
    // Redirects to /sign-in/check-email whatever the address: the same answer for every address.
    await signIn("email", { email, callbackUrl });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <ErrorSummary state={error ? { ok: false, fieldErrors: { email: [error] } } : {}} />
      <div className="space-y-1">
        <label htmlFor="email" className="block font-medium">
          Email address
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={defaultEmail}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className="block w-full max-w-md rounded border border-slate-500 px-3 py-2"
        />
        {error ? (
          <p id={errorId} className="text-sm font-medium text-red-700" data-testid="email-error">
            {error}
          </p>
        ) : null}
      </div>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-70"
      >
        Send sign-in link
      </button>
    </form>
  );
}
