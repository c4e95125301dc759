/**
 * The contracts the platform deploys, and the escrow's logic libraries, named by the escrow's own
 * link references: the one list of them (deploy scripts, Ignition and tests read the generated
 * `escrowLibraryNames`).
 */
import { GenerateError, artifactSource } from "./artifacts.js";
import type { Artifact, ArtifactId, ArtifactReader, LinkReferences } from "./artifacts.js";

export const platformContracts = {
  tradeEscrow: { source: "contracts/TradeEscrow.sol", name: "TradeEscrow" },
  arbitrationCourt: { source: "contracts/ArbitrationCourt.sol", name: "ArbitrationCourt" },
  sellerRatings: { source: "contracts/SellerRatings.sol", name: "SellerRatings" },
  warehouseReceipt: { source: "contracts/WarehouseReceipt.sol", name: "WarehouseReceipt" },
} satisfies Record<string, ArtifactId>;

export type Platform = {
  escrow: Artifact;
  court: Artifact;
  ratings: Artifact;
  receipt: Artifact;
  /** The escrow's libraries, by name: the order they are deployed in. */
  libraries: Artifact[];
};

/** The libraries `linkReferences` names, as artifact ids sorted by name. */
export function linkedLibraries(linkReferences: LinkReferences): ArtifactId[] {
  return Object.entries(linkReferences)
    .flatMap(([source, byName]) =>
      Object.keys(byName).map((name) => ({ source: artifactSource(source), name })),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const names = (ids: ArtifactId[]) => ids.map((id) => id.name).join(", ");

/**
 * The escrow's libraries, from the link references of its creation code. Checks that its runtime
 * code links the same ones and that none of them links another (they deploy in one round).
 */
export async function readEscrowLibraries(
  artifacts: ArtifactReader,
  escrow: Artifact,
): Promise<Artifact[]> {
  const ids = linkedLibraries(escrow.linkReferences);
  const deployed = linkedLibraries(escrow.deployedLinkReferences);
  if (names(ids) !== names(deployed)) {
    throw new GenerateError(
      `TradeEscrow's creation code links ${names(ids)}, but its runtime code ${names(deployed)}.`,
    );
  }
  const libraries = await Promise.all(ids.map((id) => artifacts.read(id)));
  for (const library of libraries) {
    const linked = linkedLibraries(library.linkReferences);
    if (linked.length > 0) {
      throw new GenerateError(
        `${library.contractName} links ${names(linked)}; the escrow's libraries must link none.`,
      );
    }
  }
  return libraries;
}

export async function readPlatform(artifacts: ArtifactReader): Promise<Platform> {
  const escrow = await artifacts.read(platformContracts.tradeEscrow);
  return {
    escrow,
    court: await artifacts.read(platformContracts.arbitrationCourt),
    ratings: await artifacts.read(platformContracts.sellerRatings),
    receipt: await artifacts.read(platformContracts.warehouseReceipt),
    libraries: await readEscrowLibraries(artifacts, escrow),
  };
}
