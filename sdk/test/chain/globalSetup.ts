import type { TestProject } from "vitest/node";
import { deployTestStack } from "./deploy.js";
import { startDevNode } from "./node.js";
import "./context.js";

/**
 * Vitest global setup: starts the development node (anvil, ./node.ts), deploys the stack with viem
 * (./deploy.ts) and provides its addresses to the test files (`inject("chain")`). The node is
 * stopped at teardown. The root's artifacts must be compiled (the sdk's `pretest` generator fails
 * first, saying so, if they are not).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const node = await startDevNode();
  try {
    project.provide("chain", await deployTestStack(node.url));
  } catch (error) {
    await node.stop();
    throw error;
  }
  return node.stop;
}
