import type { Hex } from "viem";
import { cidToCommitment } from "@trade-escrow/sdk/cid";
import { createManifest } from "@trade-escrow/sdk/manifest";
import type { DocumentType, ManifestDocument } from "@trade-escrow/sdk/manifest";
import { addDocument, publishManifest } from "@trade-escrow/sdk/store";
import type { DocumentStore } from "@trade-escrow/sdk/store";

const encoder = new TextEncoder();

/** A 1x1 PNG: the demo's stand-in for a photo (real bytes, so the gateway and badges work). */
const PHOTO_PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);

/** The eight pre-transaction documents of the automotive export (SPEC.md, seed 001). */
const AUTOMOTIVE_DOCUMENTS: readonly {
  type: DocumentType;
  name: string;
  mediaType: string;
  body: Uint8Array | string;
}[] = [
  {
    type: "specification-sheet-and-mileage-records",
    name: "specification-and-mileage.json",
    mediaType: "application/json",
    body: JSON.stringify({
      model: "Toyota Land Cruiser 300",
      year: 2023,
      engine: "3.3 L V6 twin-turbo diesel",
      transmission: "10-speed automatic",
      mileageKm: [
        { date: "2024-03-02", km: 4_210 },
        { date: "2025-02-18", km: 17_880 },
        { date: "2026-01-09", km: 28_640 },
      ],
    }),
  },
  {
    type: "photos-and-videos",
    name: "exterior-front.png",
    mediaType: "image/png",
    body: PHOTO_PNG,
  },
  {
    type: "vin-and-manufacturing-year",
    name: "vin.txt",
    mediaType: "text/plain",
    body: "VIN JTMAB3FJ20D012345, manufactured 2023-06, Tahara plant.\n",
  },
  {
    type: "purchase-contract-and-registration-certificate",
    name: "purchase-contract.txt",
    mediaType: "text/plain",
    body: "Purchase contract between Gulf Auto Export FZE (seller) and Accra Motors Ltd (buyer) for one vehicle, VIN JTMAB3FJ20D012345. Registration certificate no. DXB-2023-778812 attached.\n",
  },
  {
    type: "destination-compliance-certificate",
    name: "ghana-compliance.txt",
    mediaType: "text/plain",
    body: "Ghana Standards Authority: vehicle conforms to GS 1235 for import. Certificate GSA-VC-2026-0412.\n",
  },
  {
    type: "customs-export-licence",
    name: "export-licence.txt",
    mediaType: "text/plain",
    body: "Dubai Customs export licence EXP-2026-118204 for one used passenger vehicle.\n",
  },
  {
    type: "third-party-inspection-report",
    name: "pre-shipment-inspection.txt",
    mediaType: "text/plain",
    body: "Pre-shipment inspection by an accredited agency: no accident or flood damage, no major repairs, odometer 28,640 km consistent with service records.\n",
  },
  {
    type: "mileage-authentication-certificate",
    name: "mileage-certificate.txt",
    mediaType: "text/plain",
    body: "Mileage authenticated at 28,640 km against dealer service records (3 entries).\n",
  },
];

/** Adds documents to the store; returns their commitments (what the chain records). */
export function createDemoDocuments(store: DocumentStore) {
  /** A one-page text document for a step of a trade (`bill of lading 3`). */
  async function textDocument(label: string): Promise<Hex> {
    const { cid } = await store.add(encoder.encode(`Trade escrow demo: ${label}\n`), {
      mediaType: "text/plain",
    });
    return cidToCommitment(cid);
  }

  /** A manifest for the goods, with the given documents. */
  async function manifest(
    goods: { description: string; unit: string },
    deliveryPlace: string,
    documents: ManifestDocument[] = [],
  ): Promise<Hex> {
    const { cid } = await publishManifest(
      store,
      createManifest({ goods, deliveryPlace, documents }),
    );
    return cidToCommitment(cid);
  }

  /** The automotive export's manifest with its eight pre-transaction documents. */
  async function automotiveManifest(): Promise<Hex> {
    const documents: ManifestDocument[] = [];
    for (const { body, ...entry } of AUTOMOTIVE_DOCUMENTS)
      documents.push(
        await addDocument(store, typeof body === "string" ? encoder.encode(body) : body, entry),
      );
    return manifest(
      {
        description: "2023 Toyota Land Cruiser 300, 3.3 L V6 diesel, white, VIN JTMAB3FJ20D012345",
        unit: "vehicle",
      },
      "Bonded warehouse 7, Port of Tema, Ghana",
      documents,
    );
  }

  return { textDocument, manifest, automotiveManifest };
}
