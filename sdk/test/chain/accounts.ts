/** The development accounts by role: the sdk's development chain toolkit's (src/devchain). */
export { HARDHAT_MNEMONIC, localAccount, roles } from "../../src/devchain/index.js";
export type { Role } from "../../src/devchain/index.js";
