// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrowErrors} from "../interfaces/ITradeEscrowErrors.sol";
import {ITradeEscrowEvents} from "../interfaces/ITradeEscrowEvents.sol";
import {ITradeEscrowTypes} from "../interfaces/ITradeEscrowTypes.sol";
import {BusinessDays} from "../libraries/BusinessDays.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {TradeFlow} from "./TradeFlow.sol";

/// @title FulfilmentLogic
/// @notice The seller's side of fulfilment (bond, start, shipment, milestones), release after the claim
/// window, and stage deadlines. Linked into the escrow and run by delegatecall on its storage; its
/// events are the escrow's. The buyer's payments stay in the escrow itself (the hottest steps: no
/// library call); receipt and title transfer are AttestationLogic's.
library FulfilmentLogic {
    /// @notice See `ITradeEscrow.postSellerBond`.
    function postSellerBond(uint256 tradeId) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        if (msg.sender != terms.seller)
            revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        ITradeEscrowTypes.TradeState state = t.state;
        if (
            state < ITradeEscrowTypes.TradeState.Signed ||
            state > ITradeEscrowTypes.TradeState.Delivered
        ) revert ITradeEscrowErrors.EscrowInvalidState(tradeId, state);
        uint256 due = terms.sellerBond - t.sellerBond;
        if (due == 0) revert ITradeEscrowErrors.EscrowNothingDue(tradeId);
        // terms.sellerBond fits 96 bits (checked when the terms were accepted).
        t.sellerBond = uint96(terms.sellerBond);
        emit ITradeEscrowEvents.SellerBondPosted(tradeId, msg.sender, due);
        TradeFlow.pull(terms.token, due);
    }

    /// @notice See `ITradeEscrow.startFulfilment`.
    function startFulfilment(uint256 tradeId) external {
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            EscrowStorage.layout(),
            tradeId
        );
        // Direct trades start fulfilment on payment; pay after use starts from signing, with nothing paid.
        if (terms.mode == ITradeEscrowTypes.PaymentMode.Direct)
            revert ITradeEscrowErrors.EscrowInvalidTermsForMode(terms.mode);
        if (t.state != TradeFlow.awaitingStart(terms.mode))
            revert ITradeEscrowErrors.EscrowInvalidState(tradeId, t.state);
        if (msg.sender != terms.seller)
            revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        uint256 deadline = BusinessDays.add(t.stageAt, terms.fulfilmentDays);
        if (block.timestamp > deadline)
            revert ITradeEscrowErrors.EscrowDeadlinePassed(tradeId, deadline);
        uint256 bondDue = terms.sellerBond - t.sellerBond;
        if (bondDue != 0) revert ITradeEscrowErrors.EscrowSellerBondDue(tradeId, bondDue);
        t.stageAt = uint40(block.timestamp);
        TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.InFulfilment);
        emit ITradeEscrowEvents.FulfilmentStarted(tradeId);
    }

    /// @notice See `ITradeEscrow.markShipped`.
    function markShipped(uint256 tradeId, bytes calldata documentsCid) external {
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.loadInState(
            EscrowStorage.layout(),
            tradeId,
            ITradeEscrowTypes.TradeState.InFulfilment
        );
        if (msg.sender != terms.seller)
            revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        uint256 latest = TradeFlow.latestDelivery(t, terms);
        if (block.timestamp > latest)
            revert ITradeEscrowErrors.EscrowDeadlinePassed(tradeId, latest);
        uint256 due = TradeFlow.balanceDue(t, terms);
        if (due != 0) revert ITradeEscrowErrors.EscrowBalanceDue(tradeId, due);
        t.stageAt = uint40(block.timestamp);
        TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.Shipped);
        emit ITradeEscrowEvents.GoodsShipped(tradeId, documentsCid);
        emit ITradeEscrowEvents.MilestoneRecorded(
            tradeId,
            ITradeEscrowTypes.Milestone.Dispatched,
            msg.sender,
            documentsCid
        );
    }

    /// @notice See `ITradeEscrow.recordMilestone`.
    function recordMilestone(
        uint256 tradeId,
        ITradeEscrowTypes.Milestone milestone,
        bytes calldata documentCid
    ) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        if (msg.sender != terms.seller && msg.sender != terms.operator)
            revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        ITradeEscrowTypes.TradeState state = t.state;
        if (
            state < ITradeEscrowTypes.TradeState.Shipped ||
            state > ITradeEscrowTypes.TradeState.Delivered
        ) revert ITradeEscrowErrors.EscrowInvalidState(tradeId, state);
        // Dispatch is recorded by shipping, port arrival by the operator's attestation (it opens the claim window).
        if (
            milestone == ITradeEscrowTypes.Milestone.Dispatched ||
            milestone == ITradeEscrowTypes.Milestone.ArrivedAtPort
        ) {
            revert ITradeEscrowErrors.EscrowInvalidMilestone(milestone);
        }
        emit ITradeEscrowEvents.MilestoneRecorded(tradeId, milestone, msg.sender, documentCid);
    }

    /// @notice See `ITradeEscrow.release`.
    function release(uint256 tradeId) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        // A delivered pay-after-use trade waits for its price to be collected (confirmReceipt).
        if (terms.mode == ITradeEscrowTypes.PaymentMode.PayAfterUse)
            revert ITradeEscrowErrors.EscrowInvalidTermsForMode(terms.mode);
        if (t.state != ITradeEscrowTypes.TradeState.Delivered)
            revert ITradeEscrowErrors.EscrowInvalidState(tradeId, t.state);
        uint256 windowEnd = TradeFlow.claimWindowStart(t) + terms.claimWindow;
        if (block.timestamp <= windowEnd)
            revert ITradeEscrowErrors.EscrowDeadlineNotReached(tradeId, windowEnd);
        if (TradeFlow.claimOpen($, tradeId)) {
            revert ITradeEscrowErrors.EscrowInvalidClaimStatus(tradeId, $.claims[tradeId].status);
        }
        TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.Completed);
        uint256 amount = t.escrowed;
        if (amount != 0) TradeFlow.releaseFunds($, tradeId, terms, t, amount);
        TradeFlow.close($, tradeId, terms, t);
    }

    /// @notice See `ITradeEscrow.stageDeadline`.
    function stageDeadline(uint256 tradeId) external view returns (uint256) {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        ITradeEscrowTypes.TradeState state = t.state;
        bool payAfterUse = terms.mode == ITradeEscrowTypes.PaymentMode.PayAfterUse;
        if (state == ITradeEscrowTypes.TradeState.Signed) {
            // Pay after use has no deposit: its first deadline is the start of fulfilment.
            return
                payAfterUse
                    ? BusinessDays.add(t.stageAt, terms.fulfilmentDays)
                    : uint256(t.stageAt) + terms.depositWindow;
        }
        if (state == ITradeEscrowTypes.TradeState.Deposited)
            return BusinessDays.add(t.stageAt, terms.fulfilmentDays);
        if (state == ITradeEscrowTypes.TradeState.InFulfilment) {
            // The buyer's balance first, then the seller's shipment.
            return
                TradeFlow.balanceDue(t, terms) != 0
                    ? TradeFlow.balanceDeadline(terms)
                    : TradeFlow.latestDelivery(t, terms);
        }
        bool direct = terms.mode == ITradeEscrowTypes.PaymentMode.Direct;
        if (state == ITradeEscrowTypes.TradeState.Shipped && direct) {
            // Automatic confirmation of receipt after shipment.
            return uint256(t.stageAt) + terms.collectAfter;
        }
        if (
            state == ITradeEscrowTypes.TradeState.Shipped ||
            state == ITradeEscrowTypes.TradeState.Received ||
            state == ITradeEscrowTypes.TradeState.Halted
        ) {
            // Undelivered by then, the trade may be cancelled (`cancelUndelivered`).
            return TradeFlow.latestDelivery(t, terms) + terms.deliveryGrace;
        }
        // Automatic confirmation of receipt after delivery (pay after use).
        if (state == ITradeEscrowTypes.TradeState.Delivered) {
            if (payAfterUse) return uint256(t.stageAt) + terms.collectAfter;
            return TradeFlow.claimWindowStart(t) + terms.claimWindow;
        }
        return 0;
    }
}
