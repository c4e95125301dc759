import { createServer, connect } from "node:net";
import type { AddressInfo, Socket } from "node:net";

export type TcpProxy = {
  /** The port to connect to instead of the upstream's. */
  port: number;
  stats: { connections: number; refused: number };
  /** The upstream "restarts": every open connection is cut, new ones are dropped until `up()`. */
  down(): void;
  up(): void;
  close(): Promise<void>;
};

/**
 * A TCP proxy in front of a server (the shared Postgres): lets a test cut the indexer's connections and
 * make the database unreachable for a while without touching the server that others use.
 */
export async function startTcpProxy(upstream: { host: string; port: number }): Promise<TcpProxy> {
  const stats = { connections: 0, refused: 0 };
  const open = new Set<Socket>();
  let isDown = false;
  const server = createServer((client) => {
    if (isDown) {
      stats.refused += 1;
      client.destroy();
      return;
    }
    stats.connections += 1;
    const target = connect(upstream.port, upstream.host);
    open.add(client);
    open.add(target);
    const end = () => {
      client.destroy();
      target.destroy();
      open.delete(client);
      open.delete(target);
    };
    client.on("error", end).on("close", end);
    target.on("error", end).on("close", end);
    client.pipe(target);
    target.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    stats,
    down() {
      isDown = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    up() {
      isDown = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
