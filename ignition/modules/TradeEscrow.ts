import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ESCROW_LIBRARIES } from "../../scripts/lib/escrowLibraries";

/**
 * The platform's contracts: the escrow (linked against its logic libraries; it deploys its own
 * WarehouseReceipt), the platform's court, accredited on the escrow, and the seller ratings.
 *
 * The deploying account is the admin of the escrow and the court (accreditation, pause, fee) and the
 * owner of the ratings (the fee floor per token that makes a trade without attested title ratable; none
 * is set, so only attested trades are ratable until the admin sets one); hand DEFAULT_ADMIN_ROLE and the
 * ratings' ownership (two steps: transferOwnership, acceptOwnership) to a multisig afterwards. Parameters (module `TradeEscrow`): `treasury`
 * (default: the deploying account),
 * `feeBps` (default 100, 1%), `feeCapBps` (default 500; the escrow refuses a fee above it, for
 * ever), `bondToken` (operators' bond token; default the zero address, the native coin).
 * Accrediting operators, inspection agencies, arbitrators and credit oracles is the admin's job
 * afterwards (the local stack's demo does it for its demo accounts).
 */
export default buildModule("TradeEscrow", (m) => {
  const admin = m.getAccount(0);
  const treasury = m.getParameter("treasury", admin);
  const feeBps = m.getParameter("feeBps", 100);
  const feeCapBps = m.getParameter("feeCapBps", 500);
  const bondToken = m.getParameter("bondToken", "0x0000000000000000000000000000000000000000");

  const libraries = Object.fromEntries(ESCROW_LIBRARIES.map((name) => [name, m.library(name)]));
  const escrow = m.contract("TradeEscrow", [admin, treasury, feeBps, feeCapBps, bondToken], {
    libraries,
  });
  const receiptsAddress = m.staticCall(escrow, "receipts", [], 0, { id: "ReceiptsAddress" });
  const warehouseReceipt = m.contractAt("WarehouseReceipt", receiptsAddress);
  const court = m.contract("ArbitrationCourt", [admin, treasury]);
  const ratings = m.contract("SellerRatings", [escrow, admin]);

  // The platform's court may rule on trades that name it.
  const courtRole = m.staticCall(escrow, "COURT_ROLE", [], 0, { id: "CourtRole" });
  m.call(escrow, "grantRole", [courtRole, court], { id: "AccreditCourt" });

  // The libraries are not returned: their ABIs name enums as Solidity does, which ethers cannot
  // parse; their addresses are read from the escrow's linked code (deployPlatform).
  return { escrow, court, ratings, warehouseReceipt };
});
