// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Length: one handler per actor (buyer, seller, operator, court, keeper), each step guarded so
// that it reaches the escrow only when it applies.

import {ITradeEscrow} from "../../contracts/interfaces/ITradeEscrow.sol";
import {ITradeEscrowTypes} from "../../contracts/interfaces/ITradeEscrowTypes.sol";
import {BusinessDays} from "../../contracts/libraries/BusinessDays.sol";
import {TradeMath} from "../../contracts/libraries/TradeMath.sol";
import {TradeTerms} from "../../contracts/libraries/TradeTerms.sol";
import {LibraryHarness} from "../../contracts/mocks/LibraryHarness.sol";
import {EscrowLedger} from "./EscrowLedger.sol";
import {bound, vm} from "./Vm.sol";

/// @dev Shorthands for the escrow's enums.
uint256 constant PROPOSED = uint256(ITradeEscrowTypes.TradeState.Proposed);
uint256 constant SIGNED = uint256(ITradeEscrowTypes.TradeState.Signed);
uint256 constant DEPOSITED = uint256(ITradeEscrowTypes.TradeState.Deposited);
uint256 constant IN_FULFILMENT = uint256(ITradeEscrowTypes.TradeState.InFulfilment);
uint256 constant SHIPPED = uint256(ITradeEscrowTypes.TradeState.Shipped);
uint256 constant RECEIVED = uint256(ITradeEscrowTypes.TradeState.Received);
uint256 constant HALTED = uint256(ITradeEscrowTypes.TradeState.Halted);
uint256 constant DELIVERED = uint256(ITradeEscrowTypes.TradeState.Delivered);
uint256 constant COMPLETED = uint256(ITradeEscrowTypes.TradeState.Completed);
uint256 constant CANCELLED = uint256(ITradeEscrowTypes.TradeState.Cancelled);
uint256 constant REFUNDED = uint256(ITradeEscrowTypes.TradeState.Refunded);

/// @dev A set of states as a bit mask.
function states(uint256 a) pure returns (uint256) {
    return 1 << a;
}

function states(uint256 a, uint256 b) pure returns (uint256) {
    return (1 << a) | (1 << b);
}

function stateRange(uint256 from, uint256 to) pure returns (uint256 mask) {
    for (uint256 s = from; s <= to; ++s) mask |= 1 << s;
}

/// @title HandlerBase
/// @notice What every actor group's handler shares: the escrow and the ledger, the campaign clock, picking
/// a trade in a wanted state, fresh terms from fuzzed seeds, payments and withdrawals measured on the
/// payer's own balance, and the honest operator's and the parties' common steps (the liveness check of
/// the test reuses them).
/// @dev A handler returns without calling the escrow when the fuzzed step does not apply (no trade in
/// the state it needs, a deadline not reached): the step is wasted, not failed. Calls that do reach the
/// escrow are meant to succeed, so a revert there means the fuzzer found a real edge (reverts do not
/// fail the campaign: `failOnRevert` is off).
abstract contract HandlerBase {
    address internal constant NATIVE = address(0);

    EscrowLedger internal immutable L;
    ITradeEscrow internal immutable escrow;
    /// @dev Hashes terms as the escrow's libraries do (the escrow keeps terms, not a hash of them).
    LibraryHarness internal immutable lib;

    constructor(EscrowLedger ledger) {
        L = ledger;
        escrow = ledger.escrow();
        lib = new LibraryHarness();
    }

    /// @dev A call the handler has no function for: the fuzzer is calling it with an ABI from stale
    /// artifacts (Hardhat writes a helper file's artifacts only when the file itself is built, e.g. when
    /// `test solidity` is given only the .t.sol file). Recorded, so the invariants fail loudly instead of
    /// the campaign silently driving nothing.
    fallback() external {
        L.recordUnknownCall(msg.sig);
    }

    /// @dev Every step runs at the campaign's clock.
    modifier tick() {
        vm.warp(L.clock());
        _;
    }

    // ------------------------------------------------------------------------------------------------
    // Picking trades
    // ------------------------------------------------------------------------------------------------

    /// @dev A trade whose state is in `mask`, searched from a fuzzed start; 0 when there is none.
    function _pick(uint256 seed, uint256 mask) internal view returns (uint256) {
        uint256 n = L.tradeCount();
        if (n == 0) return 0;
        uint256 start = seed % n;
        for (uint256 i; i < n; ++i) {
            uint256 id = ((start + i) % n) + 1;
            if (mask & (1 << uint256(escrow.trade(id).state)) != 0) return id;
        }
        return 0;
    }

    /// @dev A proposal made by the seller (`bySeller`) or the buyer; 0 when there is none.
    function _pickProposal(uint256 seed, bool bySeller) internal view returns (uint256) {
        uint256 n = L.tradeCount();
        if (n == 0) return 0;
        uint256 start = seed % n;
        for (uint256 i; i < n; ++i) {
            uint256 id = ((start + i) % n) + 1;
            ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
            if (v.state == ITradeEscrowTypes.TradeState.Proposed && v.proposedBySeller == bySeller)
                return id;
        }
        return 0;
    }

    // ------------------------------------------------------------------------------------------------
    // Terms
    // ------------------------------------------------------------------------------------------------

    /// @dev The court's terms (ArbitrationCourt: panel 3, 2-day commit and reveal, 3-day appeal, fee per seat).
    function _courtTerms() internal pure returns (bytes memory) {
        return
            abi.encode(
                uint256(3),
                uint256(2 days),
                uint256(2 days),
                uint256(3 days),
                uint256(0.01 ether)
            );
    }

    function _sub(uint256 seed, uint256 i) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, i)));
    }

    /// @dev Protected-mode terms between `buyer` and `seller`, every term bounded from the seeds.
    function _newTerms(
        address buyer,
        address seller,
        uint256 operatorSeed,
        bool native,
        uint256 priceSeed,
        uint256 shape
    ) internal view returns (ITradeEscrowTypes.Terms memory t) {
        t.buyer = buyer;
        t.seller = seller;
        t.operator = L.operator(operatorSeed);
        t.token = native ? NATIVE : L.usd();
        t.mode = ITradeEscrowTypes.PaymentMode.Protected;
        t.price = bound(priceSeed, 1, 1e24);
        t.quantity = uint64(bound(_sub(shape, 1), 1, 1_000));
        t.toleranceBps = uint16(bound(_sub(shape, 2), 0, 1_000));
        t.depositBps = uint16(bound(_sub(shape, 3), 1, 10_000));
        t.lots = uint16(bound(_sub(shape, 4), 1, t.quantity < 4 ? t.quantity : 4));
        t.latestDelivery = uint64(block.timestamp + bound(_sub(shape, 5), 1 days, 30 days));
        t.shipWindow = uint32(bound(_sub(shape, 13), 1 hours, 3 days));
        t.deliveryGrace = uint32(bound(_sub(shape, 14), 1 hours, 7 days));
        t.depositWindow = uint32(bound(_sub(shape, 6), 1 hours, 7 days));
        t.fulfilmentDays = uint8(bound(_sub(shape, 7), 1, 10));
        t.claimWindow =
            _sub(shape, 8) % 2 == 0 ? 0 : uint32(bound(_sub(shape, 9), 1 hours, 7 days));
        t.responseDays = uint8(bound(_sub(shape, 10), 1, 10));
        t.collectAfter = 0;
        t.feeBps = escrow.feeBps();
        t.sellerBond = _sub(shape, 11) % 2 == 0 ? 0 : bound(_sub(shape, 12), 1, t.price);
        t.arbitrator = L.court();
        t.arbitratorExtraData = _courtTerms();
        t.manifestCid = abi.encodePacked(hex"01551220", keccak256(abi.encode("manifest", shape)));
    }

    function _copy(
        ITradeEscrowTypes.Terms memory t
    ) internal pure returns (ITradeEscrowTypes.Terms memory c) {
        c = abi.decode(abi.encode(t), (ITradeEscrowTypes.Terms));
    }

    /// @dev What is still to pay of the price (TradeFlow.balanceDue, from the views).
    function _due(uint256 id, ITradeEscrowTypes.Terms memory t) internal view returns (uint256) {
        ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
        return t.price - v.refunded - v.escrowed - v.released;
    }

    function _value(
        ITradeEscrowTypes.Terms memory t,
        uint256 amount
    ) internal pure returns (uint256) {
        return t.token == NATIVE ? amount : 0;
    }

    // ------------------------------------------------------------------------------------------------
    // Steps shared with the liveness check
    // ------------------------------------------------------------------------------------------------

    function _payDeposit(uint256 id, ITradeEscrowTypes.Terms memory t) internal {
        uint256 amount = TradeMath.deposit(t.price, t.depositBps);
        uint256 before = L.balanceOf(t.token, t.buyer);
        vm.prank(t.buyer);
        escrow.payDeposit{value: _value(t, amount)}(id);
        L.recordBuyerPaid(id, t.buyer, t.token, before - L.balanceOf(t.token, t.buyer));
    }

    function _payBalance(uint256 id, ITradeEscrowTypes.Terms memory t) internal {
        uint256 due = _due(id, t);
        uint256 before = L.balanceOf(t.token, t.buyer);
        vm.prank(t.buyer);
        escrow.payBalance{value: _value(t, due)}(id);
        L.recordBuyerPaid(id, t.buyer, t.token, before - L.balanceOf(t.token, t.buyer));
    }

    function _postSellerBond(uint256 id, ITradeEscrowTypes.Terms memory t) internal {
        uint256 due = t.sellerBond - escrow.trade(id).sellerBond;
        uint256 before = L.balanceOf(t.token, t.seller);
        vm.prank(t.seller);
        escrow.postSellerBond{value: _value(t, due)}(id);
        L.recordBondPosted(id, t.seller, t.token, before - L.balanceOf(t.token, t.seller));
    }

    /// @dev The buyer cancels because the seller defaulted: the seller's bond goes to the buyer.
    function _cancelForMissedStart(uint256 id, ITradeEscrowTypes.Terms memory t) internal {
        uint256 bond = escrow.trade(id).sellerBond;
        vm.prank(t.buyer);
        escrow.cancelForMissedStart(id);
        L.recordBondForfeited(id, bond);
    }

    /// @dev Nothing shipped in time: the party not in default cancels (the buyer once the latest delivery
    /// time passed fully paid, the seller once the balance is past due).
    function _cancelUnshipped(uint256 id, ITradeEscrowTypes.Terms memory t) internal {
        bool sellerDefaulted = _due(id, t) == 0;
        uint256 bond = escrow.trade(id).sellerBond;
        vm.prank(sellerDefaulted ? t.buyer : t.seller);
        escrow.cancelUnshipped(id);
        if (sellerDefaulted) L.recordBondForfeited(id, bond);
    }

    /// @dev The operator's attestation, sent by the operator or signed by it and relayed by the keeper.
    function _attest(
        ITradeEscrowTypes.Terms memory t,
        ITradeEscrowTypes.Attestation memory a,
        bool relay
    ) internal {
        if (!relay) {
            vm.prank(t.operator);
            escrow.attest(a, "");
            return;
        }
        a.nonce = L.nextNonce();
        a.deadline = block.timestamp + 1 days;
        bytes memory signature = L.sign(t.operator, _hashAttestation(a));
        vm.prank(L.keeper());
        escrow.attest(a, signature);
    }

    function _hashAttestation(
        ITradeEscrowTypes.Attestation memory a
    ) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    TradeTerms.ATTESTATION_TYPEHASH,
                    a.tradeId,
                    a.kind,
                    a.lot,
                    a.quantity,
                    a.time,
                    keccak256(a.documentCid),
                    a.nonce,
                    a.deadline
                )
            );
    }

    function _attestation(
        uint256 id,
        ITradeEscrowTypes.AttestationKind kind,
        uint16 lot,
        uint64 quantity,
        uint64 time
    ) internal pure returns (ITradeEscrowTypes.Attestation memory a) {
        a.tradeId = id;
        a.kind = kind;
        a.lot = lot;
        a.quantity = quantity;
        a.time = time;
        a.documentCid = abi.encodePacked(hex"01551220", keccak256(abi.encode("receipt", id, lot)));
    }

    /// @dev The honest operator delivers the rest of the goods in one last conforming lot, received at
    /// shipment time (never late: shipment happens by the latest delivery time).
    function _deliverRest(uint256 id, ITradeEscrowTypes.Terms memory t) internal {
        ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
        uint64 rest = t.quantity - v.receivedQuantity;
        _attest(
            t,
            _attestation(
                id,
                ITradeEscrowTypes.AttestationKind.ReceiptAndTitleTransfer,
                v.lotsDone + 1,
                rest,
                uint64(v.stageAt)
            ),
            false
        );
    }

    function _passTitle(uint256 id, ITradeEscrowTypes.Terms memory t, bool relay) internal {
        ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
        _attest(
            t,
            _attestation(id, ITradeEscrowTypes.AttestationKind.TitleTransfer, v.lotsDone + 1, 0, 0),
            relay
        );
    }

    /// @dev Buyer and seller amend the terms so that the held (halting) lot conforms: the contracted
    /// quantity becomes what arrived, the latest delivery time moves to the lot's receipt if it was late.
    /// The buyer sends it; the seller consents by EIP-712 signature.
    function _amendToAcceptLot(uint256 id, ITradeEscrowTypes.Terms memory t) internal {
        ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
        ITradeEscrowTypes.Terms memory a = _copy(t);
        a.quantity = v.receivedQuantity + v.pendingQuantity;
        uint16 minLots = v.lotsDone + 1;
        a.lots = t.lots < a.quantity ? t.lots : uint16(a.quantity);
        if (a.lots < minLots) a.lots = minLots;
        if (v.pendingTime > a.latestDelivery) a.latestDelivery = v.pendingTime;
        _amend(id, a);
    }

    /// @dev Applies `amended` with both parties' consent: the buyer calls, the seller signs.
    function _amend(uint256 id, ITradeEscrowTypes.Terms memory amended) internal {
        uint16 version = escrow.trade(id).version + 1;
        ITradeEscrowTypes.PartySignature memory sellerSig = L.signAmendment(
            amended.seller,
            id,
            version,
            lib.hashTerms(amended)
        );
        ITradeEscrowTypes.PartySignature memory none;
        vm.prank(amended.buyer);
        escrow.amend(id, amended, none, sellerSig);
        L.recordAmendment(id, amended);
    }

    function _withdraw(address who, address token) internal returns (bool) {
        if (escrow.withdrawable(who, token) == 0) return false;
        uint256 before = L.balanceOf(token, who);
        vm.prank(who);
        escrow.withdraw(token);
        L.recordOut(who, token, L.balanceOf(token, who) - before);
        return true;
    }

    function _token(bool native) internal view returns (address) {
        return native ? NATIVE : L.usd();
    }
}

/// @title BuyerHandler
/// @notice The buyers' steps: propose or open trades (the seller's consent signed), accept the sellers'
/// proposals, pay deposits and balances, cancel when the seller defaults, claim, amend, withdraw.
contract BuyerHandler is HandlerBase {
    constructor(EscrowLedger ledger) HandlerBase(ledger) {}

    function propose(uint256 who, uint256 priceSeed, uint256 shape, uint256 native) external tick {
        ITradeEscrowTypes.Terms memory t = _newTerms(
            L.buyer(who),
            L.seller(who >> 8),
            who >> 16,
            native % 2 == 1,
            priceSeed,
            shape
        );
        vm.prank(t.buyer);
        uint256 id = escrow.proposeTrade(t);
        L.recordTrade(id, t);
        L.count("buyer.propose");
    }

    /// @notice Opens at once: the buyer calls, the seller's consent is its EIP-712 signature.
    function openWithSellerSignature(
        uint256 who,
        uint256 priceSeed,
        uint256 shape,
        uint256 native
    ) external tick {
        ITradeEscrowTypes.Terms memory t = _newTerms(
            L.buyer(who),
            L.seller(who >> 8),
            who >> 16,
            native % 2 == 1,
            priceSeed,
            shape
        );
        ITradeEscrowTypes.PartySignature memory sellerSig = L.signOpen(t.seller, lib.hashTerms(t));
        ITradeEscrowTypes.PartySignature memory none;
        vm.prank(t.buyer);
        uint256 id = escrow.openTrade(t, none, sellerSig);
        L.recordTrade(id, t);
        L.count("buyer.openSigned");
    }

    function accept(uint256 seed) external tick {
        uint256 id = _pickProposal(seed, true);
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        vm.prank(t.buyer);
        escrow.acceptTrade(id, t);
        L.count("buyer.accept");
    }

    function withdrawProposal(uint256 seed) external tick {
        uint256 id = _pickProposal(seed, false);
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        vm.prank(t.buyer);
        escrow.withdrawProposal(id);
        L.count("buyer.withdrawProposal");
    }

    function payDeposit(uint256 seed) external tick {
        uint256 id = _pick(seed, states(SIGNED));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        if (block.timestamp > escrow.stageDeadline(id)) return;
        _payDeposit(id, t);
        L.count("buyer.payDeposit");
    }

    function payBalance(uint256 seed) external tick {
        uint256 id = _pick(seed, stateRange(DEPOSITED, HALTED));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        if (_due(id, t) == 0) return;
        _payBalance(id, t);
        L.count("buyer.payBalance");
    }

    function cancelForMissedStart(uint256 seed) external tick {
        uint256 id = _pick(seed, states(DEPOSITED));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        if (block.timestamp <= escrow.stageDeadline(id)) return;
        _cancelForMissedStart(id, t);
        L.count("buyer.cancelForMissedStart");
    }

    function cancelUnshipped(uint256 seed) external tick {
        uint256 id = _pick(seed, states(IN_FULFILMENT));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        // Fully paid, the stage deadline is the (possibly moved) latest delivery time.
        if (_due(id, t) != 0 || block.timestamp <= escrow.stageDeadline(id)) return;
        _cancelUnshipped(id, t);
        L.count("buyer.cancelUnshipped");
    }

    /// @notice Goods shipped and not delivered by the latest delivery time plus the grace period.
    function cancelUndelivered(uint256 seed) external tick {
        uint256 id = _pick(seed, stateRange(SHIPPED, HALTED));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        ITradeEscrowTypes.ClaimStatus status = escrow.claim(id).status;
        bool claimOpen =
            status != ITradeEscrowTypes.ClaimStatus.None &&
                status != ITradeEscrowTypes.ClaimStatus.Resolved;
        if (claimOpen || _due(id, t) != 0 || block.timestamp <= escrow.stageDeadline(id)) return;
        bool sellerDefaulted = escrow.trade(id).state != ITradeEscrowTypes.TradeState.Received;
        uint256 bond = escrow.trade(id).sellerBond;
        vm.prank(t.buyer);
        escrow.cancelUndelivered(id);
        if (sellerDefaulted) L.recordBondForfeited(id, bond);
        L.count("buyer.cancelUndelivered");
    }

    /// @notice A claim backed by the accredited agency's report, lodged on chain by the agency first.
    function fileClaim(
        uint256 seed,
        uint256 bpsSeed,
        uint256 costsSeed,
        uint256 materialSeed
    ) external tick {
        bool material = materialSeed % 2 == 1;
        uint256 id = _pick(seed, stateRange(SHIPPED, DELIVERED));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        if (t.claimWindow == 0 || escrow.claim(id).status != ITradeEscrowTypes.ClaimStatus.None)
            return;
        ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
        uint256 start =
            v.arrivedAt != 0
                ? v.arrivedAt
                : (v.state == ITradeEscrowTypes.TradeState.Delivered ? v.stageAt : 0);
        if (start == 0 || block.timestamp > start + t.claimWindow) return;

        ITradeEscrowTypes.InspectionReport memory report;
        report.tradeId = id;
        report.agency = L.agency();
        report.varianceBps = uint16(bound(bpsSeed, 1, 10_000));
        report.material = material;
        report.reportCid = abi.encodePacked(hex"01551220", keccak256(abi.encode("report", id)));
        vm.prank(report.agency);
        escrow.submitInspectionReport(report);

        ITradeEscrowTypes.ClaimRequest memory request;
        if (material) {
            request.ground = ITradeEscrowTypes.ClaimGround.MaterialDamage;
            request.costs = bound(costsSeed, 0, 2 * t.sellerBond + 1);
        } else {
            request.ground = ITradeEscrowTypes.ClaimGround.SpecificationVariance;
            request.refundBps = uint16(bound(bpsSeed >> 16, 1, report.varianceBps));
        }
        request.evidenceCid = abi.encodePacked(
            hex"01551220",
            keccak256(abi.encode("evidence", id))
        );
        vm.prank(t.buyer);
        escrow.fileClaim(id, request, report, "");
        if (material) L.recordMaterialClaim(id);
        L.count("buyer.fileClaim");
    }

    /// @notice Buyer and seller agree to take the lot that halted the trade.
    function amendToAcceptLot(uint256 seed) external tick {
        uint256 id = _pick(seed, states(HALTED));
        if (id == 0) return;
        _amendToAcceptLot(id, L.terms(id));
        L.count("buyer.amendToAcceptLot");
    }

    /// @notice Buyer and seller agree on a new price and seller bond (money above a lowered price goes
    /// back to the buyer, bond above a lowered bond to the seller; a raised price is due as balance).
    function amendPrice(uint256 seed, uint256 priceSeed, uint256 bondSeed) external tick {
        uint256 id = _pick(seed, stateRange(SIGNED, DELIVERED));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
        uint256 floor = v.released + v.refunded;
        if (floor == 0) floor = 1;
        // After delivery nothing more can be paid in: the price may only go down to what was paid.
        uint256 ceiling =
            v.state == ITradeEscrowTypes.TradeState.Delivered
                ? v.escrowed + v.released + v.refunded
                : 2 * t.price;
        if (ceiling > type(uint96).max) ceiling = type(uint96).max;
        if (ceiling < floor) return;
        ITradeEscrowTypes.Terms memory a = _copy(t);
        a.price = bound(priceSeed, floor, ceiling);
        a.sellerBond = bondSeed % 3 == 0 ? t.sellerBond : bound(bondSeed, 0, a.price);
        _amend(id, a);
        L.count("buyer.amendPrice");
    }

    function withdraw(uint256 who, uint256 native) external tick {
        if (_withdraw(L.buyer(who), _token(native % 2 == 1))) L.count("buyer.withdraw");
    }
}

/// @title SellerHandler
/// @notice The sellers' steps: propose, accept the buyers' proposals, post bonds, start fulfilment, ship,
/// cancel when the buyer defaults, accept claims, withdraw.
contract SellerHandler is HandlerBase {
    constructor(EscrowLedger ledger) HandlerBase(ledger) {}

    function propose(uint256 who, uint256 priceSeed, uint256 shape, uint256 native) external tick {
        ITradeEscrowTypes.Terms memory t = _newTerms(
            L.buyer(who >> 8),
            L.seller(who),
            who >> 16,
            native % 2 == 1,
            priceSeed,
            shape
        );
        vm.prank(t.seller);
        uint256 id = escrow.proposeTrade(t);
        L.recordTrade(id, t);
        L.count("seller.propose");
    }

    function accept(uint256 seed) external tick {
        uint256 id = _pickProposal(seed, false);
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        vm.prank(t.seller);
        escrow.acceptTrade(id, t);
        L.count("seller.accept");
    }

    function withdrawProposal(uint256 seed) external tick {
        uint256 id = _pickProposal(seed, true);
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        vm.prank(t.seller);
        escrow.withdrawProposal(id);
        L.count("seller.withdrawProposal");
    }

    function postBond(uint256 seed) external tick {
        uint256 id = _pick(seed, stateRange(SIGNED, DELIVERED));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        if (t.sellerBond <= escrow.trade(id).sellerBond) return;
        _postSellerBond(id, t);
        L.count("seller.postBond");
    }

    function startFulfilment(uint256 seed) external tick {
        uint256 id = _pick(seed, states(DEPOSITED));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        if (block.timestamp > escrow.stageDeadline(id)) return;
        if (t.sellerBond > escrow.trade(id).sellerBond) return;
        vm.prank(t.seller);
        escrow.startFulfilment(id);
        L.count("seller.startFulfilment");
    }

    function ship(uint256 seed) external tick {
        uint256 id = _pick(seed, states(IN_FULFILMENT));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        if (_due(id, t) != 0 || block.timestamp > escrow.stageDeadline(id)) return;
        vm.prank(t.seller);
        escrow.markShipped(id, abi.encodePacked(hex"01551220", keccak256(abi.encode("bl", id))));
        L.count("seller.ship");
    }

    function cancelForMissedDeposit(uint256 seed) external tick {
        uint256 id = _pick(seed, states(SIGNED));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        if (block.timestamp <= escrow.stageDeadline(id)) return;
        vm.prank(t.seller);
        escrow.cancelForMissedDeposit(id);
        L.count("seller.cancelForMissedDeposit");
    }

    function cancelUnshipped(uint256 seed) external tick {
        uint256 id = _pick(seed, states(IN_FULFILMENT));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        // With the balance due, the stage deadline is the balance's due time.
        if (_due(id, t) == 0 || block.timestamp <= escrow.stageDeadline(id)) return;
        _cancelUnshipped(id, t);
        L.count("seller.cancelUnshipped");
    }

    function acceptClaim(uint256 seed) external tick {
        uint256 id = _pick(seed, stateRange(SHIPPED, DELIVERED));
        if (id == 0) return;
        ITradeEscrowTypes.ClaimView memory c = escrow.claim(id);
        if (c.status != ITradeEscrowTypes.ClaimStatus.Filed) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        if (block.timestamp > BusinessDays.add(c.filedAt, t.responseDays)) return;
        vm.prank(t.seller);
        escrow.acceptClaim(id);
        L.count("seller.acceptClaim");
    }

    function withdraw(uint256 who, uint256 native) external tick {
        if (_withdraw(L.seller(who), _token(native % 2 == 1))) L.count("seller.withdraw");
    }
}

/// @title OperatorHandler
/// @notice The warehouse operators' steps: receipts (conforming or not, on time or late), title
/// transfers, port arrival, each sent by the operator or signed and relayed; bonds in and out.
contract OperatorHandler is HandlerBase {
    constructor(EscrowLedger ledger) HandlerBase(ledger) {}

    /// @notice Receipt of the next lot, with title at once or not. Three in four lots conform; the rest
    /// are over the tolerance ceiling (or short, for the last lot), and some are received late.
    function attestReceipt(
        uint256 seed,
        uint256 quantitySeed,
        uint256 timeSeed,
        uint256 flags
    ) external tick {
        uint256 id = _pick(seed, states(SHIPPED));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
        uint64 quantity = _lotQuantity(t, v, quantitySeed, flags & 3 == 0);
        uint256 latestOnTime =
            block.timestamp < t.latestDelivery ? block.timestamp : t.latestDelivery;
        uint64 time = uint64(
            flags & 12 == 0 && block.timestamp > t.latestDelivery
                ? bound(timeSeed, uint256(t.latestDelivery) + 1, block.timestamp)
                : bound(timeSeed, v.stageAt, latestOnTime < v.stageAt ? v.stageAt : latestOnTime)
        );
        ITradeEscrowTypes.AttestationKind kind =
            flags & 16 == 0
                ? ITradeEscrowTypes.AttestationKind.ReceiptAndTitleTransfer
                : ITradeEscrowTypes.AttestationKind.Receipt;
        _attest(t, _attestation(id, kind, v.lotsDone + 1, quantity, time), flags & 32 != 0);
        L.count(
            escrow.trade(id).state == ITradeEscrowTypes.TradeState.Halted
                ? bytes32("operator.receiptHalted")
                : bytes32("operator.receipt")
        );
    }

    function attestTitle(uint256 seed, uint256 relay) external tick {
        uint256 id = _pick(seed, states(RECEIVED));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        if (_due(id, t) != 0) return;
        _passTitle(id, t, relay % 2 == 1);
        L.count("operator.title");
    }

    function attestPortArrival(uint256 seed, uint256 timeSeed, uint256 relay) external tick {
        uint256 id = _pick(seed, stateRange(SHIPPED, HALTED));
        if (id == 0) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
        if (v.arrivedAt != 0) return;
        uint64 time = uint64(bound(timeSeed, v.stageAt, block.timestamp));
        _attest(
            t,
            _attestation(id, ITradeEscrowTypes.AttestationKind.PortArrival, 0, 0, time),
            relay % 2 == 1
        );
        L.count("operator.portArrival");
    }

    function postBond(uint256 who, uint256 amount) external tick {
        address op = L.operator(who);
        amount = bound(amount, 1, 10 ether);
        uint256 before = op.balance;
        vm.prank(op);
        escrow.postOperatorBond{value: amount}(amount);
        L.recordIn(op, NATIVE, before - op.balance);
        L.count("operator.postBond");
    }

    /// @notice Takes back bond above the requirement; one step in eight, with no open trade, takes all
    /// of it (the operator then cannot be designated until it posts again).
    function withdrawBond(uint256 who, uint256 amount) external tick {
        address op = L.operator(who);
        (uint256 bond, uint256 required, uint256 open) = escrow.operatorBond(op);
        uint256 free = open == 0 && who % 8 == 7 ? bond : (bond > required ? bond - required : 0);
        if (free == 0) return;
        amount = bound(amount, 1, free);
        uint256 before = op.balance;
        vm.prank(op);
        escrow.withdrawOperatorBond(amount);
        L.recordOut(op, NATIVE, op.balance - before);
        L.count("operator.withdrawBond");
    }

    function withdraw(uint256 who, uint256 native) external tick {
        if (_withdraw(L.operator(who), _token(native % 2 == 1))) L.count("operator.withdraw");
    }

    /// @dev A lot quantity: conforming (within the ceiling; for the last lot, also at or above the floor),
    /// or not (above the ceiling, or short on the last lot).
    function _lotQuantity(
        ITradeEscrowTypes.Terms memory t,
        ITradeEscrowTypes.TradeView memory v,
        uint256 seed,
        bool breakTerms
    ) private pure returns (uint64) {
        (uint256 min, uint256 max) = TradeMath.toleranceRange(t.quantity, t.toleranceBps);
        uint256 received = v.receivedQuantity;
        bool last = v.lotsDone + 1 >= t.lots;
        if (breakTerms) {
            if (last && min > received + 1 && seed % 2 == 0)
                return uint64(bound(seed, 1, min - received - 1));
            return uint64(bound(seed, max - received + 1, max - received + t.quantity));
        }
        uint256 low = last && min > received ? min - received : 1;
        return uint64(bound(seed, low, max - received));
    }
}

/// @title KeeperHandler
/// @notice Anyone's steps: time passing, release after the claim window, default judgment on an
/// unanswered claim, and the treasury withdrawing its fees.
contract KeeperHandler is HandlerBase {
    constructor(EscrowLedger ledger) HandlerBase(ledger) {}

    /// @notice Time passes: mostly a minute to six hours, one step in four up to three days, one in
    /// eight up to three weeks, so trades live through several steps and every deadline is crossed too.
    function warp(uint256 secondsSeed) external {
        uint256 longest =
            secondsSeed % 8 == 0 ? 21 days : (secondsSeed % 4 == 0 ? 3 days : 6 hours);
        L.setClock(L.clock() + bound(secondsSeed >> 8, 1 minutes, longest));
        vm.warp(L.clock());
        L.count("keeper.warp");
    }

    function release(uint256 seed) external tick {
        uint256 id = _pick(seed, states(DELIVERED));
        if (id == 0) return;
        if (block.timestamp <= escrow.stageDeadline(id)) return;
        if (escrow.claim(id).status == ITradeEscrowTypes.ClaimStatus.Filed) return;
        vm.prank(L.keeper());
        escrow.release(id);
        L.count("keeper.release");
    }

    function enforceDefaultJudgment(uint256 seed) external tick {
        uint256 id = _pick(seed, stateRange(SHIPPED, DELIVERED));
        if (id == 0) return;
        ITradeEscrowTypes.ClaimView memory c = escrow.claim(id);
        if (c.status != ITradeEscrowTypes.ClaimStatus.Filed) return;
        ITradeEscrowTypes.Terms memory t = L.terms(id);
        if (block.timestamp <= BusinessDays.add(c.filedAt, t.responseDays)) return;
        vm.prank(L.keeper());
        escrow.enforceDefaultJudgment(id);
        L.count("keeper.defaultJudgment");
    }

    function withdrawFees(uint256 native) external tick {
        if (_withdraw(L.treasury(), _token(native % 2 == 1))) L.count("treasury.withdraw");
    }
}

/// @title Finisher
/// @notice The liveness check's honest actors, never a fuzz target: once every deadline has passed, each
/// trade that has not ended is ended by the calls the honest side may make alone (the proposer withdraws,
/// the party not in default cancels, the buyer pays what is due, the operator attests the goods and
/// their title, anyone enforces an unanswered claim or releases), or, for a halted trade, by the
/// amendment both parties sign. Then everyone withdraws everything, operators their whole bonds.
contract Finisher is HandlerBase {
    /// @notice Steps any one trade may need at most (a halt, a claim, a balance, the goods, the release).
    uint256 internal constant MAX_STEPS = 12;

    constructor(EscrowLedger ledger) HandlerBase(ledger) {}

    /// @notice Ends every trade; reverts naming the first trade that could not be ended.
    function finishAll() external {
        _warpTo(L.clock() + 400 days);
        uint256 n = L.tradeCount();
        for (uint256 id = 1; id <= n; ++id) _finish(id);
    }

    /// @notice Every account withdraws every credit; every operator its whole bond.
    function drainAll() external {
        address[] memory accounts = L.accounts();
        address[] memory tokens = L.tokens();
        for (uint256 i; i < accounts.length; ++i) {
            for (uint256 k; k < tokens.length; ++k) _withdraw(accounts[i], tokens[k]);
        }
        address[] memory operators = L.operators();
        for (uint256 i; i < operators.length; ++i) {
            (uint256 bond, , uint256 open) = escrow.operatorBond(operators[i]);
            vm.assertEq(
                open,
                0,
                "liveness: an operator still holds trades after every trade ended"
            );
            if (bond == 0) continue;
            uint256 before = operators[i].balance;
            vm.prank(operators[i]);
            escrow.withdrawOperatorBond(bond);
            L.recordOut(operators[i], NATIVE, operators[i].balance - before);
        }
    }

    function isFinal(ITradeEscrowTypes.TradeState s) public pure returns (bool) {
        return
            s == ITradeEscrowTypes.TradeState.Completed ||
            s == ITradeEscrowTypes.TradeState.Cancelled ||
            s == ITradeEscrowTypes.TradeState.Refunded;
    }

    function _finish(uint256 id) private {
        for (uint256 step; step < MAX_STEPS; ++step) {
            ITradeEscrowTypes.TradeView memory v = escrow.trade(id);
            if (isFinal(v.state)) return;
            ITradeEscrowTypes.Terms memory t = L.terms(id);
            uint256 deadline = escrow.stageDeadline(id);
            if (deadline >= block.timestamp) _warpTo(deadline + 1);
            _step(id, t, v);
        }
        ITradeEscrowTypes.TradeState last = escrow.trade(id).state;
        vm.assertTrue(
            isFinal(last),
            string.concat(
                "liveness: trade ",
                vm.toString(id),
                " still in state ",
                vm.toString(uint256(last)),
                " after every deadline and the honest steps"
            )
        );
    }

    function _step(
        uint256 id,
        ITradeEscrowTypes.Terms memory t,
        ITradeEscrowTypes.TradeView memory v
    ) private {
        ITradeEscrowTypes.TradeState s = v.state;
        if (s == ITradeEscrowTypes.TradeState.Proposed) {
            vm.prank(v.proposedBySeller ? t.seller : t.buyer);
            escrow.withdrawProposal(id);
        } else if (s == ITradeEscrowTypes.TradeState.Signed) {
            vm.prank(t.seller);
            escrow.cancelForMissedDeposit(id);
        } else if (s == ITradeEscrowTypes.TradeState.Deposited) {
            _cancelForMissedStart(id, t);
        } else if (s == ITradeEscrowTypes.TradeState.InFulfilment) {
            _cancelUnshipped(id, t);
        } else {
            // Shipped, Received, Halted, Delivered.
            ITradeEscrowTypes.ClaimView memory c = escrow.claim(id);
            if (c.status == ITradeEscrowTypes.ClaimStatus.Filed) {
                uint256 responseDeadline = BusinessDays.add(c.filedAt, t.responseDays);
                if (responseDeadline >= block.timestamp) _warpTo(responseDeadline + 1);
                vm.prank(L.keeper());
                escrow.enforceDefaultJudgment(id);
            } else if (s != ITradeEscrowTypes.TradeState.Delivered && _due(id, t) != 0) {
                _payBalance(id, t);
            } else if (s == ITradeEscrowTypes.TradeState.Shipped) {
                _deliverRest(id, t);
            } else if (s == ITradeEscrowTypes.TradeState.Received) {
                _passTitle(id, t, false);
            } else if (s == ITradeEscrowTypes.TradeState.Halted) {
                _amendToAcceptLot(id, t);
            } else {
                vm.prank(L.keeper());
                escrow.release(id);
            }
        }
    }

    function _warpTo(uint256 timestamp) private {
        L.setClock(timestamp);
        vm.warp(timestamp);
    }
}
