import { verifyTypedData as recoverAndCompare } from "viem";
import type {
  Account,
  Address,
  Chain,
  Client,
  Hex,
  LocalAccount,
  Transport,
  TypedDataDefinition,
} from "viem";
import { signTypedData, verifyTypedData as verifyThroughClient } from "viem/actions";
import { MissingAccountError } from "./errors.js";

/** Any viem client (a wallet client to sign, a public client to verify). */
export type AnyClient = Client<Transport, Chain | undefined, Account | undefined>;

/**
 * Who signs: a viem local account (`privateKeyToAccount`, `mnemonicToAccount`), a wallet client
 * with its account hoisted, or a wallet client and the account to sign with (a JSON-RPC address
 * the wallet holds, e.g. an injected wallet's, or a local account).
 */
export type TypedDataSigner =
  LocalAccount | AnyClient | { client: AnyClient; account: Account | Address };

export type VerifySignatureParameters = {
  /** Who is meant to have signed: an EOA, or a contract wallet when `client` is given. */
  address: Address;
  signature: Hex;
  /**
   * A public client on the message's chain. With it, verification goes through the chain, so
   * contract wallets (ERC-1271) and counterfactual ones (ERC-6492) verify too. Without it, the
   * signer is recovered offline and compared with `address`, which is right for EOAs only.
   */
  client?: AnyClient;
};

// The typed data reaches these two functions fully built and typed by the message's helpers; here
// only its shape matters, so it is taken as viem's general `TypedDataDefinition`.

/** Signs built typed data with any `TypedDataSigner`. */
export async function signTypedDataWith(
  signer: TypedDataSigner,
  typedData: TypedDataDefinition,
): Promise<Hex> {
  if ("client" in signer) {
    return signTypedData(signer.client, { ...typedData, account: signer.account });
  }
  if (signer.type === "local") return (signer as LocalAccount).signTypedData(typedData);
  const client = signer as AnyClient;
  if (client.account === undefined) throw new MissingAccountError();
  return signTypedData(client, { ...typedData, account: client.account });
}

/** Verifies a signature over built typed data (see `VerifySignatureParameters.client`). */
export async function verifyTypedDataWith(
  parameters: VerifySignatureParameters,
  typedData: TypedDataDefinition,
): Promise<boolean> {
  const { address, signature, client } = parameters;
  if (client !== undefined) {
    return verifyThroughClient(client, { ...typedData, address, signature });
  }
  return recoverAndCompare({ ...typedData, address, signature });
}
