import { useNow } from "../hooks/useNow.js";
import { formatDuration, formatTime } from "../lib/format.js";

/** A deadline with the time left (or how long ago it passed). */
export function Countdown({ label, at }: { label: string; at: number }) {
  const now = useNow();
  const left = at - now;
  return (
    <div
      className={`deadline ${left < 0 ? "deadline-passed" : left < 86_400 ? "deadline-soon" : ""}`}
    >
      <dt>{label}</dt>
      <dd>
        <time dateTime={new Date(at * 1000).toISOString()}>{formatTime(at)}</time>{" "}
        <span className="countdown">
          {left >= 0 ? `in ${formatDuration(left)}` : `passed ${formatDuration(left)} ago`}
        </span>
      </dd>
    </div>
  );
}
