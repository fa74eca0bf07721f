// The Request for Install Code process in five steps, each with the party that takes it (the home
// page, for newcomers signed in or not). The words follow ../shared/docs/DOMAIN.md.

type Step = { party: string; title: string; body: string };

function steps(responseWorkingDays: number): Step[] {
  return [
    {
      party: "Gaining Supplier",
      title: "raises a request for a Device ID",
      body: "The Supplier the Consumer has moved to enters the Device ID of a meter that was installed but not commissioned, and cannot join it without its Install Code.",
    },
    {
      party: "The portal",
      title: "checks the Smart Metering Inventory and assigns the request",
      body: "It checks that the Device exists and is in a state that qualifies, then assigns the request to the Supplier that pre-notified the Device (the installing Supplier) and emails them.",
    },
    {
      party: "Installing Supplier",
      title: `provides the Install Code within ${numberWord(responseWorkingDays)} Working Days`,
      body: "It answers with the code (a code lodged in advance answers the request at once). If the Device is not theirs, it declines the request with a reason.",
    },
    {
      party: "Gaining Supplier",
      title: "is told, and verifies the code",
      body: "The raiser is emailed that the answer is ready, reveals the code (only the two Suppliers can, and every reveal is recorded) and tries it on the Device.",
    },
    {
      party: "Gaining Supplier",
      title: "closes the request",
      body: "Only the raiser closes it, once the code works. A closed request cannot be changed.",
    },
  ];
}

const WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

function numberWord(n: number): string {
  return WORDS[n] ?? String(n);
}

export function ProcessSteps({ responseWorkingDays }: { responseWorkingDays: number }) {
  return (
    <section aria-labelledby="how-it-works" className="max-w-prose space-y-4" data-testid="process-steps">
      <h2 id="how-it-works" className="text-xl font-semibold">
        How it works, in five steps
      </h2>
      <ol className="space-y-4">
        {steps(responseWorkingDays).map((step, i) => (
          <li key={step.title} className="flex gap-3">
            <span aria-hidden="true" className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-blue-700 font-semibold text-white">
              {i + 1}
            </span>
            <div className="min-w-0 space-y-1">
              <h3 className="font-semibold">
                <span className="sr-only">Step {i + 1}: </span>
                {step.party}: {step.title}
              </h3>
              <p>{step.body}</p>
            </div>
          </li>
        ))}
      </ol>
      <p className="rounded border-l-4 border-blue-700 bg-white p-3">
        <strong>DCC Helpdesk:</strong> sees every request and the clock on each; reassigns a request to the right Supplier, and handles
        those no Supplier will take (declined: the Unassignable queue), closing them as not possible with a reason the raiser reads.
      </p>
    </section>
  );
}
