import { getAddress, isAddress, parseUnits } from "viem";
import type { Address, Hex } from "viem";
import { z } from "zod";
import { PaymentMode, courtTermsLimits, encodeCourtTerms } from "@trade-escrow/sdk/contracts";
import type { Terms } from "@trade-escrow/sdk/eip712";
import type { PaymentToken } from "../config.js";
import { parseUtcInput } from "./format.js";

const DAY = 86_400;
const MAX_UINT96 = 2n ** 96n - 1n;

const address = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => isAddress(v), `${what} must be an address (0x and 40 hex digits)`)
    .transform((v) => getAddress(v));

const decimal = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, `${what} must be a number such as 1250 or 0.5`);

const integer = (what: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${what} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${what} must be between ${min} and ${max}`);

const percent = (what: string) =>
  decimal(what)
    .transform(Number)
    .refine((n) => n >= 0 && n <= 100, `${what} must be between 0 and 100`)
    .refine(
      (n) => Number.isInteger(Math.round(n * 100 * 1e6) / 1e6),
      `${what} allows two decimals`,
    );

const text = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .max(max, `${what} must be at most ${max} characters`);

/** The order form's fields as typed (strings), validated term by term. */
export const orderFormSchema = z
  .object({
    mode: z.enum(["Protected", "Direct"]),
    buyer: address("The buyer"),
    seller: address("The seller"),
    operator: address("The warehouse operator"),
    token: address("The payment token"),
    price: decimal("The price"),
    quantity: integer("The quantity", 1, Number.MAX_SAFE_INTEGER),
    tolerancePercent: percent("The tolerance"),
    depositPercent: percent("The deposit"),
    lots: integer("The number of lots", 1, 65_535),
    latestDelivery: z
      .string()
      .refine(
        (v) => !Number.isNaN(parseUtcInput(v)),
        "The latest delivery must be a date and time",
      ),
    shipWindowDays: integer("The ship window", 0, 365),
    deliveryGraceDays: integer("The delivery grace period", 0, 365),
    depositWindowHours: integer("The deposit window", 1, 24 * 365),
    fulfilmentDays: integer("The fulfilment start", 0, 255),
    claimWindowDays: integer("The claim window", 0, 365),
    responseDays: integer("The response time", 1, 255),
    sellerBond: decimal("The seller's bond"),
    panelSize: integer("The panel size", 1, courtTermsLimits.maxPanelSize).refine(
      (n) => n % 2 === 1,
      "The panel size must be odd",
    ),
    arbitratorFee: decimal("The arbitrator's fee"),
    goods: text("The goods description", 4000),
    unit: text("The unit", 64),
    deliveryPlace: text("The delivery place", 1000),
  })
  .superRefine((v, ctx) => {
    if (v.buyer === v.seller)
      ctx.addIssue({
        code: "custom",
        path: ["seller"],
        message: "The seller must not be the buyer",
      });
    if (v.operator === v.buyer || v.operator === v.seller)
      ctx.addIssue({
        code: "custom",
        path: ["operator"],
        message: "The warehouse operator must be neither buyer nor seller",
      });
    if (v.lots > v.quantity)
      ctx.addIssue({
        code: "custom",
        path: ["lots"],
        message: "There cannot be more lots than units",
      });
    if (parseUtcInput(v.latestDelivery) * 1000 <= Date.now())
      ctx.addIssue({
        code: "custom",
        path: ["latestDelivery"],
        message: "The latest delivery must be in the future",
      });
    // The balance is due shipWindow before the latest delivery: the seller then has that long to ship.
    if (v.mode === "Protected" && v.depositPercent < 100) {
      if (v.shipWindowDays === 0)
        ctx.addIssue({
          code: "custom",
          path: ["shipWindowDays"],
          message: "A trade with a balance needs a ship window of at least 1 day",
        });
      else if ((parseUtcInput(v.latestDelivery) - v.shipWindowDays * DAY) * 1000 <= Date.now())
        ctx.addIssue({
          code: "custom",
          path: ["shipWindowDays"],
          message:
            "The balance would be due before today: shorten the ship window or move the latest delivery",
        });
    }
    if (v.mode === "Protected" && v.deliveryGraceDays === 0)
      ctx.addIssue({
        code: "custom",
        path: ["deliveryGraceDays"],
        message: "A protected trade needs a delivery grace period of at least 1 day",
      });
    if (v.mode === "Direct" && v.depositPercent !== 100)
      ctx.addIssue({
        code: "custom",
        path: ["depositPercent"],
        message: "A direct payment is paid in full: the deposit must be 100%",
      });
    if (v.mode === "Direct" && v.claimWindowDays !== 0)
      ctx.addIssue({
        code: "custom",
        path: ["claimWindowDays"],
        message: "A direct payment has no claim window",
      });
    if (v.mode === "Direct" && Number(v.sellerBond) !== 0)
      ctx.addIssue({
        code: "custom",
        path: ["sellerBond"],
        message: "A direct payment has no seller's bond",
      });
    if (Number(v.price) <= 0)
      ctx.addIssue({ code: "custom", path: ["price"], message: "The price must be more than 0" });
  });

export type OrderFormValues = z.input<typeof orderFormSchema>;
export type OrderForm = z.output<typeof orderFormSchema>;

/** Field name -> first message, for the form to show beside each field. */
export function validateOrder(
  values: OrderFormValues,
):
  | { ok: true; data: OrderForm }
  | { ok: false; errors: Partial<Record<keyof OrderFormValues, string>> } {
  const result = orderFormSchema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: Partial<Record<keyof OrderFormValues, string>> = {};
  for (const issue of result.error.issues) {
    const key = issue.path[0] as keyof OrderFormValues | undefined;
    if (key !== undefined && errors[key] === undefined) errors[key] = issue.message;
  }
  return { ok: false, errors };
}

/** The court's windows for every trade: 2 days to commit a vote, 2 to reveal it, 3 to appeal. */
const COURT_WINDOWS = { commitWindow: 2 * DAY, revealWindow: 2 * DAY, appealWindow: 3 * DAY };

/** The escrow's terms from a validated form, the token's decimals, the fee in force and the manifest. */
export function buildTerms(
  form: OrderForm,
  context: { token: PaymentToken; feeBps: number; court: Address; manifestCid: Hex },
): Terms {
  const price = parseUnits(form.price, context.token.decimals);
  const sellerBond = parseUnits(form.sellerBond, context.token.decimals);
  if (price > MAX_UINT96 || sellerBond > MAX_UINT96)
    throw new Error("The price and the bond must fit in 96 bits.");
  return {
    buyer: form.buyer,
    seller: form.seller,
    operator: form.operator,
    token: form.token,
    mode: form.mode === "Direct" ? PaymentMode.Direct : PaymentMode.Protected,
    price,
    quantity: BigInt(form.quantity),
    toleranceBps: Math.round(form.tolerancePercent * 100),
    depositBps: Math.round(form.depositPercent * 100),
    lots: form.lots,
    latestDelivery: BigInt(parseUtcInput(form.latestDelivery)),
    shipWindow: form.shipWindowDays * DAY,
    deliveryGrace: form.deliveryGraceDays * DAY,
    depositWindow: form.depositWindowHours * 3_600,
    fulfilmentDays: form.fulfilmentDays,
    claimWindow: form.claimWindowDays * DAY,
    responseDays: form.responseDays,
    // A direct trade confirms itself 14 days after shipment if the buyer does not.
    collectAfter: form.mode === "Direct" ? 14 * DAY : 0,
    feeBps: context.feeBps,
    sellerBond,
    arbitrator: context.court,
    arbitratorExtraData: encodeCourtTerms({
      panelSize: form.panelSize,
      ...COURT_WINDOWS,
      feePerArbitrator: parseUnits(form.arbitratorFee, 18),
    }),
    manifestCid: context.manifestCid,
  };
}
