import type { TestProject } from "vitest/node";
import { deployStack, startDevNode } from "@trade-escrow/sdk/devchain";
import type { DevDeployment } from "@trade-escrow/sdk/devchain";
import { accreditParties } from "@trade-escrow/stack/devchain";

declare module "vitest" {
  export interface ProvidedContext {
    chain: DevDeployment;
  }
}

/**
 * Starts a development node (anvil), deploys the platform with the sdk's toolkit, accredits the
 * stack's parties (a second operator, five arbitrators), and provides the deployment
 * (`inject("chain")`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const node = await startDevNode();
  try {
    const deployment = await deployStack(node.url);
    await accreditParties(deployment);
    project.provide("chain", deployment);
  } catch (error) {
    await node.stop();
    throw error;
  }
  return () => node.stop();
}
