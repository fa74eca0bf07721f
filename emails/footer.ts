import type { EmailCategory } from "../lib/db/generated/enums";

// The last lines of every email to a person or a team address: why they got it and how to change
// it (emails/layout.ts withFooter adds them). Words only: never a code, a note or a reason.

/** What the recipient gets, in words, per category. */
function whatIsSent(category: EmailCategory, organisation: string): string {
  switch (category) {
    case "ASSIGNMENT":
      return `the emails about requests assigned to ${organisation}`;
    case "BREACH":
      return "the emails about requests whose five Working Days ran out";
    case "DECLINED":
      return `the emails saying that a request ${organisation} raised cannot be answered`;
    case "ANSWER":
      return `answers to the requests ${organisation} raised`;
    case "NOTE":
      return `notes on ${organisation}'s requests`;
    case "REMINDER":
      return `reminders of ${organisation}'s due dates`;
    case "REPORT":
      return "the monthly obligation report";
    case "DIGEST":
    case "SIGN_IN":
    case "INVITATION":
    case "EMAIL_CHANGE":
      return "a daily digest";
  }
}

export type FooterFor =
  | { recipient: "person"; organisation: string; category: EmailCategory; alwaysSent: boolean; settingsUrl: string }
  | { recipient: "team"; organisation: string; settingsUrl: string };

export function recipientFooter(footer: FooterFor): string[] {
  if (footer.recipient === "team") {
    return [
      `You get this email because this address is ${footer.organisation}'s team address in the Install Code Request portal, which gets every email about its requests.`,
      `To change the team address: ${footer.settingsUrl}`,
    ];
  }
  if (footer.category === "DIGEST") {
    return [`You get this digest because you chose to get your optional emails once a day.`, `To change which emails you get: ${footer.settingsUrl}`];
  }
  const what = whatIsSent(footer.category, footer.organisation);
  if (footer.alwaysSent) {
    // A declined request is the raiser's to follow up: nobody else will answer it.
    const why = footer.category === "DECLINED" ? "nobody will answer the request otherwise" : "the five-Working-Day obligation needs them";
    return [
      `You get this email because you are a member of ${footer.organisation}. ${what[0]?.toUpperCase()}${what.slice(1)} cannot be turned off: ${why}.`,
      `To choose your other emails: ${footer.settingsUrl}`,
    ];
  }
  return [`You get this email because you are a member of ${footer.organisation} and chose to get ${what}.`, `To change which emails you get: ${footer.settingsUrl}`];
}
