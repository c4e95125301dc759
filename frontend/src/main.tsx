import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { readConfig } from "./config.js";
import { createApi } from "./lib/api.js";
import { createQueryClient, createWagmiConfig } from "./wagmi.js";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);
try {
  const config = readConfig(import.meta.env as unknown as Record<string, string | undefined>);
  root.render(
    <StrictMode>
      <App
        app={{ config, api: createApi(config.indexerUrl) }}
        wagmi={createWagmiConfig(config)}
        queryClient={createQueryClient()}
      />
    </StrictMode>,
  );
} catch (error) {
  root.render(
    <main className="fatal" role="alert">
      <h1>The dApp is not configured</h1>
      <p>{error instanceof Error ? error.message : String(error)}</p>
    </main>,
  );
}
