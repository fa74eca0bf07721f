import type { EmailCategory } from "../db/generated/enums";

export type { EmailCategory };

// What each kind of email is for: its place in the sending order, and whether a person may turn it
// off (docs/decisions/024-email-recipients.md). The assignment and breach emails of a person's own
// organisation are what the five-Working-Day obligation needs: nobody can turn them off. Nor the
// DECLINED email: nobody will answer the raiser's request (docs/decisions/030-decline.md).

/**
 * Sending order (lower first, then oldest first): someone waiting to sign in goes before everything;
 * the emails that move a request on, or say its obligation was breached, before the ones that only
 * remind or summarise, so that a bulk raise's thousands of emails never hold up a sign-in link.
 */
export const CATEGORY_PRIORITY: Record<EmailCategory, number> = {
  SIGN_IN: 0,
  ASSIGNMENT: 1,
  BREACH: 1,
  DECLINED: 1,
  ANSWER: 1,
  NOTE: 1,
  REMINDER: 2,
  REPORT: 2,
  DIGEST: 2,
  INVITATION: 1,
  // Someone is waiting at the profile page for it.
  EMAIL_CHANGE: 0,
};

/** A person's email switches (User's columns of the same names). */
export type EmailPreferences = {
  emailAnswers: boolean;
  emailNotes: boolean;
  emailReminders: boolean;
  emailReports: boolean;
  emailDigest: boolean;
};

export const EMAIL_PREFERENCE_FIELDS = ["emailAnswers", "emailNotes", "emailReminders", "emailReports", "emailDigest"] as const;

/** The switch that governs each optional category; the others are always sent. */
const SWITCH: Partial<Record<EmailCategory, keyof EmailPreferences>> = {
  ANSWER: "emailAnswers",
  NOTE: "emailNotes",
  REMINDER: "emailReminders",
  REPORT: "emailReports",
};

/** The obligation's emails: always sent to every person of the organisation. */
export function isAlwaysSent(category: EmailCategory): boolean {
  return SWITCH[category] === undefined;
}

/** Whether the person wants this email at all (singly or in their digest). */
export function wants(preferences: EmailPreferences, category: EmailCategory): boolean {
  const field = SWITCH[category];
  return field === undefined || preferences[field];
}

/** Whether it waits for the person's daily digest instead of going out on its own. */
export function heldForDigest(preferences: EmailPreferences, category: EmailCategory): boolean {
  return preferences.emailDigest && SWITCH[category] !== undefined;
}
