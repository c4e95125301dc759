import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import type { ServerType } from "@hono/node-server";
import { createGatewayApp } from "../../src/documents/gateway/index.js";
import { createEmbeddedStore } from "../../src/documents/store/index.js";
import type { EmbeddedDocumentStore } from "../../src/documents/store/index.js";

/** An embedded store in a temporary directory, served by the sdk's trustless gateway on 127.0.0.1. */
export type DocumentGateway = {
  store: EmbeddedDocumentStore;
  /** The store's directory (another process may serve it: see gatewayServer.ts). */
  directory: string;
  /** `http://127.0.0.1:{port}/ipfs`, as the CLI takes it. */
  url: string;
  close: () => Promise<void>;
};

export async function startDocumentGateway(): Promise<DocumentGateway> {
  const directory = await mkdtemp(join(tmpdir(), "sdk-audit-"));
  const store = createEmbeddedStore({ directory });
  const app = createGatewayApp({ store });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  return {
    store,
    directory,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ipfs`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(directory, { recursive: true, force: true });
    },
  };
}
