import type { TestProject } from "vitest/node";
import { deployStack } from "./deploy.js";
import type { Deployed } from "./deploy.js";
import { startHardhatNode } from "./node.js";

declare module "vitest" {
  export interface ProvidedContext {
    chain: Deployed;
  }
}

/** Starts a Hardhat node, deploys the stack with viem, and provides its addresses (`inject("chain")`). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const node = await startHardhatNode();
  try {
    project.provide("chain", await deployStack(node.url));
  } catch (error) {
    await node.stop();
    throw error;
  }
  return () => node.stop();
}
