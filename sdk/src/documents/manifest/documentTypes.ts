/**
 * The eight pre-transaction documents of an automotive trade (SPEC.md, "The electronic contract"),
 * pinned to IPFS and committed on chain before the buyer signs.
 */
export const preTransactionDocumentTypes = [
  "specification-sheet-and-mileage-records",
  "photos-and-videos",
  "vin-and-manufacturing-year",
  "purchase-contract-and-registration-certificate",
  "destination-compliance-certificate",
  "customs-export-licence",
  "third-party-inspection-report",
  "mileage-authentication-certificate",
] as const;

/** Documents of fulfilment, claims and amendments, and a catch-all. */
export const tradeDocumentTypes = [
  "bill-of-lading",
  "waybill",
  "customs-declaration",
  "inspection-report",
  "photo",
  "video",
  "warehouse-receipt",
  "amendment",
  "other",
] as const;

export const documentTypes = [...preTransactionDocumentTypes, ...tradeDocumentTypes] as const;

export type PreTransactionDocumentType = (typeof preTransactionDocumentTypes)[number];
export type DocumentType = (typeof documentTypes)[number];

/** What a person reads for each type. */
export const documentTypeLabels: Readonly<Record<DocumentType, string>> = {
  "specification-sheet-and-mileage-records": "Specification sheet and mileage records",
  "photos-and-videos": "Photos and videos",
  "vin-and-manufacturing-year": "VIN and manufacturing year",
  "purchase-contract-and-registration-certificate":
    "Purchase contract and registration certificate",
  "destination-compliance-certificate": "Destination compliance certificate",
  "customs-export-licence": "Customs export licence",
  "third-party-inspection-report": "Independent third-party inspection report",
  "mileage-authentication-certificate": "Mileage authentication certificate",
  "bill-of-lading": "Bill of lading",
  waybill: "Waybill",
  "customs-declaration": "Customs declaration",
  "inspection-report": "Inspection report",
  photo: "Photo",
  video: "Video",
  "warehouse-receipt": "Warehouse receipt",
  amendment: "Amendment",
  other: "Other",
};

export function isDocumentType(value: string): value is DocumentType {
  return (documentTypes as readonly string[]).includes(value);
}
