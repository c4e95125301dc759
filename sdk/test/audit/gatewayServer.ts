/**
 * Serves an embedded store's directory with the sdk's trustless gateway in a process of its own, as
 * the indexer would: `tsx test/audit/gatewayServer.ts DIRECTORY` prints its `/ipfs` URL on the first
 * line of stdout and serves until it is stopped.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createGatewayApp } from "../../src/documents/gateway/index.js";
import { createEmbeddedStore } from "../../src/documents/store/index.js";

const directory = process.argv[2];
if (directory === undefined) {
  process.stderr.write("Usage: tsx test/audit/gatewayServer.ts DIRECTORY\n");
  process.exit(2);
}
const app = createGatewayApp({ store: createEmbeddedStore({ directory }) });
const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ipfs\n`);
});
