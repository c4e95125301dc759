import { useState } from "react";
import { parseUnits } from "viem";
import type { Hex } from "viem";
import { escrowDomain, signAmendment } from "@trade-escrow/sdk/eip712";
import type { Terms } from "@trade-escrow/sdk/eip712";
import * as escrow from "../actions/escrow.js";
import { useApp } from "../context.js";
import { toReadableError } from "../lib/errors.js";
import { formatUnitsPlain, parseUtcInput, tokenOf } from "../lib/format.js";
import { diffTerms, parseTerms, sameAddress, termsToJson } from "../lib/terms.js";
import type { PanelProps } from "./TradeActions.js";

/** A party's signed consent to an amendment, as one party hands it to the other. */
type SignedAmendment = {
  tradeId: string;
  version: number;
  terms: Record<string, string | number>;
  signer: string;
  nonce: string;
  deadline: string;
  signature: Hex;
};

/**
 * Amendments: either party edits the terms and signs them (EIP-712 `Amendment`), hands the signed
 * consent to the other party, who reviews the diff and submits both consents on chain.
 */
export function AmendmentPanel({ trade, terms, clients, tx }: PanelProps) {
  const { config } = useApp();
  const token = tokenOf(config.tokens, trade.token);
  const [price, setPrice] = useState(formatUnitsPlain(terms.price, token.decimals));
  const [quantity, setQuantity] = useState(terms.quantity.toString());
  const [tolerance, setTolerance] = useState(String(terms.toleranceBps / 100));
  const [latestDelivery, setLatestDelivery] = useState(
    new Date(Number(terms.latestDelivery) * 1000).toISOString().slice(0, 16),
  );
  const [signed, setSigned] = useState<string>("");
  const [incoming, setIncoming] = useState<string>("");
  const [error, setError] = useState<string | undefined>();
  const nextVersion = trade.version + 1;
  const domain = escrowDomain({ chainId: config.chain.id, verifyingContract: config.escrow });

  const amended = (): Terms => ({
    ...terms,
    price: parseUnits(price, token.decimals),
    quantity: BigInt(quantity),
    toleranceBps: Math.round(Number(tolerance) * 100),
    latestDelivery: BigInt(parseUtcInput(latestDelivery)),
  });

  const sign = async () => {
    setError(undefined);
    try {
      const next = amended();
      const message = {
        tradeId: BigInt(trade.id),
        version: nextVersion,
        terms: next,
        nonce: BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000)),
        deadline: BigInt(Math.floor(Date.now() / 1000) + 7 * 86_400),
      };
      const signature = await signAmendment(
        { client: clients.walletClient, account: clients.account },
        { domain, message },
      );
      const out: SignedAmendment = {
        tradeId: trade.id,
        version: nextVersion,
        terms: termsToJson(next),
        signer: clients.account,
        nonce: message.nonce.toString(),
        deadline: message.deadline.toString(),
        signature,
      };
      setSigned(JSON.stringify(out, null, 2));
    } catch (e) {
      setError(toReadableError(e).title);
    }
  };

  let parsed: SignedAmendment | undefined;
  let parseError: string | undefined;
  if (incoming.trim() !== "") {
    try {
      parsed = JSON.parse(incoming) as SignedAmendment;
      if (parsed.tradeId !== trade.id) parseError = `This consent is for trade ${parsed.tradeId}.`;
      else if (parsed.version !== nextVersion)
        parseError = `This consent is for version ${parsed.version}; the next version is ${nextVersion}.`;
    } catch {
      parseError = "This is not a signed amendment.";
    }
  }
  const changes =
    parsed !== undefined && parseError === undefined
      ? diffTerms(termsToJson(terms), parsed.terms)
      : [];

  const submit = () => {
    if (parsed === undefined) return;
    const other = {
      nonce: BigInt(parsed.nonce),
      deadline: BigInt(parsed.deadline),
      signature: parsed.signature,
    };
    const next = parseTerms(parsed.terms);
    const signerIsBuyer = sameAddress(parsed.signer, trade.buyer);
    void tx.run("Amend the trade", () =>
      escrow.amend(
        clients,
        BigInt(trade.id),
        terms,
        next,
        signerIsBuyer ? other : undefined,
        signerIsBuyer ? undefined : other,
      ),
    );
  };

  return (
    <details className="panel" open={trade.stateName === "Halted"}>
      <summary>
        <h3>Amend the terms (version {nextVersion})</h3>
      </summary>
      <div className="form">
        <label>
          Price ({token.symbol}) <input value={price} onChange={(e) => setPrice(e.target.value)} />
        </label>
        <label>
          Quantity{" "}
          <input
            inputMode="numeric"
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
          />
        </label>
        <label>
          Tolerance (%){" "}
          <input
            inputMode="decimal"
            value={tolerance}
            onChange={(e) => setTolerance(e.target.value)}
          />
        </label>
        <label>
          Latest delivery (UTC){" "}
          <input
            type="datetime-local"
            value={latestDelivery}
            onChange={(e) => setLatestDelivery(e.target.value)}
          />
        </label>
        <button type="button" onClick={() => void sign()}>
          Sign the amendment (EIP-712)
        </button>
        {error !== undefined && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {signed !== "" && (
          <label>
            Your signed consent: send it to the other party
            <textarea readOnly rows={6} value={signed} data-testid="signed-amendment" />
          </label>
        )}
        <label>
          The other party's signed consent
          <textarea
            rows={4}
            value={incoming}
            onChange={(e) => setIncoming(e.target.value)}
            data-testid="incoming-amendment"
          />
        </label>
        {parseError !== undefined && (
          <p role="alert" className="error">
            {parseError}
          </p>
        )}
        {parsed !== undefined && parseError === undefined && (
          <>
            <table className="diff">
              <caption>What the amendment changes</caption>
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
            <button type="button" disabled={tx.busy} onClick={submit}>
              Countersign and submit the amendment
            </button>
          </>
        )}
      </div>
    </details>
  );
}
