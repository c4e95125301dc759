import { useId, useState } from "react";
import { documentTypeLabels } from "@trade-escrow/sdk/manifest";
import type { DocumentType, ManifestDocument } from "@trade-escrow/sdk/manifest";
import { useApp } from "../context.js";
import { toReadableError } from "../lib/errors.js";

/**
 * Picks a file and its document type, uploads it with POST /api/documents and lists what was
 * uploaded with its CID. `onChange` receives the manifest entries.
 */
export function DocumentUploader(props: {
  types: readonly DocumentType[];
  documents: ManifestDocument[];
  onChange: (documents: ManifestDocument[]) => void;
  label?: string;
}) {
  const { api } = useApp();
  const id = useId();
  const [type, setType] = useState<DocumentType>(props.types[0]!);
  const [file, setFile] = useState<File | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const upload = async () => {
    if (file === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const { entry } = await api.upload(file, type, file.name);
      props.onChange([...props.documents, entry as ManifestDocument]);
      setFile(undefined);
    } catch (e) {
      setError(toReadableError(e).title);
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="uploader">
      <legend>{props.label ?? "Documents"}</legend>
      <div className="row">
        <label htmlFor={`${id}-type`}>Type</label>
        <select
          id={`${id}-type`}
          value={type}
          onChange={(e) => setType(e.target.value as DocumentType)}
        >
          {props.types.map((t) => (
            <option key={t} value={t}>
              {documentTypeLabels[t]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-file`}>File</label>
        <input
          id={`${id}-file`}
          type="file"
          accept="application/pdf,image/jpeg,image/png,image/webp,video/mp4,video/quicktime,application/json,text/plain"
          onChange={(e) => setFile(e.target.files?.[0])}
        />
        <button type="button" onClick={() => void upload()} disabled={file === undefined || busy}>
          {busy ? "Uploading…" : "Upload"}
        </button>
      </div>
      {error !== undefined && (
        <p role="alert" className="error">
          Upload failed: {error}
        </p>
      )}
      {props.documents.length === 0 ? (
        <p className="muted">No document attached.</p>
      ) : (
        <ul className="uploaded" data-testid="uploaded-documents">
          {props.documents.map((d, i) => (
            <li key={d.cid}>
              {documentTypeLabels[d.type]}: {d.name} ({d.size} B){" "}
              <code className="cid">{d.cid}</code>{" "}
              <button
                type="button"
                className="link"
                onClick={() => props.onChange(props.documents.filter((_, j) => j !== i))}
                aria-label={`Remove ${d.name}`}
              >
                remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
