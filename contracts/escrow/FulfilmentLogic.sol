// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrow} from "../interfaces/ITradeEscrow.sol";
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
        if (msg.sender != terms.seller) revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        ITradeEscrow.TradeState state = t.state;
        if (state < ITradeEscrow.TradeState.Signed || state > ITradeEscrow.TradeState.Delivered)
            revert ITradeEscrow.EscrowInvalidState(tradeId, state);
        uint256 due = terms.sellerBond - t.sellerBond;
        if (due == 0) revert ITradeEscrow.EscrowNothingDue(tradeId);
        // terms.sellerBond fits 96 bits (checked when the terms were accepted).
        t.sellerBond = uint96(terms.sellerBond);
        emit ITradeEscrow.SellerBondPosted(tradeId, msg.sender, due);
        TradeFlow.pull(terms.token, due);
    }

    /// @notice See `ITradeEscrow.startFulfilment`.
    function startFulfilment(uint256 tradeId) external {
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            EscrowStorage.layout(),
            tradeId
        );
        // Direct trades start fulfilment on payment; pay after use starts from signing, with nothing paid.
        if (terms.mode == ITradeEscrow.PaymentMode.Direct)
            revert ITradeEscrow.EscrowInvalidTermsForMode(terms.mode);
        if (t.state != TradeFlow.awaitingStart(terms.mode))
            revert ITradeEscrow.EscrowInvalidState(tradeId, t.state);
        if (msg.sender != terms.seller) revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        uint256 deadline = BusinessDays.add(t.stageAt, terms.fulfilmentDays);
        if (block.timestamp > deadline) revert ITradeEscrow.EscrowDeadlinePassed(tradeId, deadline);
        uint256 bondDue = terms.sellerBond - t.sellerBond;
        if (bondDue != 0) revert ITradeEscrow.EscrowSellerBondDue(tradeId, bondDue);
        t.stageAt = uint40(block.timestamp);
        TradeFlow.setState(tradeId, t, ITradeEscrow.TradeState.InFulfilment);
        emit ITradeEscrow.FulfilmentStarted(tradeId);
    }

    /// @notice See `ITradeEscrow.markShipped`.
    function markShipped(uint256 tradeId, bytes calldata documentsCid) external {
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.loadInState(
            EscrowStorage.layout(),
            tradeId,
            ITradeEscrow.TradeState.InFulfilment
        );
        if (msg.sender != terms.seller) revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        uint256 latest = TradeFlow.latestDelivery(t, terms);
        if (block.timestamp > latest) revert ITradeEscrow.EscrowDeadlinePassed(tradeId, latest);
        uint256 due = TradeFlow.balanceDue(t, terms);
        if (due != 0) revert ITradeEscrow.EscrowBalanceDue(tradeId, due);
        t.stageAt = uint40(block.timestamp);
        TradeFlow.setState(tradeId, t, ITradeEscrow.TradeState.Shipped);
        emit ITradeEscrow.GoodsShipped(tradeId, documentsCid);
        emit ITradeEscrow.MilestoneRecorded(
            tradeId,
            ITradeEscrow.Milestone.Dispatched,
            msg.sender,
            documentsCid
        );
    }

    /// @notice See `ITradeEscrow.recordMilestone`.
    function recordMilestone(
        uint256 tradeId,
        ITradeEscrow.Milestone milestone,
        bytes calldata documentCid
    ) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        if (msg.sender != terms.seller && msg.sender != terms.operator)
            revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        ITradeEscrow.TradeState state = t.state;
        if (state < ITradeEscrow.TradeState.Shipped || state > ITradeEscrow.TradeState.Delivered)
            revert ITradeEscrow.EscrowInvalidState(tradeId, state);
        // Dispatch is recorded by shipping, port arrival by the operator's attestation (it opens the claim window).
        if (
            milestone == ITradeEscrow.Milestone.Dispatched ||
            milestone == ITradeEscrow.Milestone.ArrivedAtPort
        ) {
            revert ITradeEscrow.EscrowInvalidMilestone(milestone);
        }
        emit ITradeEscrow.MilestoneRecorded(tradeId, milestone, msg.sender, documentCid);
    }

    /// @notice See `ITradeEscrow.release`.
    function release(uint256 tradeId) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        // A delivered pay-after-use trade waits for its price to be collected (confirmReceipt).
        if (terms.mode == ITradeEscrow.PaymentMode.PayAfterUse)
            revert ITradeEscrow.EscrowInvalidTermsForMode(terms.mode);
        if (t.state != ITradeEscrow.TradeState.Delivered)
            revert ITradeEscrow.EscrowInvalidState(tradeId, t.state);
        uint256 windowEnd = TradeFlow.claimWindowStart(t) + terms.claimWindow;
        if (block.timestamp <= windowEnd)
            revert ITradeEscrow.EscrowDeadlineNotReached(tradeId, windowEnd);
        if (TradeFlow.claimOpen($, tradeId)) {
            revert ITradeEscrow.EscrowInvalidClaimStatus(tradeId, $.claims[tradeId].status);
        }
        TradeFlow.setState(tradeId, t, ITradeEscrow.TradeState.Completed);
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
        ITradeEscrow.TradeState state = t.state;
        bool payAfterUse = terms.mode == ITradeEscrow.PaymentMode.PayAfterUse;
        if (state == ITradeEscrow.TradeState.Signed) {
            // Pay after use has no deposit: its first deadline is the start of fulfilment.
            return
                payAfterUse
                    ? BusinessDays.add(t.stageAt, terms.fulfilmentDays)
                    : uint256(t.stageAt) + terms.depositWindow;
        }
        if (state == ITradeEscrow.TradeState.Deposited)
            return BusinessDays.add(t.stageAt, terms.fulfilmentDays);
        if (state == ITradeEscrow.TradeState.InFulfilment) {
            // The buyer's balance first, then the seller's shipment.
            return
                TradeFlow.balanceDue(t, terms) != 0
                    ? TradeFlow.balanceDeadline(terms)
                    : TradeFlow.latestDelivery(t, terms);
        }
        bool direct = terms.mode == ITradeEscrow.PaymentMode.Direct;
        if (state == ITradeEscrow.TradeState.Shipped && direct) {
            // Automatic confirmation of receipt after shipment.
            return uint256(t.stageAt) + terms.collectAfter;
        }
        if (
            state == ITradeEscrow.TradeState.Shipped ||
            state == ITradeEscrow.TradeState.Received ||
            state == ITradeEscrow.TradeState.Halted
        ) {
            // Undelivered by then, the trade may be cancelled (`cancelUndelivered`).
            return TradeFlow.latestDelivery(t, terms) + terms.deliveryGrace;
        }
        // Automatic confirmation of receipt after delivery (pay after use).
        if (state == ITradeEscrow.TradeState.Delivered) {
            if (payAfterUse) return uint256(t.stageAt) + terms.collectAfter;
            return TradeFlow.claimWindowStart(t) + terms.claimWindow;
        }
        return 0;
    }
}
