import { useState } from "react";
import { useApp } from "../context.js";
import { toReadableError } from "../lib/errors.js";

type Check =
  | { type: "idle" }
  | { type: "checking" }
  | { type: "verified"; size: number; url: string }
  | { type: "failed"; message: string };

/**
 * A document committed on chain: opens it from `/ipfs` and, with "Verify", reads it block by block
 * through the sdk's verified reader and shows a badge when the bytes match the CID.
 */
export function DocumentLink(props: { cid: string; name: string; mediaType?: string }) {
  const { api } = useApp();
  const [check, setCheck] = useState<Check>({ type: "idle" });
  const verify = async () => {
    setCheck({ type: "checking" });
    try {
      // The IPFS verification code loads only when a document is verified.
      const { createDocumentReader } = await import("../lib/documents.js");
      const bytes = await createDocumentReader(api.baseUrl).bytes(props.cid);
      const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], {
        type: props.mediaType ?? "application/octet-stream",
      });
      setCheck({ type: "verified", size: bytes.byteLength, url: URL.createObjectURL(blob) });
    } catch (error) {
      setCheck({ type: "failed", message: toReadableError(error).title });
    }
  };
  return (
    <span className="document">
      <a href={api.ipfsUrl(props.cid)} target="_blank" rel="noreferrer" title={props.cid}>
        {props.name}
      </a>{" "}
      {check.type === "idle" && (
        <button type="button" className="link" onClick={() => void verify()}>
          Verify
        </button>
      )}
      {check.type === "checking" && <span className="badge">checking…</span>}
      {check.type === "verified" && (
        <>
          <span className="badge badge-ok" data-testid="cid-verified">
            ✓ bytes match CID ({check.size} B)
          </span>{" "}
          <a href={check.url} target="_blank" rel="noreferrer">
            open verified copy
          </a>
        </>
      )}
      {check.type === "failed" && (
        <span className="badge badge-bad" role="alert">
          ✗ {check.message}
        </span>
      )}
    </span>
  );
}
