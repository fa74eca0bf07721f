import type { Metadata } from "next";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { EmailPreferencesForm, TeamEmailForm, type EmailChoice } from "@/components/email-settings-forms";
import { requireActor } from "@/lib/auth/session";
import { emailSettingsFor } from "@/lib/notifications/preferences";
import { canManageSettings } from "@/lib/people/permissions";
import { setTeamEmailAction, updateEmailPreferencesAction } from "./actions";

export const metadata: Metadata = { title: "Email notifications" };

export default async function EmailNotificationsPage() {
  const actor = await requireActor();
  const settings = await emailSettingsFor(actor);
  const organisation = actor.organisationName;
  // The helpdesk is never a party to a request: of the optional emails it gets only the report.
  const choices: EmailChoice[] = settings.helpdesk
    ? [{ name: "emailReports", label: "Monthly obligation report", hint: "When the report for the month before is ready.", checked: settings.emailReports }]
    : [
        {
          name: "emailAnswers",
          label: `Answers to ${organisation}'s requests`,
          hint: `When an Install Code is given for a request ${organisation} raised, or the DCC Helpdesk reassigns one.`,
          checked: settings.emailAnswers,
        },
        { name: "emailNotes", label: "Notes", hint: `When another organisation adds a note to one of ${organisation}'s requests (the email never carries the note).`, checked: settings.emailNotes },
        { name: "emailReminders", label: "Reminders", hint: `The Working Day before a response from ${organisation} is due.`, checked: settings.emailReminders },
      ];
  const digest: EmailChoice = {
    name: "emailDigest",
    label: "Once a day, in one digest",
    hint: "The emails ticked above come together each morning instead of one by one.",
    checked: settings.emailDigest,
  };
  // Switches this organisation's kind has no use for are kept as they are.
  const hidden = (["emailAnswers", "emailNotes", "emailReminders", "emailReports"] as const).filter((name) => !choices.some((c) => c.name === name));

  return (
    <div className="space-y-8">
      <Breadcrumbs
        trail={[
          { href: "/", label: "Home" },
          { href: "/settings", label: "Settings" },
        ]}
      />
      <div className="space-y-3">
        <h1 className="text-2xl font-bold">Email notifications</h1>
        <p className="max-w-prose">
          Emails go to the organisation, not to one person: every person of {organisation} who wants a kind of email gets it, and so does its team
          address if it has one. Emails never carry an Install Code or a note: they say what happened and link to the request.
        </p>
      </div>

      <section aria-labelledby="mine-heading" className="max-w-prose space-y-4">
        <h2 id="mine-heading" className="text-xl font-semibold">
          Your emails ({actor.email})
        </h2>
        <p data-testid="always-sent">
          {settings.helpdesk
            ? "You always get the emails about requests whose five Working Days ran out: the DCC Helpdesk follows them up. They cannot be turned off."
            : `You always get the emails about requests assigned to ${organisation} and about its missed due dates: the five-Working-Day obligation needs them, so they cannot be turned off.`}
        </p>
        <EmailPreferencesForm action={updateEmailPreferencesAction} choices={choices} digest={digest} hiddenChecked={hidden.filter((name) => settings[name])} />
      </section>

      <section aria-labelledby="team-heading" className="max-w-prose space-y-4">
        <h2 id="team-heading" className="text-xl font-semibold">
          {organisation}&apos;s team address
        </h2>
        <p className="text-sm text-slate-700">{organisation}&apos;s administrators can change it. Each change is recorded in the audit log, with who made it.</p>
        {canManageSettings(actor) ? (
          <TeamEmailForm action={setTeamEmailAction} teamEmail={settings.teamEmail} organisation={organisation} />
        ) : (
          <p data-testid="team-email">{settings.teamEmail ? `The team address is ${settings.teamEmail}.` : `${organisation} has no team address.`} Only its administrators can change it.</p>
        )}
      </section>
    </div>
  );
}
