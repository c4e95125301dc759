import { useEffect, useSyncExternalStore } from "react";
import type { AnchorHTMLAttributes, MouseEvent } from "react";

/** A small History-API router: the indexer serves index.html for every client-side route. */
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

export function navigate(to: string): void {
  window.history.pushState(null, "", to);
  notify();
  window.scrollTo?.(0, 0);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

export function usePath(): string {
  return useSyncExternalStore(
    subscribe,
    () => window.location.pathname,
    () => "/",
  );
}

export type Route =
  | { page: "home" }
  | { page: "trade"; id: string }
  | { page: "buyer" }
  | { page: "seller" }
  | { page: "operator" }
  | { page: "arbitrator" }
  | { page: "auditor" }
  | { page: "agency" }
  | { page: "not-found"; path: string };

export function matchRoute(path: string): Route {
  const clean = path.replace(/\/+$/, "") || "/";
  if (clean === "/") return { page: "home" };
  const trade = /^\/trades\/(\d{1,78})$/.exec(clean);
  if (trade !== null) return { page: "trade", id: trade[1]! };
  const workspaces = ["/buyer", "/seller", "/operator", "/arbitrator", "/auditor", "/agency"];
  if (workspaces.includes(clean)) return { page: clean.slice(1) as "buyer" };
  return { page: "not-found", path };
}

export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    props.onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      props.target === "_blank"
    )
      return;
    event.preventDefault();
    navigate(props.href);
  };
  return <a {...props} onClick={onClick} />;
}

/** Sets the document title per page. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Trade escrow`;
  }, [title]);
}
