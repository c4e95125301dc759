import type { ArtifactReader } from "./artifacts.js";

/** What a generator reads from. */
export type GenerateContext = {
  /** The root's artifacts, each read once however many generators ask. */
  artifacts: ArtifactReader;
  /** The folder of `deployments/<chainId>.json`. */
  deployments: string;
};

/** One generated file: where it goes under the sdk and how its content is made. */
export type GeneratedFile = {
  /** The path under the sdk, `/`-separated. */
  path: string;
  render(context: GenerateContext): Promise<string>;
};
