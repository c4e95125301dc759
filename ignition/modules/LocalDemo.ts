import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import TradeEscrowModule from "./TradeEscrow";

/**
 * Hardhat's development accounts as the local stack's demo uses them (the same indices as
 * sdk/src/devchain/accounts.ts `roles`; the stack's test checks every grant against them).
 */
const DEMO_ACCOUNTS = {
  operators: [4, 16],
  agency: 5,
  arbitrators: [7, 8, 9, 10, 11],
  creditOracle: 17,
} as const;

/**
 * The local stack (`npm start`): the platform, a demo stablecoin, and the demo's accredited parties
 * (two warehouse operators, an inspection agency, a credit oracle, five arbitrators). Never for a
 * public network: there the admin accredits real parties.
 */
export default buildModule("LocalDemo", (m) => {
  const platform = m.useModule(TradeEscrowModule);
  const { escrow, court } = platform;
  const admin = m.getAccount(0);
  const stablecoin = m.contract("DemoStablecoin", [admin]);

  const role = (name: string) => m.staticCall(escrow, name, [], 0, { id: name });
  const operatorRole = role("OPERATOR_ROLE");
  DEMO_ACCOUNTS.operators.forEach((index, i) =>
    m.call(escrow, "grantRole", [operatorRole, m.getAccount(index)], { id: `Operator${i + 1}` }),
  );
  m.call(escrow, "grantRole", [role("INSPECTOR_ROLE"), m.getAccount(DEMO_ACCOUNTS.agency)], {
    id: "InspectionAgency",
  });
  m.call(
    escrow,
    "grantRole",
    [role("CREDIT_ORACLE_ROLE"), m.getAccount(DEMO_ACCOUNTS.creditOracle)],
    { id: "CreditOracle" },
  );
  DEMO_ACCOUNTS.arbitrators.forEach((index, i) =>
    m.call(court, "accreditArbitrator", [m.getAccount(index)], { id: `Arbitrator${i + 1}` }),
  );
  return { ...platform, stablecoin };
});
