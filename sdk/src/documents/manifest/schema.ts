import { z } from "zod";
import { toCid } from "../cid/index.js";
import { documentTypes } from "./documentTypes.js";
import { isMediaType } from "./mediaTypes.js";

/** The manifest format's version; a new version is a new literal here and a new schema branch. */
export const manifestVersion = 1;

const text = (max: number) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine((value) => value.trim() === value, "must not start or end with spaces");

const canonicalCid = z.string().refine((value) => {
  try {
    return toCid(value).toString() === value;
  } catch {
    return false;
  }
}, "must be a CID in its canonical string form (CIDv1 base32, or CIDv0 base58btc)");

/** One document of a trade: what it is, how to show it, and the CID its bytes hash to. */
export const manifestDocumentSchema = z.strictObject({
  type: z.enum(documentTypes),
  /** A file name for people (`invoice-2024-17.pdf`). */
  name: text(255),
  /** The media type the bytes are served with (`application/pdf`). */
  mediaType: z
    .string()
    .refine(isMediaType, "must be a media type such as application/pdf")
    .refine((value) => value.trim() === value, "must not start or end with spaces"),
  /** Bytes of content. */
  size: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  cid: canonicalCid,
});

/**
 * The manifest of a trade: the goods and delivery place in words, and every attached document. Its
 * CID (of its canonical JSON) is what the terms commit (`Terms.manifestCid`).
 */
export const manifestSchema = z.strictObject({
  version: z.literal(manifestVersion),
  goods: z.strictObject({
    /** The goods in words (`2023 Toyota Land Cruiser 300, 3.3 L V6 diesel, white`). */
    description: text(4000),
    /** The unit `Terms.quantity` counts (`vehicle`, `kg`, `tonne`). */
    unit: text(64),
  }),
  /** Where the goods are delivered (`Bonded warehouse 7, Port of Tema, Ghana`). */
  deliveryPlace: text(1000),
  documents: z.array(manifestDocumentSchema).max(1000, "must list at most 1000 documents"),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestDocument = z.infer<typeof manifestDocumentSchema>;
