import { hashTypedData } from "viem";
import type { Hex, TypedDataDefinition, TypedDataDomain } from "viem";
import { escrowDomain } from "./domain.js";
import type { EscrowDomainParameters } from "./domain.js";
import { signTypedDataWith, verifyTypedDataWith } from "./signer.js";
import type { TypedDataSigner, VerifySignatureParameters } from "./signer.js";

/** A message and the domain it is signed in. */
export type MessageParameters<message, domain = EscrowDomainParameters> = {
  /** For the escrow's messages: `{ chainId, verifyingContract }` (name and version are fixed). */
  domain: domain;
  message: message;
};

/** The four helpers every signed message has. */
export type MessageHelpers<
  types extends Record<string, unknown>,
  primaryType extends keyof types & string,
  domain,
> = {
  build: (
    parameters: MessageParameters<TypedDataDefinition<types, primaryType>["message"], domain>,
  ) => TypedDataDefinition<types, primaryType>;
  sign: (
    signer: TypedDataSigner,
    parameters: MessageParameters<TypedDataDefinition<types, primaryType>["message"], domain>,
  ) => Promise<Hex>;
  hash: (
    parameters: MessageParameters<TypedDataDefinition<types, primaryType>["message"], domain>,
  ) => Hex;
  verify: (
    parameters: MessageParameters<TypedDataDefinition<types, primaryType>["message"], domain> &
      VerifySignatureParameters,
  ) => Promise<boolean>;
};

/** The helpers of a message with `primaryType` in `types`, signed in the domain `toDomain` builds. */
export function defineMessage<
  const types extends Record<string, unknown>,
  primaryType extends keyof types & string,
  domain,
>(
  primaryType: primaryType,
  types: types,
  toDomain: (parameters: domain) => TypedDataDomain,
): MessageHelpers<types, primaryType, domain> {
  const build = (
    parameters: MessageParameters<TypedDataDefinition<types, primaryType>["message"], domain>,
  ) =>
    // viem's conditional typed-data types do not narrow through the generics here; the object is
    // exactly a TypedDataDefinition<types, primaryType>.
    ({
      domain: toDomain(parameters.domain),
      types,
      primaryType,
      message: parameters.message,
    }) as unknown as TypedDataDefinition<types, primaryType>;
  // Erases the message type for the shared sign and verify code (see signer.ts).
  const general = (typedData: TypedDataDefinition<types, primaryType>) =>
    typedData as unknown as TypedDataDefinition;
  return {
    build,
    sign: (signer, parameters) => signTypedDataWith(signer, general(build(parameters))),
    hash: (parameters) => hashTypedData(general(build(parameters))),
    verify: (parameters) => verifyTypedDataWith(parameters, general(build(parameters))),
  };
}

/** `defineMessage` in the escrow's domain. */
export function defineEscrowMessage<
  const types extends Record<string, unknown>,
  primaryType extends keyof types & string,
>(
  primaryType: primaryType,
  types: types,
): MessageHelpers<types, primaryType, EscrowDomainParameters> {
  return defineMessage(primaryType, types, escrowDomain);
}
