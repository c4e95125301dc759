/** What a projection writes: append-only rows and the documents to verify. */
import type { AppendTable, RowOf } from "../../store/index.js";
import type { ChainEvent } from "../decode.js";
import { cidOf, disputeIdOf, num, str, tradeIdOf } from "./values.js";

export type Output = {
  /** Appends one row to an append-only table. */
  append<T extends AppendTable>(table: T, row: RowOf<T>): void;
  /**
   * Records a document `e` commits (none for `0x`; a malformed commitment as `cid: null`), and its
   * CID for the verifier.
   */
  document(
    e: ChainEvent,
    role: string,
    commitment: unknown,
    extra?: Partial<RowOf<"documents">>,
  ): void;
  readonly rows: { [T in AppendTable]?: RowOf<T>[] };
  readonly documentCids: Set<string>;
};

export function createOutput(): Output {
  const rows: { [T in AppendTable]?: RowOf<T>[] } = {};
  const documentCids = new Set<string>();
  const append = <T extends AppendTable>(table: T, row: RowOf<T>) => {
    const list: RowOf<T>[] = (rows[table] ??= []);
    list.push(row);
  };
  return {
    rows,
    documentCids,
    append,
    document(e, role, commitment, extra = {}) {
      const cid = cidOf(commitment);
      if (cid === undefined) return;
      if (cid !== null) documentCids.add(cid);
      append("documents", {
        block_number: num(e.blockNumber),
        log_index: e.logIndex,
        role,
        trade_id: str(tradeIdOf(e)),
        dispute_id: str(disputeIdOf(e)),
        cid,
        commitment: String(commitment),
        submitted_by: null,
        block_timestamp: num(e.timestamp),
        transaction_hash: e.transactionHash,
        ...extra,
      });
    },
  };
}
