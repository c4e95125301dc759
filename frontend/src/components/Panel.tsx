import type { ReactNode } from "react";

/** A titled box of the trade page's actions. */
export function Panel(props: { title: string; children: ReactNode; testId?: string }) {
  return (
    <div className="panel" data-testid={props.testId}>
      <h3>{props.title}</h3>
      {props.children}
    </div>
  );
}
