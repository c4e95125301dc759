/* eslint-disable no-console -- the command a person runs: it talks to the terminal */
/**
 * `npm start` (see README.md): the whole product on this machine. Flags: `--fresh` empties the
 * data directory first. Settings: PORT (3000), RPC_PORT (8545), HOST (127.0.0.1), DATA_DIR
 * (<repo>/.data), and the indexer's (DATABASE_URL, LOG_LEVEL, ...).
 */
// Only Node's built-ins and ./command.js are imported statically: the sdk's generated files do not
// exist on a fresh clone until the contracts are compiled, so everything that reads them is
// imported after `compileContracts`.
import { StackError, compileContracts } from "./command.js";
import type { StackStep } from "./start.js";

const labels: Record<StackStep | "compile", string> = {
  compile: "Compiling the contracts",
  ports: "Checking ports",
  chain: "Starting the local chain",
  deploy: "Deploying",
  seed: "Seeding demo trades",
  dapp: "Building the dApp",
  index: "Indexing",
};

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535)
    throw new StackError(`${name} must be a port number, not "${raw}".`);
  return value;
}

/** Hardhat 3 runs on Node 22.13 or newer; on an older Node say how to get one, before anything fails. */
function assertNodeRecentEnough(): void {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 13)) return;
  throw new StackError(
    `Node ${process.version} is too old (22.13 or newer is needed): run \`. scripts/use-node.sh\` in this shell first (README.md), or install Node 24 LTS.`,
  );
}

async function main(): Promise<void> {
  assertNodeRecentEnough();
  const unknown = process.argv.slice(2).filter((arg) => arg !== "--fresh");
  if (unknown.length > 0)
    throw new StackError(`Unknown argument ${unknown[0]}; the only flag is --fresh.`);
  const began = performance.now();
  let stepStarted = began;
  let current: StackStep | "compile" | undefined;
  const progress = (step: StackStep | "compile", detail?: string) => {
    const now = performance.now();
    if (step !== current) {
      if (current !== undefined)
        console.log(`  done in ${((now - stepStarted) / 1000).toFixed(1)} s`);
      console.log(`▸ ${labels[step]}${detail === undefined ? "" : `: ${detail}`}`);
      current = step;
      stepStarted = now;
    } else if (detail !== undefined) console.log(`  ${detail}`);
  };
  const settings = {
    port: integer("PORT", 3000),
    rpcPort: integer("RPC_PORT", 8545),
    host: process.env.HOST,
    dataDir: process.env.DATA_DIR,
    fresh: process.argv.includes("--fresh"),
  };

  progress("compile");
  await compileContracts();
  const [{ toHex }, { localAccount }, { demoAccounts }, { startStack }] = await Promise.all([
    import("viem"),
    import("@trade-escrow/sdk/devchain"),
    import("./demo/seed.js"),
    import("./start.js"),
  ]);
  const stack = await startStack({ ...settings, progress });
  console.log(`  done in ${((performance.now() - stepStarted) / 1000).toFixed(1)} s`);

  const { deployment } = stack;
  console.log(`
Trade escrow is running (${((performance.now() - began) / 1000).toFixed(0)} s to start).

  dApp          ${stack.url}/
  API           ${stack.url}/api  (OpenAPI: ${stack.url}/api/openapi.json)
  IPFS gateway  ${stack.url}/ipfs/<cid>
  Chain         ${stack.rpcUrl}  (chain id ${deployment.chainId})
  TradeEscrow   ${deployment.tradeEscrow}
  Court         ${deployment.arbitrationCourt}
  Ratings       ${deployment.sellerRatings}
  Demo USD      ${deployment.usd}  (6 decimals)

Demo trades:`);
  for (const trade of stack.trades)
    console.log(`  #${String(trade.id).padEnd(3)} ${trade.state.padEnd(13)} ${trade.title}`);
  console.log("\nDemo accounts (Hardhat's development keys: never use them on a real network):");
  for (const { role, what } of demoAccounts) {
    const key = localAccount(role).getHdKey().privateKey;
    console.log(`  ${localAccount(role).address}  ${what}`);
    if (key !== null) console.log(`    private key ${toHex(key)}`);
  }
  console.log(`
To use a wallet: add the network (RPC ${stack.rpcUrl}, chain id ${deployment.chainId}, currency ETH),
then import an account above by its private key. On this local chain the dApp also offers the
development accounts directly. Ctrl-C stops everything.`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.log("Stopping already; press Ctrl-C once more to quit at once.");
      process.once(signal, () => process.exit(130));
      return;
    }
    stopping = true;
    console.log("\nStopping the indexer and the chain...");
    await stack.stop();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(
    error instanceof StackError ? error.message : error instanceof Error ? error.stack : error,
  );
  process.exit(error instanceof StackError ? 2 : 1);
});
