import { BaseError } from "../errors/index.js";
import type { BaseErrorParameters } from "../errors/index.js";
import type { CourtTerms } from "./courtTerms.js";

/*
 * The contracts part of the error tree:
 *
 * BaseError
 * ├── UnknownDeploymentError   no deployment is known for the chain id
 * ├── LinkBytecodeError        a library address is missing or invalid, or the bytecode has no
 * │                            placeholder where its link references say
 * └── CourtTermsError          court terms the court would refuse (`CourtInvalidTerms`), or bytes
 *                              that are not five words
 */

export class UnknownDeploymentError extends BaseError {
  override name = "UnknownDeploymentError";
  readonly chainId: number;
  constructor(parameters: { chainId: number; known: readonly number[] } & BaseErrorParameters) {
    const { chainId, known, ...rest } = parameters;
    super(`No deployment of the trade escrow is known on chain ${chainId}.`, {
      ...rest,
      metaMessages: [
        known.length === 0
          ? "No chain has one yet: the deploy script writes deployments/<chainId>.json, then `npm run generate -w sdk`."
          : `Known chains: ${known.join(", ")}.`,
      ],
    });
    this.chainId = chainId;
  }
}

export class LinkBytecodeError extends BaseError {
  override name = "LinkBytecodeError";
  /** The library at fault. */
  readonly library: string;
  constructor(library: string, shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, parameters);
    this.library = library;
  }
}

export class CourtTermsError extends BaseError {
  override name = "CourtTermsError";
  /** The term at fault; undefined when the bytes are not five words. */
  readonly term: keyof CourtTerms | undefined;
  constructor(
    term: keyof CourtTerms | undefined,
    shortMessage: string,
    parameters: BaseErrorParameters = {},
  ) {
    super(shortMessage, parameters);
    this.term = term;
  }
}
