import type { ReactNode } from "react";
import { toReadableError } from "../lib/errors.js";

type QueryLike<T> = {
  data: T | undefined;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
};

/** The loading, error and empty states every list shares; `children` renders the data. */
export function AsyncState<T>(props: {
  query: QueryLike<T>;
  isEmpty?: (data: T) => boolean;
  empty: ReactNode;
  label: string;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  if (query.isPending && query.data === undefined)
    return (
      <p className="state state-loading" role="status" aria-live="polite">
        Loading {props.label}…
      </p>
    );
  if (query.isError || query.data === undefined)
    return (
      <div className="state state-error" role="alert">
        <p>
          Could not load {props.label}: {toReadableError(query.error).title}
        </p>
        <button type="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  if (props.isEmpty?.(query.data) === true)
    return <p className="state state-empty">{props.empty}</p>;
  return <>{props.children(query.data)}</>;
}
