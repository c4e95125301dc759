// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrowErrors} from "../interfaces/ITradeEscrowErrors.sol";
import {ITradeEscrowTypes} from "../interfaces/ITradeEscrowTypes.sol";
import {IWarehouseReceipt} from "../interfaces/IWarehouseReceipt.sol";
import {BusinessDays} from "../libraries/BusinessDays.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {TradeFlow} from "./TradeFlow.sol";

/// @title CancellationLogic
/// @notice The ways a trade ends without delivery when a party misses a deadline. Linked into the escrow
/// and run by delegatecall on its storage; its events are the escrow's.
library CancellationLogic {
    /// @notice See `ITradeEscrow.cancelForMissedDeposit`.
    function cancelForMissedDeposit(uint256 tradeId) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        // Pay after use has no deposit: its first deadline is the start of fulfilment.
        if (terms.mode == ITradeEscrowTypes.PaymentMode.PayAfterUse)
            revert ITradeEscrowErrors.EscrowInvalidTermsForMode(terms.mode);
        if (t.state != ITradeEscrowTypes.TradeState.Signed)
            revert ITradeEscrowErrors.EscrowInvalidState(tradeId, t.state);
        _cancelAfter(
            $,
            tradeId,
            terms,
            t,
            msg.sender == terms.seller,
            uint256(t.stageAt) + terms.depositWindow,
            ITradeEscrowTypes.CancelReason.DepositMissed
        );
    }

    /// @notice See `ITradeEscrow.cancelForMissedStart`.
    function cancelForMissedStart(uint256 tradeId) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        // A direct trade is the seller's from payment on; pay after use waits for the start from signing.
        if (terms.mode == ITradeEscrowTypes.PaymentMode.Direct)
            revert ITradeEscrowErrors.EscrowInvalidTermsForMode(terms.mode);
        if (t.state != TradeFlow.awaitingStart(terms.mode))
            revert ITradeEscrowErrors.EscrowInvalidState(tradeId, t.state);
        _cancelAfter(
            $,
            tradeId,
            terms,
            t,
            msg.sender == terms.buyer,
            BusinessDays.add(t.stageAt, terms.fulfilmentDays),
            ITradeEscrowTypes.CancelReason.FulfilmentNotStarted
        );
    }

    /// @notice See `ITradeEscrow.cancelUnshipped`.
    function cancelUnshipped(uint256 tradeId) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        if (terms.mode == ITradeEscrowTypes.PaymentMode.Direct)
            revert ITradeEscrowErrors.EscrowInvalidTermsForMode(terms.mode);
        ITradeEscrowTypes.TradeState state = t.state;
        bool started = state == ITradeEscrowTypes.TradeState.InFulfilment;
        if (!started && state != ITradeEscrowTypes.TradeState.Deposited)
            revert ITradeEscrowErrors.EscrowInvalidState(tradeId, state);
        // Whoever is in default cannot cancel: the buyer while it owes the balance, the seller while it has
        // not started (the buyer's way out of that is `cancelForMissedStart`, which gives it the bond).
        if (TradeFlow.balanceDue(t, terms) == 0) {
            _cancelAfter(
                $,
                tradeId,
                terms,
                t,
                msg.sender == terms.buyer,
                TradeFlow.latestDelivery(t, terms),
                ITradeEscrowTypes.CancelReason.NotShipped
            );
        } else {
            if (!started) revert ITradeEscrowErrors.EscrowInvalidState(tradeId, state);
            _cancelAfter(
                $,
                tradeId,
                terms,
                t,
                msg.sender == terms.seller,
                TradeFlow.balanceDeadline(terms),
                ITradeEscrowTypes.CancelReason.BalanceMissed
            );
        }
    }

    /// @notice See `ITradeEscrow.cancelUndelivered`. `receipts` is the escrow's warehouse receipt contract.
    function cancelUndelivered(IWarehouseReceipt receipts, uint256 tradeId) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        // A direct trade's money is the seller's from payment on: there is nothing to give back.
        if (terms.mode == ITradeEscrowTypes.PaymentMode.Direct)
            revert ITradeEscrowErrors.EscrowInvalidTermsForMode(terms.mode);
        ITradeEscrowTypes.TradeState state = t.state;
        if (
            state != ITradeEscrowTypes.TradeState.Shipped &&
            state != ITradeEscrowTypes.TradeState.Received &&
            state != ITradeEscrowTypes.TradeState.Halted
        ) {
            revert ITradeEscrowErrors.EscrowInvalidState(tradeId, state);
        }
        // A claim in progress decides the money first.
        if (TradeFlow.claimOpen($, tradeId))
            revert ITradeEscrowErrors.EscrowInvalidClaimStatus(tradeId, $.claims[tradeId].status);
        uint256 deadline = TradeFlow.latestDelivery(t, terms) + terms.deliveryGrace;
        // The party in default never cancels: a buyer that owes a price raised after dispatch leaves it
        // to the seller. Otherwise either party may close the trade; the reason decides who gets what.
        bool owes = TradeFlow.balanceDue(t, terms) != 0;
        bool allowed = msg.sender == terms.seller || (!owes && msg.sender == terms.buyer);
        ITradeEscrowTypes.CancelReason reason;
        if (owes) reason = ITradeEscrowTypes.CancelReason.BalanceMissed;
        else if (state == ITradeEscrowTypes.TradeState.Received)
            // The goods arrived in the terms and only the operator's title attestation is missing.
            reason = ITradeEscrowTypes.CancelReason.TitleNotAttested;
        else reason = ITradeEscrowTypes.CancelReason.NotDelivered;
        bool held = t.flags & EscrowStorage.PENDING_LOT != 0;
        if (held) {
            t.flags &= ~(EscrowStorage.PENDING_LOT | EscrowStorage.PENDING_TITLE);
            t.pendingQuantity = 0;
            t.pendingTime = 0;
        }
        _cancelAfter($, tradeId, terms, t, allowed, deadline, reason);
        // The held lot's goods stay the seller's: its warehouse receipt goes back as the money does.
        if (held) {
            uint256 receiptId = TradeFlow.receiptId(tradeId, t.lotsDone + 1);
            receipts.transferFrom(address(this), terms.seller, receiptId);
        }
    }

    /// @dev The caller (`allowed`: the party the rule names) cancels for `reason` once `deadline` has passed.
    function _cancelAfter(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Terms storage terms,
        EscrowStorage.Trade storage t,
        bool allowed,
        uint256 deadline,
        ITradeEscrowTypes.CancelReason reason
    ) private {
        if (!allowed) revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        if (block.timestamp <= deadline)
            revert ITradeEscrowErrors.EscrowDeadlineNotReached(tradeId, deadline);
        TradeFlow.cancel($, tradeId, terms, t, reason);
    }
}
