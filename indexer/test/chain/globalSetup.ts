import type { TestProject } from "vitest/node";
import { deployStack } from "@trade-escrow/stack/devchain";
import type { Deployed } from "@trade-escrow/stack/devchain";
import { startDevNode } from "@trade-escrow/stack/devchain";

declare module "vitest" {
  export interface ProvidedContext {
    chain: Deployed;
  }
}

/**
 * Starts a development node (anvil), deploys the stack with viem, and provides its addresses
 * (`inject("chain")`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const node = await startDevNode();
  try {
    project.provide("chain", await deployStack(node.url));
  } catch (error) {
    await node.stop();
    throw error;
  }
  return () => node.stop();
}
