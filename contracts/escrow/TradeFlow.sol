// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {IEvidence} from "../interfaces/IEvidence.sol";
import {ITradeEscrowErrors} from "../interfaces/ITradeEscrowErrors.sol";
import {ITradeEscrowEvents} from "../interfaces/ITradeEscrowEvents.sol";
import {ITradeEscrowTypes} from "../interfaces/ITradeEscrowTypes.sol";
import {IWarehouseReceipt} from "../interfaces/IWarehouseReceipt.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {TradeMath} from "../libraries/TradeMath.sol";

/// @title TradeFlow
/// @notice The steps of a trade shared by the escrow and its logic libraries: the state machine's one
/// choke point, lot judgement, title transfer with release, cancellation, credits, signatures, and the
/// movement of tokens. Internal only, so it compiles into whichever contract or library uses it.
/// Length: the internal steps every logic library shares (state machine, terms, lots, title,
/// money, signatures), compiled into each; split, they would be imported together anyway.
library TradeFlow {
    using SafeERC20 for IERC20;

    uint8 internal constant HALT_QUANTITY = 1;
    uint8 internal constant HALT_LATE = 2;

    // The rows (from) and columns (to) of the transition table below.
    uint256 private constant _FROM_NONE = uint256(ITradeEscrowTypes.TradeState.None) * 16;
    uint256 private constant _FROM_PROPOSED = uint256(ITradeEscrowTypes.TradeState.Proposed) * 16;
    uint256 private constant _FROM_SIGNED = uint256(ITradeEscrowTypes.TradeState.Signed) * 16;
    uint256 private constant _FROM_DEPOSITED = uint256(ITradeEscrowTypes.TradeState.Deposited) * 16;
    uint256 private constant _FROM_IN_FULFILMENT =
        uint256(ITradeEscrowTypes.TradeState.InFulfilment) * 16;
    uint256 private constant _FROM_SHIPPED = uint256(ITradeEscrowTypes.TradeState.Shipped) * 16;
    uint256 private constant _FROM_RECEIVED = uint256(ITradeEscrowTypes.TradeState.Received) * 16;
    uint256 private constant _FROM_HALTED = uint256(ITradeEscrowTypes.TradeState.Halted) * 16;
    uint256 private constant _FROM_DELIVERED = uint256(ITradeEscrowTypes.TradeState.Delivered) * 16;
    uint256 private constant _TO_PROPOSED = uint256(ITradeEscrowTypes.TradeState.Proposed);
    uint256 private constant _TO_SIGNED = uint256(ITradeEscrowTypes.TradeState.Signed);
    uint256 private constant _TO_DEPOSITED = uint256(ITradeEscrowTypes.TradeState.Deposited);
    uint256 private constant _TO_IN_FULFILMENT = uint256(ITradeEscrowTypes.TradeState.InFulfilment);
    uint256 private constant _TO_SHIPPED = uint256(ITradeEscrowTypes.TradeState.Shipped);
    uint256 private constant _TO_RECEIVED = uint256(ITradeEscrowTypes.TradeState.Received);
    uint256 private constant _TO_HALTED = uint256(ITradeEscrowTypes.TradeState.Halted);
    uint256 private constant _TO_DELIVERED = uint256(ITradeEscrowTypes.TradeState.Delivered);
    uint256 private constant _TO_COMPLETED = uint256(ITradeEscrowTypes.TradeState.Completed);
    uint256 private constant _TO_CANCELLED = uint256(ITradeEscrowTypes.TradeState.Cancelled);
    uint256 private constant _TO_REFUNDED = uint256(ITradeEscrowTypes.TradeState.Refunded);

    /// @dev Bit `from * 16 + to` is set when the state machine has an edge from `from` to `to`.
    uint256 private constant _ALLOWED_TRANSITIONS =
        (1 << (_FROM_NONE + _TO_PROPOSED)) |
            (1 << (_FROM_NONE + _TO_SIGNED)) |
            (1 << (_FROM_PROPOSED + _TO_SIGNED)) |
            (1 << (_FROM_PROPOSED + _TO_CANCELLED)) |
            (1 << (_FROM_SIGNED + _TO_DEPOSITED)) |
            (1 << (_FROM_SIGNED + _TO_IN_FULFILMENT)) |
            (1 << (_FROM_SIGNED + _TO_CANCELLED)) |
            (1 << (_FROM_DEPOSITED + _TO_IN_FULFILMENT)) |
            (1 << (_FROM_DEPOSITED + _TO_CANCELLED)) |
            (1 << (_FROM_IN_FULFILMENT + _TO_SHIPPED)) |
            (1 << (_FROM_IN_FULFILMENT + _TO_CANCELLED)) |
            (1 << (_FROM_SHIPPED + _TO_RECEIVED)) |
            (1 << (_FROM_SHIPPED + _TO_HALTED)) |
            (1 << (_FROM_SHIPPED + _TO_DELIVERED)) |
            (1 << (_FROM_SHIPPED + _TO_COMPLETED)) |
            (1 << (_FROM_SHIPPED + _TO_CANCELLED)) |
            (1 << (_FROM_SHIPPED + _TO_REFUNDED)) |
            (1 << (_FROM_RECEIVED + _TO_SHIPPED)) |
            (1 << (_FROM_RECEIVED + _TO_HALTED)) |
            (1 << (_FROM_RECEIVED + _TO_DELIVERED)) |
            (1 << (_FROM_RECEIVED + _TO_COMPLETED)) |
            (1 << (_FROM_RECEIVED + _TO_CANCELLED)) |
            (1 << (_FROM_RECEIVED + _TO_REFUNDED)) |
            (1 << (_FROM_HALTED + _TO_SHIPPED)) |
            (1 << (_FROM_HALTED + _TO_RECEIVED)) |
            (1 << (_FROM_HALTED + _TO_DELIVERED)) |
            (1 << (_FROM_HALTED + _TO_COMPLETED)) |
            (1 << (_FROM_HALTED + _TO_CANCELLED)) |
            (1 << (_FROM_HALTED + _TO_REFUNDED)) |
            (1 << (_FROM_DELIVERED + _TO_COMPLETED)) |
            (1 << (_FROM_DELIVERED + _TO_REFUNDED));

    // ------------------------------------------------------------------------------------------------
    // The state machine
    // ------------------------------------------------------------------------------------------------

    /// @dev The one place a trade's state changes: checks the edge, writes, emits. Staying put is a no-op.
    function setState(
        uint256 tradeId,
        EscrowStorage.Trade storage t,
        ITradeEscrowTypes.TradeState to
    ) internal {
        ITradeEscrowTypes.TradeState from = t.state;
        if (from == to) return;
        if ((_ALLOWED_TRANSITIONS >> (uint256(from) * 16 + uint256(to))) & 1 == 0) {
            revert ITradeEscrowErrors.EscrowInvalidTransition(tradeId, from, to);
        }
        t.state = to;
        emit ITradeEscrowEvents.TradeStateChanged(tradeId, from, to);
    }

    /// @dev The trade and its terms in force; reverts for a trade that does not exist.
    function load(
        EscrowStorage.Layout storage $,
        uint256 tradeId
    ) internal view returns (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) {
        t = $.trades[tradeId];
        if (t.state == ITradeEscrowTypes.TradeState.None)
            revert ITradeEscrowErrors.EscrowUnknownTrade(tradeId);
        terms = $.terms[tradeId];
    }

    /// @dev The state in which a trade of `mode` waits for the seller to start fulfilment (and the
    /// seller's business days run): after the deposit, or from signing for pay after use, which takes
    /// none. A direct trade is paid in full and starts at once.
    function awaitingStart(
        ITradeEscrowTypes.PaymentMode mode
    ) internal pure returns (ITradeEscrowTypes.TradeState) {
        return
            mode == ITradeEscrowTypes.PaymentMode.PayAfterUse
                ? ITradeEscrowTypes.TradeState.Signed
                : ITradeEscrowTypes.TradeState.Deposited;
    }

    /// @dev `load`, also requiring the trade to be in `expected`.
    function loadInState(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        ITradeEscrowTypes.TradeState expected
    ) internal view returns (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) {
        (t, terms) = load($, tradeId);
        if (t.state != expected) revert ITradeEscrowErrors.EscrowInvalidState(tradeId, t.state);
    }

    /// @dev Keeps `terms` (validated) as trade `tradeId`'s terms in force, interning its court.
    function storeTerms(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        ITradeEscrowTypes.Terms calldata terms
    ) internal {
        EscrowStorage.Terms storage s = $.terms[tradeId];
        // price, sellerBond < 2**96 and latestDelivery < 2**40 (validateTermsShape).
        s.token = terms.token;
        s.price = uint96(terms.price);
        s.buyer = terms.buyer;
        s.mode = terms.mode;
        s.depositBps = terms.depositBps;
        s.depositWindow = terms.depositWindow;
        s.shipWindow = terms.shipWindow;
        s.fulfilmentDays = terms.fulfilmentDays;
        s.seller = terms.seller;
        s.latestDelivery = uint40(terms.latestDelivery);
        s.claimWindow = terms.claimWindow;
        s.feeBps = terms.feeBps;
        s.responseDays = terms.responseDays;
        s.operator = terms.operator;
        s.quantity = terms.quantity;
        s.toleranceBps = terms.toleranceBps;
        s.lots = terms.lots;
        s.sellerBond = uint96(terms.sellerBond);
        s.deliveryGrace = terms.deliveryGrace;
        s.collectAfter = terms.collectAfter;
        // Only a trade with a claim window can reach a court.
        s.court =
            terms.claimWindow == 0
                ? 0
                : internCourt($, terms.arbitrator, terms.arbitratorExtraData);
    }

    /// @dev The id of the court `arbitrator` with terms `extraData`, kept on first use.
    function internCourt(
        EscrowStorage.Layout storage $,
        address arbitrator,
        bytes calldata extraData
    ) internal returns (uint32 id) {
        bytes32 key = keccak256(abi.encode(arbitrator, extraData));
        id = $.courtIds[key];
        if (id != 0) return id;
        // A uint32 counter: four billion distinct court terms.
        id = ++$.courtCount;
        $.courtIds[key] = id;
        EscrowStorage.Court storage court = $.courts[id];
        court.arbitrator = arbitrator;
        court.extraData = extraData;
    }

    /// @dev What is still to pay of the price. Amendments refund any excess, so escrowed + released never
    /// exceeds the price.
    function balanceDue(
        EscrowStorage.Trade storage t,
        EscrowStorage.Terms storage terms
    ) internal view returns (uint256) {
        // Only a protected trade is paid in instalments: a direct trade is paid in full before fulfilment
        // starts, and pay after use collects the price only after delivery.
        if (terms.mode != ITradeEscrowTypes.PaymentMode.Protected) return 0;
        return netPrice(t, terms) - t.escrowed - releasedSoFar(t);
    }

    /// @dev When a protected trade's balance is due: `shipWindow` before the latest delivery time, so the
    /// seller has that long to ship once it is in.
    function balanceDeadline(EscrowStorage.Terms storage terms) internal view returns (uint256) {
        uint256 latest = terms.latestDelivery;
        return latest > terms.shipWindow ? latest - terms.shipWindow : 0;
    }

    /// @dev The latest time the goods may be shipped and a lot received: the terms' own, or, when the buyer
    /// paid the balance after its due time, that payment plus `shipWindow`: a late balance never shortens
    /// the time the seller was promised to ship in.
    function latestDelivery(
        EscrowStorage.Trade storage t,
        EscrowStorage.Terms storage terms
    ) internal view returns (uint256) {
        uint256 latest = terms.latestDelivery;
        if (t.flags & EscrowStorage.LATE_BALANCE == 0) return latest;
        return Math.max(latest, uint256(t.balancePaidAt) + terms.shipWindow);
    }

    /// @dev The price less what claims refunded: what the buyer pays in the end.
    function netPrice(
        EscrowStorage.Trade storage t,
        EscrowStorage.Terms storage terms
    ) internal view returns (uint256) {
        return terms.price - refundedSoFar(t);
    }

    /// @dev `t.released`, read only when SOME_RELEASED says it may be nonzero (its slot is otherwise cold
    /// in the steps that compute what is due: 2,100 gas less).
    function releasedSoFar(EscrowStorage.Trade storage t) internal view returns (uint256) {
        return t.flags & EscrowStorage.SOME_RELEASED == 0 ? 0 : t.released;
    }

    /// @dev `t.refunded`, read only when SOME_REFUNDED says it may be nonzero (2,100 gas less otherwise).
    function refundedSoFar(EscrowStorage.Trade storage t) internal view returns (uint256) {
        return t.flags & EscrowStorage.SOME_REFUNDED == 0 ? 0 : t.refunded;
    }

    /// @dev Adds `amount` to what the trade released to the seller. amount <= escrowed < 2**96.
    function addReleased(EscrowStorage.Trade storage t, uint256 amount) internal {
        t.released += uint96(amount);
        t.flags |= EscrowStorage.SOME_RELEASED;
    }

    /// @dev Adds `amount` to what claims refunded the buyer. amount <= escrowed < 2**96.
    function addRefunded(EscrowStorage.Trade storage t, uint256 amount) internal {
        t.refunded += uint96(amount);
        t.flags |= EscrowStorage.SOME_REFUNDED;
    }

    /// @dev The ERC-1497 meta-evidence id of version `version` of trade `tradeId`'s terms.
    function metaEvidenceId(uint256 tradeId, uint16 version) internal pure returns (uint256) {
        return (tradeId << 16) | version;
    }

    /// @dev Publishes the manifest of version `version` of a trade's terms as the meta-evidence of any
    /// dispute about that version: when a trade that can reach a court is signed, and at each amendment.
    function publishMetaEvidence(
        uint256 tradeId,
        uint16 version,
        bytes calldata manifestCid
    ) internal {
        emit IEvidence.MetaEvidence(metaEvidenceId(tradeId, version), manifestCid);
    }

    /// @dev Whether a lot bringing the received total to `total` is the trade's last: it is lot number
    /// `lots`, or the total has reached the tolerance floor (the contracted quantity has arrived).
    function isLastLot(
        EscrowStorage.Terms storage terms,
        uint16 lot,
        uint256 total
    ) internal view returns (bool) {
        (uint256 min, ) = TradeMath.toleranceRange(terms.quantity, terms.toleranceBps);
        return lot >= terms.lots || total >= min;
    }

    /// @dev The judgement of a lot against the terms: a bit set of halt reasons, 0 when it conforms.
    function judge(
        EscrowStorage.Terms storage terms,
        uint64 receivedBefore,
        uint16 lot,
        uint64 quantity,
        uint64 time,
        uint256 latest
    ) internal view returns (uint8 reasons) {
        (uint256 min, uint256 max) = TradeMath.toleranceRange(terms.quantity, terms.toleranceBps);
        uint256 total = uint256(receivedBefore) + quantity;
        // Earlier lots are only held to the ceiling; the last lot settles the total.
        if (total > max || (lot >= terms.lots && total < min)) reasons |= HALT_QUANTITY;
        // `latest` is the trade's latest delivery time (see `latestDelivery`).
        if (time > latest) reasons |= HALT_LATE;
    }

    /// @dev Title to lot `lotsDone + 1` passes to the buyer: the receipt the escrow holds moves to the buyer
    /// (`heldByEscrow`), or is minted straight to it, and with no claim window the lot's money is released
    /// in the same transaction.
    function passTitle(
        EscrowStorage.Layout storage $,
        IWarehouseReceipt receipts,
        uint256 tradeId,
        EscrowStorage.Terms storage terms,
        EscrowStorage.Trade storage t,
        uint64 quantity,
        bool heldByEscrow
    ) internal {
        uint256 due = balanceDue(t, terms);
        if (due != 0) revert ITradeEscrowErrors.EscrowBalanceDue(tradeId, due);
        uint16 lot = t.lotsDone + 1;
        uint64 received = t.receivedQuantity + quantity;
        bool lastLot = isLastLot(terms, lot, received);

        t.lotsDone = lot;
        t.receivedQuantity = received;
        if (heldByEscrow) {
            t.flags &= ~(EscrowStorage.PENDING_LOT | EscrowStorage.PENDING_TITLE);
            t.pendingQuantity = 0;
            t.pendingTime = 0;
        }

        // Before the last lot the received total is below the floor, so the shares stay below the price.
        // A claim window holds everything until it ends; without one each lot pays out as its title passes.
        // Pay after use has nothing escrowed: its price is collected once receipt is confirmed.
        bool releaseNow =
            terms.mode != ITradeEscrowTypes.PaymentMode.PayAfterUse &&
                (terms.claimWindow == 0 || (lastLot && _claimWindowOver($, tradeId, terms, t)));
        uint256 amount;
        if (releaseNow) {
            amount =
                lastLot
                    ? t.escrowed
                    : Math.min(
                        TradeMath.lotShare(netPrice(t, terms), quantity, terms.quantity),
                        t.escrowed
                    );
        }
        if (!lastLot) {
            setState(tradeId, t, ITradeEscrowTypes.TradeState.Shipped);
        } else if (releaseNow) {
            setState(tradeId, t, ITradeEscrowTypes.TradeState.Completed);
        } else {
            t.stageAt = uint40(block.timestamp);
            setState(tradeId, t, ITradeEscrowTypes.TradeState.Delivered);
        }
        uint256 id = receiptId(tradeId, lot);
        emit ITradeEscrowEvents.TitleTransferred(tradeId, lot, terms.buyer, id);
        if (amount != 0) {
            // Only earlier lots count as released; the last lot's release empties the escrow.
            // amount <= escrowed < 2**96.
            if (!lastLot) addReleased(t, amount);
            releaseFunds($, tradeId, terms, t, amount);
        }
        if (lastLot && releaseNow) close($, tradeId, terms, t);

        // The receipt contract is the escrow's own, deployed in its constructor.
        if (heldByEscrow) {
            receipts.transferFrom(address(this), terms.buyer, id);
        } else {
            receipts.mint(terms.buyer, id);
        }
    }

    /// @dev When the claim window opened: at the attested port arrival, else when the last title passed
    /// (the trade's `stageAt` once Delivered); 0 while it has not opened.
    function claimWindowStart(EscrowStorage.Trade storage t) internal view returns (uint256) {
        if (t.arrivedAt != 0) return t.arrivedAt;
        return t.state == ITradeEscrowTypes.TradeState.Delivered ? t.stageAt : 0;
    }

    /// @dev Whether a claim is filed and not yet resolved.
    function claimOpen(
        EscrowStorage.Layout storage $,
        uint256 tradeId
    ) internal view returns (bool) {
        ITradeEscrowTypes.ClaimStatus status = $.claims[tradeId].status;
        return
            status != ITradeEscrowTypes.ClaimStatus.None &&
            status != ITradeEscrowTypes.ClaimStatus.Resolved;
    }

    /// @dev At the last title transfer: whether the port arrival's claim window has already ended with no
    /// claim open, so the money need not wait.
    function _claimWindowOver(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Terms storage terms,
        EscrowStorage.Trade storage t
    ) private view returns (bool) {
        uint256 arrivedAt = t.arrivedAt;
        return
            arrivedAt != 0 &&
            block.timestamp > arrivedAt + terms.claimWindow &&
            !claimOpen($, tradeId);
    }

    /// @dev Moves `amount` of the trade's escrow to the seller and the treasury (the fee).
    function releaseFunds(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Terms storage terms,
        EscrowStorage.Trade storage t,
        uint256 amount
    ) internal {
        // amount <= escrowed by every caller.
        t.escrowed -= uint96(amount);
        (uint256 sellerAmount, uint256 fee) = TradeMath.splitFee(amount, terms.feeBps);
        emit ITradeEscrowEvents.FundsReleased(tradeId, sellerAmount, fee);
        credit($, terms.seller, terms.token, tradeId, sellerAmount);
        if (fee != 0) credit($, $.config.treasury, terms.token, tradeId, fee);
    }

    /// @dev A finished trade (completed or refunded) records when it finished, gives back the seller's bond
    /// and frees the operator.
    function close(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Terms storage terms,
        EscrowStorage.Trade storage t
    ) internal {
        t.stageAt = uint40(block.timestamp);
        uint256 bond = t.sellerBond;
        if (bond != 0) {
            t.sellerBond = 0;
            credit($, terms.seller, terms.token, tradeId, bond);
        }
        releaseOperator($, terms.operator);
    }

    /// @dev The operator designated by a trade takes it on (counted while the trade is open: its bond is
    /// locked meanwhile). A direct trade may have no operator.
    function holdOperator(EscrowStorage.Layout storage $, address operator) internal {
        if (operator != address(0)) ++$.operators[operator].openTrades;
    }

    /// @dev The trade no longer holds its operator.
    function releaseOperator(EscrowStorage.Layout storage $, address operator) internal {
        if (operator != address(0)) --$.operators[operator].openTrades;
    }

    /// @dev Reserves the guarantor pool's cover for a pay-after-use trade's price, counted in its buyer's
    /// exposure. `grows`: the cover is new or larger, so the buyer's credit is judged again and the
    /// exposure held to the cap the trade took when it opened; a lowered price is never refused.
    function commitGuarantee(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Terms storage terms,
        bool grows
    ) internal {
        address buyer = terms.buyer;
        address token = terms.token;
        uint256 price = terms.price;
        if (grows) requireCredit($, terms);
        EscrowStorage.Pool storage p = $.pools[token];
        uint256 available = uint256(p.balance) - p.committed;
        if (available < price)
            revert ITradeEscrowErrors.EscrowPoolInsufficient(token, available, price);
        // committed + price <= balance < 2**128.
        p.committed += uint128(price);
        uint256 exposure = $.exposures[buyer][token] + price;
        uint256 cap = $.tradeExposureCaps[tradeId];
        if (grows && exposure > cap)
            revert ITradeEscrowErrors.EscrowExposureAboveCap(buyer, token, exposure, cap);
        $.exposures[buyer][token] = exposure;
        emit ITradeEscrowEvents.GuaranteeChanged(tradeId, token, p.committed);
    }

    /// @dev Frees the pool's cover of a pay-after-use trade that ended or was collected.
    function releaseGuarantee(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Terms storage terms
    ) internal {
        EscrowStorage.Pool storage p = $.pools[terms.token];
        // The trade's price was committed when it opened (amendments keep the commitment equal to it).
        p.committed -= uint128(terms.price);
        $.exposures[terms.buyer][terms.token] -= terms.price;
        emit ITradeEscrowEvents.GuaranteeChanged(tradeId, terms.token, p.committed);
    }

    /// @dev The pool may take on more for `terms.buyer`: its score is above the threshold and unexpired
    /// (the escrow checks the oracle's accreditation), it owes the pool nothing in the trade's token, and
    /// it authorised the escrow to collect the price.
    function requireCredit(
        EscrowStorage.Layout storage $,
        EscrowStorage.Terms storage terms
    ) internal view {
        address buyer = terms.buyer;
        EscrowStorage.CreditRecord storage credit = $.creditScores[buyer];
        uint16 threshold = $.config.creditThreshold;
        if (credit.score <= threshold || block.timestamp > credit.expiresAt) {
            revert ITradeEscrowErrors.EscrowCreditRefused(
                buyer,
                credit.score,
                threshold,
                credit.expiresAt
            );
        }
        uint256 owed = $.debts[buyer][terms.token];
        if (owed != 0) revert ITradeEscrowErrors.EscrowDebtOutstanding(buyer, terms.token, owed);
        uint256 allowance = IERC20(terms.token).allowance(buyer, address(this));
        if (allowance < terms.price)
            revert ITradeEscrowErrors.EscrowAllowanceTooLow(terms.token, allowance, terms.price);
    }

    /// @dev Ends a trade without delivery: the buyer's money is credited back; the seller's performance
    /// bond compensates the buyer when the seller defaulted, and returns to the seller otherwise.
    function cancel(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Terms storage terms,
        EscrowStorage.Trade storage t,
        ITradeEscrowTypes.CancelReason reason
    ) internal {
        uint256 refund = t.escrowed;
        uint256 bond = t.sellerBond;
        bool sellerDefaulted =
            reason == ITradeEscrowTypes.CancelReason.FulfilmentNotStarted ||
                reason == ITradeEscrowTypes.CancelReason.NotShipped ||
                reason == ITradeEscrowTypes.CancelReason.NotDelivered;
        t.escrowed = 0;
        t.sellerBond = 0;
        setState(tradeId, t, ITradeEscrowTypes.TradeState.Cancelled);
        emit ITradeEscrowEvents.TradeCancelled(
            tradeId,
            reason,
            refund,
            sellerDefaulted ? bond : 0,
            sellerDefaulted ? 0 : bond
        );
        if (refund != 0) credit($, terms.buyer, terms.token, tradeId, refund);
        if (bond != 0)
            credit($, sellerDefaulted ? terms.buyer : terms.seller, terms.token, tradeId, bond);
        if (terms.mode == ITradeEscrowTypes.PaymentMode.PayAfterUse)
            releaseGuarantee($, tradeId, terms);
        releaseOperator($, terms.operator);
    }

    /// @dev The id of the warehouse receipt of lot `lot` of trade `tradeId`.
    function receiptId(uint256 tradeId, uint16 lot) internal pure returns (uint256) {
        return (tradeId << 16) | lot;
    }

    // ------------------------------------------------------------------------------------------------
    // Terms
    // ------------------------------------------------------------------------------------------------

    /// @dev The checks every version of the terms passes.
    function validateTermsShape(ITradeEscrowTypes.Terms calldata terms) internal pure {
        if (
            terms.buyer == address(0) || terms.seller == address(0) || terms.buyer == terms.seller
        ) {
            revert ITradeEscrowErrors.EscrowInvalidParties(terms.buyer, terms.seller);
        }
        if (terms.price == 0 || terms.price > type(uint96).max)
            revert ITradeEscrowErrors.EscrowInvalidAmount(terms.price);
        if (terms.sellerBond > type(uint96).max)
            revert ITradeEscrowErrors.EscrowInvalidAmount(terms.sellerBond);
        if (terms.latestDelivery > type(uint40).max) {
            revert ITradeEscrowErrors.EscrowInvalidSchedule(
                terms.latestDelivery,
                terms.depositWindow,
                terms.fulfilmentDays
            );
        }
        if (terms.quantity == 0 || terms.lots == 0 || terms.lots > terms.quantity) {
            revert ITradeEscrowErrors.EscrowInvalidQuantity(terms.quantity, terms.lots);
        }
        if (terms.toleranceBps > TradeMath.BPS)
            revert ITradeEscrowErrors.EscrowInvalidBps(terms.toleranceBps);
        if (terms.manifestCid.length == 0) revert ITradeEscrowErrors.EscrowMissingManifest();
        if (terms.depositBps > TradeMath.BPS)
            revert ITradeEscrowErrors.EscrowInvalidBps(terms.depositBps);
        _validateMode(terms);
        // Goods the buyer paid for (or the pool guarantees) need a grace period after which an undelivered
        // trade can end; a balance needs a window in which the seller ships once it is in.
        bool held = terms.mode != ITradeEscrowTypes.PaymentMode.Direct;
        bool balance =
            terms.mode == ITradeEscrowTypes.PaymentMode.Protected &&
                terms.depositBps < TradeMath.BPS;
        ITradeEscrowTypes.ScheduleTerm missing;
        if (terms.depositWindow == 0) missing = ITradeEscrowTypes.ScheduleTerm.DepositWindow;
        else if (terms.fulfilmentDays == 0) missing = ITradeEscrowTypes.ScheduleTerm.FulfilmentDays;
        else if (terms.claimWindow != 0 && terms.responseDays == 0)
            missing = ITradeEscrowTypes.ScheduleTerm.ResponseDays;
        else if (held && terms.deliveryGrace == 0)
            missing = ITradeEscrowTypes.ScheduleTerm.DeliveryGrace;
        else if (balance && terms.shipWindow == 0)
            missing = ITradeEscrowTypes.ScheduleTerm.ShipWindow;
        else return;
        revert ITradeEscrowErrors.EscrowMissingDuration(missing);
    }

    /// @dev Each payment mode's own rules: a protected trade takes a deposit; a direct trade is paid in full
    /// with nothing held (no claim window, no bond); pay after use takes nothing up front, in an ERC-20 the
    /// escrow can collect later, and confirms automatically after `collectAfter`.
    function _validateMode(ITradeEscrowTypes.Terms calldata terms) private pure {
        ITradeEscrowTypes.PaymentMode mode = terms.mode;
        bool valid;
        if (mode == ITradeEscrowTypes.PaymentMode.Protected) {
            valid = terms.depositBps != 0;
        } else if (mode == ITradeEscrowTypes.PaymentMode.Direct) {
            valid =
                terms.depositBps == TradeMath.BPS &&
                terms.claimWindow == 0 &&
                terms.sellerBond == 0;
        } else {
            valid =
                terms.depositBps == 0 &&
                terms.token != address(0) &&
                terms.claimWindow == 0 &&
                terms.collectAfter != 0;
        }
        if (!valid) revert ITradeEscrowErrors.EscrowInvalidTermsForMode(mode);
    }

    // ------------------------------------------------------------------------------------------------
    // Signatures
    // ------------------------------------------------------------------------------------------------

    /// @dev `signer` consents as the caller (empty signature) or by a valid, unexpired, unused EIP-712
    /// signature over `structHash` in the escrow's domain; contract wallets through ERC-1271.
    function checkSignature(
        EscrowStorage.Layout storage $,
        bytes32 domainSeparator,
        address signer,
        bytes32 structHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) internal {
        if (signature.length == 0) {
            if (msg.sender != signer) revert ITradeEscrowErrors.EscrowInvalidSignature(signer);
            return;
        }
        if (block.timestamp > deadline)
            revert ITradeEscrowErrors.EscrowSignatureExpired(signer, deadline);
        useNonce($, signer, nonce);
        bytes32 digest = MessageHashUtils.toTypedDataHash(domainSeparator, structHash);
        // The key's signature first, ERC-1271 only when that fails and the signer has code: an account
        // with a key (an EOA, or one that delegated its code under EIP-7702) is the key's, so its ECDSA
        // signature is its consent either way, and the usual case skips the cold EXTCODESIZE of the
        // signer that SignatureChecker does first (2,600 gas a signature; the calldata variant also skips
        // copying the signature to memory). No contract's address can be recovered from a signature.
        (address recovered, ECDSA.RecoverError error, ) = ECDSA.tryRecoverCalldata(
            digest,
            signature
        );
        if (error == ECDSA.RecoverError.NoError && recovered == signer) return;
        if (
            signer.code.length == 0 ||
            !SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature)
        ) {
            revert ITradeEscrowErrors.EscrowInvalidSignature(signer);
        }
    }

    /// @dev Unordered nonces, 256 to a storage word, so signatures can be relayed in any order.
    function useNonce(EscrowStorage.Layout storage $, address signer, uint256 nonce) internal {
        uint256 bit = 1 << (nonce & 0xff);
        uint256 word = $.nonceBitmaps[signer][nonce >> 8];
        if (word & bit != 0) revert ITradeEscrowErrors.EscrowNonceUsed(signer, nonce);
        $.nonceBitmaps[signer][nonce >> 8] = word | bit;
    }

    // ------------------------------------------------------------------------------------------------
    // Money
    // ------------------------------------------------------------------------------------------------

    /// @dev Makes `amount` withdrawable by `account`: every payout is pulled, never pushed.
    function credit(
        EscrowStorage.Layout storage $,
        address account,
        address token,
        uint256 tradeId,
        uint256 amount
    ) internal {
        $.credits[account][token] += amount;
        emit ITradeEscrowEvents.Credited(account, token, tradeId, amount);
    }

    /// @dev Takes `amount` of `token` from the caller: exactly `amount` of native coin as msg.value, or an
    /// ERC-20 transfer that must deliver the whole amount.
    function pull(address token, uint256 amount) internal {
        if (token == address(0)) {
            if (msg.value != amount) revert ITradeEscrowErrors.EscrowWrongValue(amount, msg.value);
            return;
        }
        if (msg.value != 0) revert ITradeEscrowErrors.EscrowWrongValue(0, msg.value);
        IERC20 erc20 = IERC20(token);
        uint256 before = erc20.balanceOf(address(this));
        erc20.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = erc20.balanceOf(address(this)) - before;
        if (received < amount)
            revert ITradeEscrowErrors.EscrowTokenShortfall(token, amount, received);
    }

    /// @dev Sends `amount` of `token` to `to`; callers have already debited it.
    function push(address token, address to, uint256 amount) internal {
        if (token == address(0)) {
            Address.sendValue(payable(to), amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }
}
