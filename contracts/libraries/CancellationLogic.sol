// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrow} from "../interfaces/ITradeEscrow.sol";
import {BusinessDays} from "./BusinessDays.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {TradeFlow} from "./TradeFlow.sol";

/// @title CancellationLogic
/// @notice The ways a trade ends without delivery when a party misses a deadline. Linked into the escrow
/// and run by delegatecall on its storage; its events are the escrow's.
library CancellationLogic {
    /// @notice See `ITradeEscrow.cancelForMissedDeposit`.
    function cancelForMissedDeposit(uint256 tradeId, ITradeEscrow.Terms calldata terms) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        // Pay after use has no deposit: its first deadline is the start of fulfilment.
        if (terms.mode == ITradeEscrow.PaymentMode.PayAfterUse)
            revert ITradeEscrow.EscrowInvalidTermsForMode(terms.mode);
        EscrowStorage.Trade storage t = _load($, tradeId, terms, ITradeEscrow.TradeState.Signed);
        if (msg.sender != terms.seller) revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        uint256 deadline = uint256(t.stageAt) + terms.depositWindow;
        if (block.timestamp <= deadline)
            revert ITradeEscrow.EscrowDeadlineNotReached(tradeId, deadline);
        TradeFlow.cancel($, tradeId, terms, t, ITradeEscrow.CancelReason.DepositMissed);
    }

    /// @notice See `ITradeEscrow.cancelForMissedStart`.
    function cancelForMissedStart(uint256 tradeId, ITradeEscrow.Terms calldata terms) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        // A direct trade is the seller's from payment on; pay after use waits for the start from signing.
        if (terms.mode == ITradeEscrow.PaymentMode.Direct)
            revert ITradeEscrow.EscrowInvalidTermsForMode(terms.mode);
        ITradeEscrow.TradeState expected =
            terms.mode == ITradeEscrow.PaymentMode.PayAfterUse
                ? ITradeEscrow.TradeState.Signed
                : ITradeEscrow.TradeState.Deposited;
        EscrowStorage.Trade storage t = _load($, tradeId, terms, expected);
        if (msg.sender != terms.buyer) revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        uint256 deadline = BusinessDays.add(t.stageAt, terms.fulfilmentDays);
        if (block.timestamp <= deadline)
            revert ITradeEscrow.EscrowDeadlineNotReached(tradeId, deadline);
        TradeFlow.cancel($, tradeId, terms, t, ITradeEscrow.CancelReason.FulfilmentNotStarted);
    }

    /// @notice See `ITradeEscrow.cancelUnshipped`.
    function cancelUnshipped(uint256 tradeId, ITradeEscrow.Terms calldata terms) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        if (terms.mode == ITradeEscrow.PaymentMode.Direct)
            revert ITradeEscrow.EscrowInvalidTermsForMode(terms.mode);
        EscrowStorage.Trade storage t = TradeFlow.load($, tradeId, terms);
        ITradeEscrow.TradeState state = t.state;
        if (
            state != ITradeEscrow.TradeState.Deposited &&
            state != ITradeEscrow.TradeState.InFulfilment
        ) {
            revert ITradeEscrow.EscrowInvalidState(tradeId, state);
        }
        if (block.timestamp <= terms.latestDelivery) {
            revert ITradeEscrow.EscrowDeadlineNotReached(tradeId, terms.latestDelivery);
        }
        // The party not in default may cancel: the buyer when it paid in full, the seller when it did not.
        bool balancePaid = TradeFlow.balanceDue(t, terms) == 0;
        address allowed = balancePaid ? terms.buyer : terms.seller;
        if (msg.sender != allowed) revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        ITradeEscrow.CancelReason reason =
            balancePaid
                ? ITradeEscrow.CancelReason.NotShipped
                : ITradeEscrow.CancelReason.BalanceMissed;
        TradeFlow.cancel($, tradeId, terms, t, reason);
    }

    function _load(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        ITradeEscrow.Terms calldata terms,
        ITradeEscrow.TradeState expected
    ) private view returns (EscrowStorage.Trade storage t) {
        t = TradeFlow.load($, tradeId, terms);
        if (t.state != expected) revert ITradeEscrow.EscrowInvalidState(tradeId, t.state);
    }
}
