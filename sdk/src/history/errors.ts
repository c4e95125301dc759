import { BaseError } from "../errors/index.js";

/** The history contradicts itself: an event that cannot follow the ones before it. Not retryable. */
export class HistoryError extends BaseError {
  override name = "HistoryError";
  constructor(shortMessage: string, parameters: { cause?: unknown } = {}) {
    super(shortMessage, { ...parameters, retryable: false });
  }
}
