import type { Hex } from "viem";
import { cidToCommitment, toCid } from "@trade-escrow/sdk/cid";
import { computeManifestCid, createManifest, manifestMediaType } from "@trade-escrow/sdk/manifest";
import type { ManifestDocument } from "@trade-escrow/sdk/manifest";
import type { Api } from "./api.js";

export type PublishedManifest = { cid: string; commitment: Hex };

/**
 * Builds a manifest (validated by the sdk's schema), computes its CID here, uploads its canonical
 * bytes to the indexer's store and checks that the store answered the same CID: the commitment the
 * terms carry is the one computed in the browser, not the server's word.
 */
export async function publishManifest(
  api: Api,
  parameters: {
    goods: { description: string; unit: string };
    deliveryPlace: string;
    documents: ManifestDocument[];
  },
): Promise<PublishedManifest> {
  const manifest = createManifest(parameters);
  const { cid, bytes } = await computeManifestCid(manifest);
  const file = new File([bytes as Uint8Array<ArrayBuffer>], "manifest.json", {
    type: manifestMediaType,
  });
  const uploaded = await api.upload(file, "other", "manifest.json");
  if (uploaded.cid !== cid.toString())
    throw new Error(`The store answered CID ${uploaded.cid} for a manifest whose CID is ${cid}.`);
  return { cid: cid.toString(), commitment: cidToCommitment(cid) };
}

/** The on-chain commitment (binary CID) of a CID string. */
export const commitmentOf = (cid: string): Hex => cidToCommitment(toCid(cid));
