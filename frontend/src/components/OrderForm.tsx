import { useState } from "react";
import type { ReactNode } from "react";
import { useReadContract } from "wagmi";
import { preTransactionDocumentTypes } from "@trade-escrow/sdk/manifest";
import type { ManifestDocument } from "@trade-escrow/sdk/manifest";
import { tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import * as escrow from "../actions/escrow.js";
import { useApp } from "../context.js";
import { useClients } from "../hooks/useClients.js";
import { useTransaction } from "../hooks/useTransaction.js";
import { toReadableError } from "../lib/errors.js";
import { publishManifest } from "../lib/manifest.js";
import { buildTerms, validateOrder } from "../lib/orderSchema.js";
import type { OrderFormValues } from "../lib/orderSchema.js";
import { navigate } from "../router.js";
import { DocumentUploader } from "./DocumentUploader.js";
import { TransactionStatus } from "./TransactionStatus.js";

type Field = keyof OrderFormValues;

export function defaultOrderValues(
  parties: { buyer: string; seller: string; operator: string; token: string },
  now = Date.now(),
): OrderFormValues {
  return {
    mode: "Protected",
    ...parties,
    price: "",
    quantity: "1",
    tolerancePercent: "5",
    depositPercent: "30",
    lots: "1",
    latestDelivery: new Date(now + 60 * 86_400_000).toISOString().slice(0, 16),
    // The balance is due 14 days before the latest delivery; 14 days' grace after it.
    shipWindowDays: "14",
    deliveryGraceDays: "14",
    depositWindowHours: "72",
    fulfilmentDays: "3",
    claimWindowDays: "3",
    responseDays: "7",
    sellerBond: "0",
    panelSize: "3",
    arbitratorFee: "0.01",
    goods: "",
    unit: "vehicle",
    deliveryPlace: "",
  };
}

/**
 * The order: every term validated (zod) beside its field, documents uploaded with their CIDs, the
 * manifest published and its CID checked, then the terms signed on chain by the proposer (the buyer
 * for an order, the seller for a direct-payment draft). The counterparty signs on the trade page.
 */
export function OrderForm(props: {
  proposer: "buyer" | "seller";
  onSubmitted?: (id: bigint) => void;
}) {
  const { config, api } = useApp();
  const { clients } = useClients();
  const tx = useTransaction();
  const me = clients?.account ?? "";
  const [values, setValues] = useState<OrderFormValues>(() => ({
    ...defaultOrderValues({
      buyer: props.proposer === "buyer" ? me : "",
      seller: props.proposer === "seller" ? me : "",
      operator: "",
      token: config.tokens[0]!.address,
    }),
    ...(props.proposer === "seller" && {
      mode: "Direct",
      depositPercent: "100",
      claimWindowDays: "0",
    }),
  }));
  const [documents, setDocuments] = useState<ManifestDocument[]>([]);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [manifestCid, setManifestCid] = useState<string | undefined>();
  const fee = useReadContract({
    address: config.escrow,
    abi: tradeEscrowAbi,
    functionName: "feeBps",
  });

  // The connected account fills its own side.
  const own: Field = props.proposer;
  if (me !== "" && values[own] !== me) setValues({ ...values, [own]: me });

  const set = (field: Field) => (value: string) => setValues({ ...values, [field]: value });
  const token = config.tokens.find((t) => t.address === values.token) ?? config.tokens[0]!;

  const submit = async () => {
    setFailure(undefined);
    const result = validateOrder(values);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    if (clients === undefined) {
      setFailure("Connect a wallet on the right network first.");
      return;
    }
    if (fee.data === undefined) {
      setFailure("The platform fee could not be read from the chain.");
      return;
    }
    try {
      const manifest = await publishManifest(api, {
        goods: { description: result.data.goods, unit: result.data.unit },
        deliveryPlace: result.data.deliveryPlace,
        documents,
      });
      setManifestCid(manifest.cid);
      const terms = buildTerms(result.data, {
        token,
        feeBps: fee.data,
        court: config.court,
        manifestCid: manifest.commitment,
      });
      let hash: `0x${string}` | undefined;
      const ok = await tx.run("Sign and send the order", async () => {
        hash = await escrow.proposeTrade(clients, terms);
        return hash;
      });
      if (ok && hash !== undefined) {
        const id = await escrow.tradeIdFromReceipt(clients, hash);
        props.onSubmitted?.(id);
        navigate(`/trades/${id}`);
      }
    } catch (e) {
      setFailure(toReadableError(e).title);
    }
  };

  const input = (field: Field, label: string, hint?: ReactNode, type = "text") => (
    <div className={`field ${errors[field] !== undefined ? "field-invalid" : ""}`}>
      <label htmlFor={`order-${field}`}>{label}</label>
      <input
        id={`order-${field}`}
        name={field}
        type={type}
        value={values[field]}
        onChange={(e) => set(field)(e.target.value)}
        aria-invalid={errors[field] !== undefined}
        aria-describedby={errors[field] !== undefined ? `order-${field}-error` : undefined}
        readOnly={field === own && me !== ""}
      />
      {hint !== undefined && <small className="muted">{hint}</small>}
      {errors[field] !== undefined && (
        <small id={`order-${field}-error`} className="error" role="alert">
          {errors[field]}
        </small>
      )}
    </div>
  );

  return (
    <form
      className="form order-form"
      noValidate
      aria-label={props.proposer === "buyer" ? "New order" : "New direct-payment order"}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset>
        <legend>Payment</legend>
        <div className="field">
          <label htmlFor="order-mode">Protection</label>
          <select
            id="order-mode"
            value={values.mode}
            onChange={(e) =>
              setValues({
                ...values,
                mode: e.target.value as "Protected" | "Direct",
                ...(e.target.value === "Direct"
                  ? { depositPercent: "100", claimWindowDays: "0", sellerBond: "0" }
                  : { depositPercent: "30", claimWindowDays: "3" }),
              })
            }
          >
            <option value="Protected">Protected: escrow until the title passes</option>
            <option value="Direct">Direct payment: no protection</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="order-token">Token</label>
          <select
            id="order-token"
            value={values.token}
            onChange={(e) => set("token")(e.target.value)}
          >
            {config.tokens.map((t) => (
              <option key={t.address} value={t.address}>
                {t.symbol}
              </option>
            ))}
          </select>
        </div>
        {input("price", `Total price (${token.symbol})`)}
        {input(
          "depositPercent",
          "Deposit (% of the price)",
          "Default 30%, due within the deposit window",
        )}
        {input("depositWindowHours", "Deposit window (hours)")}
        {input("sellerBond", `Seller's performance bond (${token.symbol})`, "0 for none")}
        {fee.data !== undefined && (
          <p className="muted">
            Platform fee in force: {fee.data / 100}% of the price, on release.
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>Parties</legend>
        {input("buyer", "Buyer")}
        {input("seller", "Seller (supplier)")}
        {input("operator", "Designated warehouse operator")}
      </fieldset>
      <fieldset>
        <legend>Goods and delivery</legend>
        <div className={`field ${errors.goods !== undefined ? "field-invalid" : ""}`}>
          <label htmlFor="order-goods">Goods</label>
          <textarea
            id="order-goods"
            rows={3}
            value={values.goods}
            onChange={(e) => set("goods")(e.target.value)}
            aria-invalid={errors.goods !== undefined}
            aria-describedby={errors.goods !== undefined ? "order-goods-error" : undefined}
          />
          {errors.goods !== undefined && (
            <small id="order-goods-error" className="error" role="alert">
              {errors.goods}
            </small>
          )}
        </div>
        {input("quantity", "Quantity")}
        {input("unit", "Unit")}
        {input("tolerancePercent", "Quantity tolerance (%)")}
        {input("lots", "Lots (most)")}
        {input("deliveryPlace", "Delivery place")}
        {input("latestDelivery", "Latest delivery (UTC)", undefined, "datetime-local")}
        {input(
          "shipWindowDays",
          "Ship window (days)",
          "The balance is due this long before the latest delivery; paid later, delivery moves by as much",
        )}
        {input(
          "deliveryGraceDays",
          "Delivery grace period (days)",
          "After the latest delivery plus this, the buyer of goods not delivered may cancel",
        )}
      </fieldset>
      <fieldset>
        <legend>Schedule, claims and arbitration</legend>
        {input("fulfilmentDays", "Fulfilment starts within (business days)")}
        {input(
          "claimWindowDays",
          "Claim window after arrival (days)",
          "0: release at once on title transfer",
        )}
        {input("responseDays", "Seller answers a claim within (business days)")}
        {input("panelSize", "Arbitration panel size (odd)")}
        {input("arbitratorFee", "Fee per arbitrator (native coin)")}
      </fieldset>
      <DocumentUploader
        label="Pre-transaction documents (committed in the manifest before signing)"
        types={preTransactionDocumentTypes}
        documents={documents}
        onChange={setDocuments}
      />
      {manifestCid !== undefined && (
        <p>
          Manifest CID (computed here, matched by the store):{" "}
          <code data-testid="manifest-cid">{manifestCid}</code>
        </p>
      )}
      {failure !== undefined && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {Object.keys(errors).length > 0 && (
        <p role="alert" className="error">
          {Object.keys(errors).length} term{Object.keys(errors).length === 1 ? "" : "s"} to fix.
        </p>
      )}
      <button type="submit" className="primary" disabled={tx.busy}>
        {props.proposer === "buyer" ? "Sign and send the order" : "Sign and send the draft"}
      </button>
      <TransactionStatus status={tx.status} />
    </form>
  );
}
