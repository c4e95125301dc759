import { BaseError } from "../errors/index.js";
import type { BaseErrorParameters } from "../errors/index.js";

/*
 * The signatures part of the error tree:
 *
 * BaseError
 * └── MissingAccountError   a wallet client with no account was asked to sign
 */

export class MissingAccountError extends BaseError {
  override name = "MissingAccountError";
  constructor(parameters: BaseErrorParameters = {}) {
    super("The wallet client has no account to sign with; pass { client, account }.", parameters);
  }
}
