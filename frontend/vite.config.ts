import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The dApp. `VITE_*` variables configure the chain and contracts (see README.md); in development
 * `/api` and `/ipfs` go to the indexer (`VITE_INDEXER_URL`, default http://127.0.0.1:3000).
 */
export default defineConfig({
  plugins: [react()],
  build: { target: "es2022", sourcemap: false },
  server: {
    proxy: {
      "/api": process.env.VITE_INDEXER_URL ?? "http://127.0.0.1:3000",
      "/ipfs": process.env.VITE_INDEXER_URL ?? "http://127.0.0.1:3000",
    },
  },
});
