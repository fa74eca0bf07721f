import { formatDateTime } from "./format";

// An organisation's API keys as its settings page lists them: never the keys themselves, only their
// prefixes. Revoking starts from the row's link, which asks for confirmation on the page.

export type ApiKeyRow = {
  name: string;
  prefix: string;
  createdAt: Date;
  /** The person who created it; null when an operator ran `npm run apikey`. */
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** `canRevoke`: the reader is one of the organisation's administrators (others see the keys, not the link). */
export function ApiKeyTable({ rows, organisationName, canRevoke }: { rows: ApiKeyRow[]; organisationName: string; canRevoke: boolean }) {
  if (rows.length === 0) return <p data-testid="api-keys-empty">{organisationName} has no API keys yet.</p>;
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="w-full border-collapse bg-white text-left text-sm [&_td]:p-2 [&_th]:p-2 [&_tbody_tr]:border-b [&_tbody_tr]:border-slate-200" data-testid="api-keys-table">
        <caption className="sr-only">API keys of {organisationName}, newest first</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Created</th>
            <th scope="col">Created by</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((k) => (
            <tr key={k.prefix} data-prefix={k.prefix} className="align-top">
              <td className="break-words">{k.name}</td>
              <td className="font-mono whitespace-nowrap">{k.prefix}</td>
              <td className="whitespace-nowrap">{formatDateTime(k.createdAt)}</td>
              <td>{k.createdBy ?? "An operator (npm run apikey)"}</td>
              <td className="whitespace-nowrap" data-testid="api-key-last-used">
                {k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "Never used"}
              </td>
              <td className="whitespace-nowrap" data-testid="api-key-status">
                {k.revokedAt ? (
                  <span className="font-medium text-red-800">Revoked {formatDateTime(k.revokedAt)}</span>
                ) : (
                  <span className="font-medium text-green-800">Active</span>
                )}
              </td>
              <td>
                {k.revokedAt || !canRevoke ? null : (
                  <a href={`/settings/api-keys?revoke=${k.prefix}`} className="text-blue-700 underline">
                    Revoke<span className="sr-only"> {k.name} ({k.prefix})</span>
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
