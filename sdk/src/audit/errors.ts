import { BaseError } from "../errors/index.js";
import type { BaseErrorParameters } from "../errors/index.js";

/*
 * The audit's errors: what stops an audit before it can conclude anything. A check that fails is
 * not an error; it is a `failed` check in the report.
 *
 * BaseError
 * └── AuditError
 *     ├── InvalidAuditParametersError  bad input (an address, a URL, a block, a trade id)
 *     └── AuditSourceError             the chain node or the IPFS source cannot be reached: retryable
 */

export class AuditError extends BaseError {
  override name = "AuditError";
}

export class InvalidAuditParametersError extends AuditError {
  override name = "InvalidAuditParametersError";
  /** One line per problem, as `field: message`. */
  readonly issues: string[];
  constructor(issues: string[], parameters: BaseErrorParameters = {}) {
    super(
      `Invalid audit parameters: ${issues[0] ?? "unknown problem"}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}.`,
      { ...parameters, metaMessages: issues.length > 1 ? issues : undefined },
    );
    this.issues = issues;
  }
}

export class AuditSourceError extends AuditError {
  override name = "AuditSourceError";
  /** `chain http://127.0.0.1:8545`, `ipfs http://127.0.0.1:3000`. */
  readonly source: string;
  constructor(source: string, reason: string, parameters: BaseErrorParameters = {}) {
    super(`The ${source} cannot be used: ${reason}`, { retryable: true, ...parameters });
    this.source = source;
  }
}
