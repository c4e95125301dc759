/**
 * The escrow's EIP-712 domain and types for the CommonJS Hardhat tests and scripts. The one source is
 * the sdk (sdk/src/eip712); its generator writes them as JSON, which CommonJS can load (run
 * `npm run compile` at the root, which compiles and generates).
 */
import generated from "../../sdk/src/contracts/generated/eip712.json";

/** EIP-712 types of every message the escrow accepts, from the sdk. */
export const ESCROW_EIP712_TYPES = generated.types;

/** The escrow's EIP-712 domain name and version, from the sdk. */
export const ESCROW_DOMAIN_NAME = generated.domain.name;
export const ESCROW_DOMAIN_VERSION = generated.domain.version;
