import { Suspense, lazy, useMemo } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import type { QueryClient } from "@tanstack/react-query";
import { WagmiProvider } from "wagmi";
import type { Config } from "wagmi";
import { WalletMenu } from "./components/WalletMenu.js";
import { AppContext } from "./context.js";
import type { AppContextValue } from "./context.js";
import { useLiveUpdates } from "./hooks/useIndexer.js";
import { Link, matchRoute, usePath } from "./router.js";
import { Home } from "./routes/Home.js";

// Each workspace is its own chunk: the first page loads only the shell, the wallet and the list.
const TradePage = lazy(() =>
  import("./routes/TradePage.js").then((m) => ({ default: m.TradePage })),
);
const BuyerPage = lazy(() =>
  import("./routes/Workspaces.js").then((m) => ({ default: m.BuyerPage })),
);
const SellerPage = lazy(() =>
  import("./routes/Workspaces.js").then((m) => ({ default: m.SellerPage })),
);
const OperatorPage = lazy(() =>
  import("./routes/Workspaces.js").then((m) => ({ default: m.OperatorPage })),
);
const ArbitratorPage = lazy(() =>
  import("./routes/ArbitratorPage.js").then((m) => ({ default: m.ArbitratorPage })),
);

const AuditorPage = lazy(() =>
  import("./routes/AuditorPage.js").then((m) => ({ default: m.AuditorPage })),
);

const AgencyPage = lazy(() =>
  import("./routes/AgencyPage.js").then((m) => ({ default: m.AgencyPage })),
);

const nav = [
  { href: "/buyer", label: "Buyer" },
  { href: "/seller", label: "Seller" },
  { href: "/operator", label: "Operator" },
  { href: "/arbitrator", label: "Arbitrator" },
  { href: "/agency", label: "Agency" },
  { href: "/auditor", label: "Auditor" },
];

function Page() {
  const path = usePath();
  const route = useMemo(() => matchRoute(path), [path]);
  useLiveUpdates();
  switch (route.page) {
    case "home":
      return <Home />;
    case "trade":
      return <TradePage key={route.id} id={route.id} />;
    case "buyer":
      return <BuyerPage />;
    case "seller":
      return <SellerPage />;
    case "operator":
      return <OperatorPage />;
    case "arbitrator":
      return <ArbitratorPage />;
    case "agency":
      return <AgencyPage />;
    case "auditor":
      return <AuditorPage />;
    case "not-found":
      return (
        <div>
          <h1>Not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <Link href="/">Back to the trades</Link>.
          </p>
        </div>
      );
  }
}

function Shell() {
  const path = usePath();
  return (
    <>
      <a href="#main" className="skip">
        Skip to the content
      </a>
      <header className="top">
        <Link href="/" className="brand">
          Trade escrow
        </Link>
        <nav aria-label="Workspaces">
          <ul>
            {nav.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={path.startsWith(n.href) ? "page" : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <WalletMenu />
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense
          fallback={
            <p className="state state-loading" role="status">
              Loading…
            </p>
          }
        >
          <Page />
        </Suspense>
      </main>
    </>
  );
}

export function App(props: { app: AppContextValue; wagmi: Config; queryClient: QueryClient }) {
  return (
    <AppContext.Provider value={props.app}>
      <WagmiProvider config={props.wagmi}>
        <QueryClientProvider client={props.queryClient}>
          <Shell />
        </QueryClientProvider>
      </WagmiProvider>
    </AppContext.Provider>
  );
}
