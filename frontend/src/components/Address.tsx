import { useConnection } from "wagmi";
import { sameAddress, shortAddress } from "../lib/format.js";

/** An address, shortened, with the full one on hover; "you" when it is the connected account. */
export function Address({ value }: { value: string }) {
  const { address } = useConnection();
  return (
    <span className="address" title={value}>
      <code>{shortAddress(value)}</code>
      {sameAddress(address, value) && <span className="you"> (you)</span>}
    </span>
  );
}
