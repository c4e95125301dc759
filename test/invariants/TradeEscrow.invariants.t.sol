// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Length: the campaign's setup and one function per invariant, each stating what it checks.

import {ArbitrationCourt} from "../../contracts/ArbitrationCourt.sol";
import {TradeEscrow} from "../../contracts/TradeEscrow.sol";
import {ITradeEscrow} from "../../contracts/interfaces/ITradeEscrow.sol";
import {ITradeEscrowTypes} from "../../contracts/interfaces/ITradeEscrowTypes.sol";
import {MockStablecoin} from "../../contracts/mocks/MockStablecoin.sol";
import {EscrowLedger} from "./EscrowLedger.sol";
import {
    BuyerHandler,
    Finisher,
    KeeperHandler,
    OperatorHandler,
    SellerHandler
} from "./EscrowHandlers.sol";
import {console, vm} from "./Vm.sol";

/*
 * Invariant campaign over the escrow, run by Hardhat 3's Solidity test runner (EDR, Foundry-compatible):
 * `npx hardhat test solidity test/invariants/TradeEscrow.invariants.t.sol`.
 *
 * The fuzzer calls the four handlers (BuyerHandler, SellerHandler, OperatorHandler, KeeperHandler) in
 * random order with random inputs. Each handler acts as a few fixed accounts (two buyers, two sellers,
 * two accredited and bonded warehouse operators, a keeper, the treasury) by vm.prank, bounds its inputs
 * to sensible ranges and drives real protected-mode trades in the stablecoin and in the native coin
 * (also the operators' bond token): proposals and acceptances, openings signed by the seller (EIP-712),
 * deposits, balances, seller bonds, fulfilment, shipment, receipts (some outside the terms or late, which
 * halt), title transfers, port arrival, attestations signed and relayed, claims backed by an accredited
 * agency's report, accepted or enforced by default, amendments (price and bond; accepting a halting
 * lot), cancellations for every missed deadline, release after the claim window, operator bonds in and
 * out, withdrawals, and time passing (KeeperHandler.warp). The ledger (EscrowLedger) keeps every trade's
 * terms and ghost accounts of money measured on the parties' own balances.
 *
 * After every call, each invariant below must hold; after every run, `afterInvariant` checks liveness:
 * past every deadline, the honest side ends every open trade by itself (Finisher), everyone withdraws
 * everything, and the escrow is left holding nothing, having paid out exactly what came in.
 */
contract TradeEscrowInvariants {
    address internal constant NATIVE = address(0);
    uint16 internal constant FEE_BPS = 100;
    uint16 internal constant FEE_CAP_BPS = 500;
    uint256 internal constant OPERATOR_BOND = 1 ether;
    uint256 internal constant FUNDS = 1e30;

    /// @dev The escrow as deployed (roles, admin) and through its interface (everything else).
    TradeEscrow internal deployed;
    ITradeEscrow internal escrow;
    ArbitrationCourt internal court;
    MockStablecoin internal usd;
    EscrowLedger internal ledger;
    Finisher internal finisher;
    address[] private _targets;

    function setUp() public {
        // A realistic date (2025-06-16, a Monday), so business-day deadlines cross real weekends.
        vm.warp(1_750_032_000);
        address treasury = vm.addr(0x7EA5);
        address keeper = vm.addr(0x4EE9);
        address agency = vm.addr(0xA6E7);
        // `new` with linked libraries: the runner deploys and links the escrow's logic libraries itself.
        deployed = new TradeEscrow(address(this), treasury, FEE_BPS, FEE_CAP_BPS, NATIVE);
        escrow = ITradeEscrow(address(deployed));
        court = new ArbitrationCourt(address(this), treasury);
        usd = new MockStablecoin("Test USD", "TUSD", 6);
        deployed.grantRole(deployed.COURT_ROLE(), address(court));
        deployed.grantRole(deployed.INSPECTOR_ROLE(), agency);

        uint256[] memory buyerKeys = new uint256[](2);
        buyerKeys[0] = 0xB001;
        buyerKeys[1] = 0xB002;
        uint256[] memory sellerKeys = new uint256[](2);
        sellerKeys[0] = 0x5E01;
        sellerKeys[1] = 0x5E02;
        uint256[] memory operatorKeys = new uint256[](2);
        operatorKeys[0] = 0x0901;
        operatorKeys[1] = 0x0902;
        ledger = new EscrowLedger(
            escrow,
            address(usd),
            address(court),
            treasury,
            keeper,
            agency,
            buyerKeys,
            sellerKeys,
            operatorKeys
        );

        address[] memory parties = _concat(ledger.buyers(), ledger.sellers());
        for (uint256 i; i < parties.length; ++i) {
            vm.deal(parties[i], FUNDS);
            usd.mint(parties[i], FUNDS);
            vm.prank(parties[i]);
            usd.approve(address(escrow), type(uint256).max);
        }
        address[] memory operators = ledger.operators();
        for (uint256 i; i < operators.length; ++i) {
            deployed.grantRole(deployed.OPERATOR_ROLE(), operators[i]);
            escrow.setOperatorBondRequirement(operators[i], OPERATOR_BOND);
            vm.deal(operators[i], FUNDS);
            vm.prank(operators[i]);
            escrow.postOperatorBond{value: OPERATOR_BOND}(OPERATOR_BOND);
            ledger.recordIn(operators[i], NATIVE, OPERATOR_BOND);
        }

        _targets.push(address(new BuyerHandler(ledger)));
        _targets.push(address(new SellerHandler(ledger)));
        _targets.push(address(new OperatorHandler(ledger)));
        _targets.push(address(new KeeperHandler(ledger)));
        finisher = new Finisher(ledger);
    }

    /// @notice Every handler step the fuzzer may call, with its handler, in the order of a trade's life (a
    /// few listed twice). All take uint256 seeds only, so a call with spare words decodes too; the fixed
    /// walk below relies on it.
    function _steps() internal view returns (address[] memory handlers, bytes4[] memory selectors) {
        selectors = new bytes4[](37);
        handlers = new address[](37);
        bytes4[14] memory buyer = [
            BuyerHandler.propose.selector,
            BuyerHandler.openWithSellerSignature.selector,
            BuyerHandler.accept.selector,
            BuyerHandler.withdrawProposal.selector,
            BuyerHandler.payDeposit.selector,
            BuyerHandler.payBalance.selector,
            BuyerHandler.cancelForMissedStart.selector,
            BuyerHandler.cancelUnshipped.selector,
            BuyerHandler.cancelUndelivered.selector,
            BuyerHandler.fileClaim.selector,
            BuyerHandler.amendToAcceptLot.selector,
            BuyerHandler.amendPrice.selector,
            BuyerHandler.withdraw.selector,
            BuyerHandler.payDeposit.selector
        ];
        bytes4[10] memory seller = [
            SellerHandler.propose.selector,
            SellerHandler.accept.selector,
            SellerHandler.withdrawProposal.selector,
            SellerHandler.postBond.selector,
            SellerHandler.startFulfilment.selector,
            SellerHandler.ship.selector,
            SellerHandler.cancelForMissedDeposit.selector,
            SellerHandler.cancelUnshipped.selector,
            SellerHandler.acceptClaim.selector,
            SellerHandler.withdraw.selector
        ];
        bytes4[7] memory operator = [
            OperatorHandler.attestReceipt.selector,
            OperatorHandler.attestTitle.selector,
            OperatorHandler.attestPortArrival.selector,
            OperatorHandler.postBond.selector,
            OperatorHandler.withdrawBond.selector,
            OperatorHandler.withdraw.selector,
            OperatorHandler.attestReceipt.selector
        ];
        bytes4[6] memory keeper = [
            KeeperHandler.warp.selector,
            KeeperHandler.release.selector,
            KeeperHandler.enforceDefaultJudgment.selector,
            KeeperHandler.withdrawFees.selector,
            KeeperHandler.warp.selector,
            KeeperHandler.release.selector
        ];
        uint256 k;
        for (uint256 i; i < buyer.length; ++i) {
            (handlers[k], selectors[k]) = (_targets[0], buyer[i]);
            ++k;
        }
        for (uint256 i; i < seller.length; ++i) {
            (handlers[k], selectors[k]) = (_targets[1], seller[i]);
            ++k;
        }
        for (uint256 i; i < operator.length; ++i) {
            (handlers[k], selectors[k]) = (_targets[2], operator[i]);
            ++k;
        }
        for (uint256 i; i < keeper.length; ++i) {
            (handlers[k], selectors[k]) = (_targets[3], keeper[i]);
            ++k;
        }
    }

    /// @notice The contracts the fuzzer calls (StdInvariant's `targetContracts`, read by the runner).
    function targetContracts() public view returns (address[] memory) {
        return _targets;
    }

    // ------------------------------------------------------------------------------------------------
    // Invariants
    // ------------------------------------------------------------------------------------------------

    /// @notice Funds conservation per token, from the contract's views: the escrow's balance equals
    /// escrowed + seller bonds of every trade in the token, plus every account's withdrawable credit,
    /// plus the guarantor pool, plus (in the bond token, the native coin) the operators' bonds. And, from
    /// the outside, the balance is what the parties paid in less what they took out.
    function invariant_fundsConservedPerToken() public view {
        _requireFreshHandlerAbis();
        address[] memory tokens = ledger.tokens();
        address[] memory accounts = ledger.accounts();
        address[] memory operators = ledger.operators();
        uint256 n = ledger.tradeCount();
        for (uint256 k; k < tokens.length; ++k) {
            address token = tokens[k];
            uint256 owed;
            for (uint256 id = 1; id <= n; ++id) {
                if (ledger.tokenOf(id) != token) continue;
                ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
                owed += v.escrowed + v.sellerBond;
            }
            for (uint256 i; i < accounts.length; ++i)
                owed += escrow.withdrawable(accounts[i], token);
            (uint256 poolBalance, ) = escrow.pool(token);
            owed += poolBalance;
            if (token == deployed.bondToken()) {
                for (uint256 i; i < operators.length; ++i) {
                    (uint256 bond, , ) = escrow.operatorBond(operators[i]);
                    owed += bond;
                }
            }
            uint256 balance = ledger.balanceOf(token, address(escrow));
            vm.assertEq(
                balance,
                owed,
                "conservation: escrow balance != what its views say it owes"
            );
            vm.assertEq(
                balance,
                ledger.totalIn(token) - ledger.totalOut(token),
                "conservation: escrow balance != paid in - paid out"
            );
        }
    }

    /// @notice Sellers and the treasury together never receive (withdrawn or withdrawable) more than the
    /// net prices (price less claim refunds) of completed trades, plus what earlier lots of open trades
    /// released, plus seller bond that came back (posted, less still held, less forfeited to buyers).
    function invariant_sellersAndTreasuryNotOverpaid() public view {
        _requireFreshHandlerAbis();
        address[] memory tokens = ledger.tokens();
        address[] memory sellers = ledger.sellers();
        address treasury = ledger.treasury();
        uint256 n = ledger.tradeCount();
        for (uint256 k; k < tokens.length; ++k) {
            address token = tokens[k];
            uint256 received =
                ledger.paidOut(treasury, token) + escrow.withdrawable(treasury, token);
            for (uint256 i; i < sellers.length; ++i) {
                received +=
                    ledger.paidOut(sellers[i], token) + escrow.withdrawable(sellers[i], token);
            }
            uint256 owed;
            for (uint256 id = 1; id <= n; ++id) {
                if (ledger.tokenOf(id) != token) continue;
                ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
                owed +=
                    v.state == ITradeEscrowTypes.TradeState.Completed
                        ? ledger.terms(id).price - v.refunded
                        : v.released;
                owed += ledger.bondPosted(id) - v.sellerBond - ledger.bondForfeited(id);
            }
            vm.assertLe(
                received,
                owed,
                "overpaid: sellers + treasury got more than completed prices"
            );
        }
    }

    /// @notice Buyers never get back more than they paid (plus the seller bond forfeited to them, and on
    /// a material-damage claim the bond that pays its costs); no trade holds or has paid out more than
    /// its buyer paid in, nor more bond than its seller posted; a finished trade holds nothing; an
    /// operator never gets back more than it bonded.
    function invariant_buyersAndOperatorsNotOverpaid() public view {
        _requireFreshHandlerAbis();
        address[] memory tokens = ledger.tokens();
        address[] memory buyers = ledger.buyers();
        uint256 n = ledger.tradeCount();
        for (uint256 b; b < buyers.length; ++b) {
            for (uint256 k; k < tokens.length; ++k) {
                address token = tokens[k];
                uint256 allowed = ledger.paidIn(buyers[b], token);
                for (uint256 id = 1; id <= n; ++id) {
                    if (ledger.tokenOf(id) != token || ledger.buyerOf(id) != buyers[b]) continue;
                    allowed += ledger.bondForfeited(id);
                    if (ledger.materialClaim(id)) allowed += ledger.bondPosted(id);
                }
                uint256 received =
                    ledger.paidOut(buyers[b], token) + escrow.withdrawable(buyers[b], token);
                vm.assertLe(received, allowed, "overpaid: a buyer got back more than it paid");
            }
        }
        for (uint256 id = 1; id <= n; ++id) {
            ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
            vm.assertLe(
                v.escrowed + v.released + v.refunded,
                ledger.buyerPaid(id),
                "overpaid: a trade holds or paid out more than its buyer paid in"
            );
            vm.assertLe(
                v.sellerBond,
                ledger.bondPosted(id),
                "overpaid: more bond held than posted"
            );
            if (finisher.isFinal(v.state)) {
                vm.assertEq(v.escrowed + v.sellerBond, 0, "a finished trade still holds money");
            }
        }
        vm.assertEq(escrow.tradeCount(), n, "a trade opened that the handlers did not record");
        address[] memory operators = ledger.operators();
        for (uint256 i; i < operators.length; ++i) {
            (uint256 bond, , ) = escrow.operatorBond(operators[i]);
            vm.assertLe(
                ledger.paidOut(operators[i], NATIVE) +
                    bond +
                    escrow.withdrawable(operators[i], NATIVE),
                ledger.paidIn(operators[i], NATIVE),
                "overpaid: an operator got back more than it bonded"
            );
        }
    }

    /// @notice Liveness, after each run: past every deadline, every trade that has not ended is ended by
    /// the honest side's own calls; then everyone withdraws everything and the escrow is empty, having
    /// paid out, token by token, exactly what was paid in. The invariants hold at the end too.
    function afterInvariant() public {
        finisher.finishAll();
        invariant_fundsConservedPerToken();
        invariant_sellersAndTreasuryNotOverpaid();
        invariant_buyersAndOperatorsNotOverpaid();
        finisher.drainAll();
        address[] memory tokens = ledger.tokens();
        for (uint256 k; k < tokens.length; ++k) {
            vm.assertEq(
                ledger.balanceOf(tokens[k], address(escrow)),
                0,
                "liveness: money left in the escrow after every trade ended and everyone withdrew"
            );
            vm.assertEq(
                ledger.totalOut(tokens[k]),
                ledger.totalIn(tokens[k]),
                "liveness: paid out != paid in once everything is withdrawn"
            );
        }
    }

    // ------------------------------------------------------------------------------------------------
    // A fixed random walk: the handlers' wiring and what a campaign reaches
    // ------------------------------------------------------------------------------------------------

    /// @notice A fixed walk of 300 handler steps: in the order the handlers list them (a trade's life, so
    /// each round moves trades on), one in three replaced by a random step, every argument random from a
    /// fixed seed; every invariant checked every few steps, then the liveness check. Fails if the walk
    /// leaves an end of a trade unreached (the handlers would have stopped driving real trades); `-vv`
    /// prints what the steps did and where the trades stood.
    function test_walkReachesEveryEnd() public {
        (address[] memory handlers, bytes4[] memory selectors) = _steps();
        uint256[] memory reverted = new uint256[](selectors.length);
        for (uint256 i; i < 300; ++i) {
            uint256 r = uint256(keccak256(abi.encode("walk", i)));
            uint256 which = r % 3 == 0 ? (r >> 128) % selectors.length : i % selectors.length;
            // A step that reverts is skipped, as the fuzzer skips it.
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, ) = handlers[which].call(
                abi.encodePacked(
                    selectors[which],
                    abi.encode(r >> 8, _word(r, 1), _word(r, 2), _word(r, 3))
                )
            );
            if (!success) ++reverted[which];
            if (i % 10 == 9) {
                invariant_fundsConservedPerToken();
                invariant_sellersAndTreasuryNotOverpaid();
                invariant_buyersAndOperatorsNotOverpaid();
            }
        }
        uint256[12] memory byState = _report();
        for (uint256 k; k < reverted.length; ++k) {
            if (reverted[k] != 0)
                console.log(string.concat("reverted: step ", vm.toString(k)), reverted[k]);
        }
        vm.assertGt(
            byState[uint256(ITradeEscrowTypes.TradeState.Completed)],
            0,
            "walk: no trade completed"
        );
        vm.assertGt(
            byState[uint256(ITradeEscrowTypes.TradeState.Cancelled)],
            0,
            "walk: no trade cancelled"
        );
        afterInvariant();
    }

    function _word(uint256 r, uint256 i) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(r, i)));
    }

    /// @dev Logs the successful steps by name and the trades by state; returns the latter.
    function _report() private view returns (uint256[12] memory byState) {
        console.log("handler steps that reached the escrow and succeeded, by step:");
        bytes32[] memory names = ledger.stepNames();
        for (uint256 i; i < names.length; ++i) {
            console.log(string(abi.encodePacked(names[i])), ledger.steps(names[i]));
        }
        for (uint256 id = 1; id <= ledger.tradeCount(); ++id)
            ++byState[uint256(escrow.trade(id).state)];
        string[12] memory stateNames = [
            "None",
            "Proposed",
            "Signed",
            "Deposited",
            "InFulfilment",
            "Shipped",
            "Received",
            "Halted",
            "Delivered",
            "Completed",
            "Cancelled",
            "Refunded"
        ];
        for (uint256 s = 1; s < 12; ++s)
            console.log(string.concat("trades ", stateNames[s]), byState[s]);
    }

    /// @dev The fuzzer called a handler with a selector it does not have: its ABI came from stale
    /// artifacts of EscrowHandlers.sol. Build every file of test/invariants (pass them all to `test
    /// solidity`, or compile) and run again.
    function _requireFreshHandlerAbis() private view {
        vm.assertEq(
            ledger.unknownCalls(),
            0,
            "stale handler artifacts: run `hardhat test solidity test/invariants/*.sol` (or compile first)"
        );
    }

    function _concat(
        address[] memory a,
        address[] memory b
    ) private pure returns (address[] memory c) {
        c = new address[](a.length + b.length);
        for (uint256 i; i < a.length; ++i) c[i] = a[i];
        for (uint256 i; i < b.length; ++i) c[a.length + i] = b[i];
    }
}
