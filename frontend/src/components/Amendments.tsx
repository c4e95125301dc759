import { useState } from "react";
import type { TermsVersion } from "../lib/api.js";
import { diffTerms } from "../lib/terms.js";
import { formatTime } from "../lib/format.js";

/** Every version of the terms, with what changed between two chosen versions. */
export function Amendments({ versions }: { versions: TermsVersion[] }) {
  const last = versions.length - 1;
  // Until the person picks versions, compare the latest with the one before (also after a new amendment).
  const [picked, setPicked] = useState<{ from: number; to: number } | undefined>();
  const from = picked?.from ?? Math.max(0, last - 1);
  const to = picked?.to ?? last;
  const setFrom = (value: number) => setPicked({ from: value, to });
  const setTo = (value: number) => setPicked({ from, to: value });
  if (versions.length < 2)
    return <p className="state state-empty">No amendments: the original terms (version 0) hold.</p>;
  const a = versions[from];
  const b = versions[to];
  const changes = a !== undefined && b !== undefined ? diffTerms(a.terms, b.terms) : [];
  return (
    <div>
      <ol className="versions">
        {versions.map((v) => (
          <li key={v.version}>
            Version {v.version} · {formatTime(v.timestamp)} · terms hash{" "}
            <code>{v.termsHash.slice(0, 10)}…</code>
          </li>
        ))}
      </ol>
      <div className="row">
        <label>
          From version{" "}
          <select value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {versions.map((v, i) => (
              <option key={v.version} value={i}>
                {v.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          to version{" "}
          <select value={to} onChange={(e) => setTo(Number(e.target.value))}>
            {versions.map((v, i) => (
              <option key={v.version} value={i}>
                {v.version}
              </option>
            ))}
          </select>
        </label>
      </div>
      {changes.length === 0 ? (
        <p className="muted">No term differs.</p>
      ) : (
        <table className="diff" data-testid="terms-diff">
          <thead>
            <tr>
              <th scope="col">Term</th>
              <th scope="col">Version {a?.version}</th>
              <th scope="col">Version {b?.version}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.name}>
                <th scope="row">{c.name}</th>
                <td className="removed">{c.before}</td>
                <td className="added">{c.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
