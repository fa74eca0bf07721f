import { htmlLayout, type RenderedEmail } from "./layout";

export function signInEmail(opts: { url: string; minutesValid: number }): RenderedEmail {
  return {
    subject: "Your sign-in link for the Install Code Request portal",
    text: [
      "Use this link to sign in to the Install Code Request portal:",
      "",
      opts.url,
      "",
      `The link works once and expires in ${opts.minutesValid} minutes.`,
      "If you did not ask to sign in, you can ignore this email.",
    ].join("\n"),
    html: htmlLayout({
      title: "Sign in to the Install Code Request portal",
      paragraphs: [
        `The link below works once and expires in ${opts.minutesValid} minutes.`,
        "If you did not ask to sign in, you can ignore this email.",
      ],
      action: { label: "Sign in", url: opts.url },
    }),
  };
}
