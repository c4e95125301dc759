import { useState } from "react";
import { useBlock } from "wagmi";
import type { Hex } from "viem";
import { AttestationKind } from "@trade-escrow/sdk/contracts";
import * as escrow from "../actions/escrow.js";
import { parseUtcInput, toUtcInput } from "../lib/format.js";
import { offeredTo } from "../lib/tradeActions.js";
import { Panel } from "./Panel.js";
import type { PanelProps } from "./panelProps.js";

/**
 * The designated operator attests receipt, title transfer or port arrival: signs (EIP-712) and
 * submits, or signs only and copies the signature for a relayer.
 */
export function OperatorActions({ trade, terms, clients, tx, now }: PanelProps) {
  const id = BigInt(trade.id);
  const nextLot = trade.lotsDone + 1;
  const [kind, setKind] = useState<number>(AttestationKind.ReceiptAndTitleTransfer);
  const [quantity, setQuantity] = useState(
    (terms.quantity - BigInt(trade.receivedQuantity)).toString(),
  );
  // The attested time must lie between the shipment and the chain's now: default to the latest block.
  const latest = useBlock({ watch: true });
  const [typedReceivedAt, setReceivedAt] = useState<string | undefined>();
  const receivedAt =
    typedReceivedAt ??
    toUtcInput(
      latest.data !== undefined ? Number(latest.data.timestamp) : Math.floor(Date.now() / 1000),
    );
  const [signature, setSignature] = useState<string | undefined>();
  // The attestations the escrow would take now (the sdk's availableActions): receipt in Shipped (with
  // title once the price is paid), title in Received, port arrival once from Shipped to Halted.
  const kinds = offeredTo({ trade, terms, now }, "attest", "operator")?.kinds ?? [];
  if (kinds.length === 0)
    return (
      <Panel title="Warehouse operator">
        <p className="muted">Nothing to attest now.</p>
      </Panel>
    );
  const attestation = () => ({
    tradeId: id,
    kind,
    lot: nextLot,
    quantity: BigInt(quantity || "0"),
    time: BigInt(parseUtcInput(receivedAt)),
    documentCid: "0x" as Hex,
    nonce: BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000)),
    deadline: BigInt(Math.floor(Date.now() / 1000) + 7 * 86_400),
  });
  const effectiveKind = kinds.some((offered) => offered === kind) ? kind : kinds[0]!;
  return (
    <Panel title="Warehouse operator">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          const message = { ...attestation(), kind: effectiveKind };
          void tx.run("Submit attestation", () => escrow.attest(clients, terms, message));
        }}
      >
        <label>
          Attestation{" "}
          <select value={effectiveKind} onChange={(e) => setKind(Number(e.target.value))}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {
                  {
                    [AttestationKind.Receipt]: "Goods received (receipt only)",
                    [AttestationKind.TitleTransfer]: "Title transferred to the buyer",
                    [AttestationKind.ReceiptAndTitleTransfer]:
                      "Goods received and title transferred",
                    [AttestationKind.PortArrival]: "Arrived at the port of destination",
                  }[k]
                }
              </option>
            ))}
          </select>
        </label>
        <p className="muted">
          Lot {nextLot} of at most {terms.lots}
        </p>
        {effectiveKind !== AttestationKind.TitleTransfer &&
          effectiveKind !== AttestationKind.PortArrival && (
            <>
              <label>
                Quantity received{" "}
                <input
                  inputMode="numeric"
                  value={quantity}
                  onChange={(e) => setQuantity(e.target.value.replace(/\D/g, ""))}
                  required
                />
              </label>
              <label>
                Received at (UTC){" "}
                <input
                  type="datetime-local"
                  step={1}
                  value={receivedAt}
                  onChange={(e) => setReceivedAt(e.target.value)}
                  required
                />
              </label>
            </>
          )}
        <div className="row">
          <button type="submit" disabled={tx.busy}>
            Sign and submit
          </button>
          <button
            type="button"
            onClick={() => {
              const message = { ...attestation(), kind: effectiveKind };
              void escrow.signOperatorAttestation(clients, message).then(
                (sig) =>
                  setSignature(
                    JSON.stringify(
                      { attestation: message, signature: sig },
                      (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
                      2,
                    ),
                  ),
                (error: unknown) => setSignature(`Signing failed: ${String(error)}`),
              );
            }}
          >
            Sign only (EIP-712) for a relayer
          </button>
        </div>
        {signature !== undefined && (
          <label>
            Signed attestation: anyone may relay it with attest(terms, attestation, signature)
            <textarea readOnly rows={8} value={signature} data-testid="attestation-signature" />
          </label>
        )}
      </form>
    </Panel>
  );
}
