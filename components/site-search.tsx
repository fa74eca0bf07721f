import { SEARCH_MAX_LENGTH } from "@/lib/requests/find";

/**
 * Search by reference or Device ID (app/search): a plain GET form, so it works without JavaScript.
 * In the header the label ("Search requests") is for screen readers only, the placeholder says what
 * to type and the button says "Search"; on the search page the label is shown.
 */
export function SiteSearchForm({ id, defaultValue = "", large = false }: { id: string; defaultValue?: string; large?: boolean }) {
  return (
    <form method="get" action="/search" role="search" aria-label={large ? "Search requests" : "Site search"} className="flex min-w-0 flex-wrap items-end gap-2">
      <div className={large ? "min-w-0 flex-1 space-y-1" : "min-w-0 flex-1"}>
        {/* In the header "Search requests", not "Reference or Device ID": on the raise form the Device ID
            field must stay the one field named "Device ID", for voice control ("click Device ID") and tests. */}
        <label htmlFor={id} className={large ? "block font-medium" : "sr-only"}>
          {large ? "Reference or Device ID" : "Search requests"}
        </label>
        <input
          id={id}
          name="q"
          type="search"
          defaultValue={defaultValue}
          maxLength={SEARCH_MAX_LENGTH}
          autoComplete="off"
          spellCheck={false}
          placeholder={large ? undefined : "Reference or Device ID"}
          className={
            large
              ? "block w-full min-w-0 rounded border border-slate-500 bg-white px-3 py-2 font-mono"
              : "block w-full min-w-0 rounded border border-slate-500 bg-white px-2 py-1 text-sm placeholder:text-slate-600 sm:w-56"
          }
        />
      </div>
      <button
        type="submit"
        className={
          large
            ? "rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800"
            : "rounded border border-slate-500 bg-white px-3 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100"
        }
      >
        Search
      </button>
    </form>
  );
}
