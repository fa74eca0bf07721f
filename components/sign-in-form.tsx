"use client";

import { signIn } from "next-auth/react";
import { useId, useRef, useState, type FormEvent } from "react";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function SignInForm({ callbackUrl, defaultEmail }: { callbackUrl: string; defaultEmail?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const errorId = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    const problem = !email ? "Enter your email address" : EMAIL.test(email) ? null : "Enter an email address like name@example.com";
    setError(problem);
    if (problem) {
      input.current?.focus();
      return;
    }
    setPending(true);
    // Redirects to /sign-in/check-email whatever the address: the same answer for every address.
    await signIn("email", { email, callbackUrl });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <div className="space-y-1">
        <label htmlFor="email" className="block font-medium">
          Email address
        </label>
        <input
          ref={input}
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
