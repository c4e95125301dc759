// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrowErrors} from "../interfaces/ITradeEscrowErrors.sol";
import {ITradeEscrowEvents} from "../interfaces/ITradeEscrowEvents.sol";
import {ITradeEscrowTypes} from "../interfaces/ITradeEscrowTypes.sol";
import {IWarehouseReceipt} from "../interfaces/IWarehouseReceipt.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {TradeFlow} from "./TradeFlow.sol";
import {TradeTerms} from "../libraries/TradeTerms.sol";

/// @title AttestationLogic
/// @notice The designated warehouse operator's attestations: port arrival (opens the claim window), receipt
/// of a lot (mints its warehouse receipt; a lot outside the terms halts the trade), and transfer of title
/// (hands the receipt to the buyer and releases the money). Linked into the escrow and run by delegatecall
/// on its storage; its events are the escrow's.
library AttestationLogic {
    /// @notice See `ITradeEscrow.attest`. `accredited`: whether the escrow finds the operator the trade
    /// designates accredited (the roles live in the escrow).
    function attest(
        bytes32 domainSeparator,
        IWarehouseReceipt receipts,
        ITradeEscrowTypes.Attestation calldata attestation,
        bytes calldata signature,
        bool accredited
    ) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        uint256 tradeId = attestation.tradeId;
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        if (!accredited) revert ITradeEscrowErrors.EscrowOperatorNotAccredited(terms.operator);
        TradeFlow.checkSignature(
            $,
            domainSeparator,
            terms.operator,
            TradeTerms.hashAttestation(attestation),
            attestation.nonce,
            attestation.deadline,
            signature
        );
        // Recorded for a false-attestation ruling; undone with the call if the attestation is refused.
        // A flag in the hot slot, not `$.attested` (see EscrowStorage.OPERATOR_ATTESTED): ~20,000 gas less.
        t.flags |= EscrowStorage.OPERATOR_ATTESTED;
        if (attestation.kind == ITradeEscrowTypes.AttestationKind.PortArrival) {
            _attestPortArrival(terms, t, attestation);
            return;
        }
        uint16 expectedLot = t.lotsDone + 1;
        if (attestation.lot != expectedLot) {
            revert ITradeEscrowErrors.EscrowInvalidLot(tradeId, expectedLot, attestation.lot);
        }
        if (attestation.kind == ITradeEscrowTypes.AttestationKind.TitleTransfer) {
            if (t.state != ITradeEscrowTypes.TradeState.Received)
                revert ITradeEscrowErrors.EscrowInvalidState(tradeId, t.state);
            TradeFlow.passTitle($, receipts, tradeId, terms, t, t.pendingQuantity, true);
        } else {
            _receiveLot($, receipts, terms, t, attestation);
        }
    }

    /// @notice See `ITradeEscrow.attestBatch`. `accredited[i]`: whether item i's designated operator is
    /// accredited. The escrow passes `self`, this library's address, so each item runs as `attest` in its
    /// own delegatecall and a failing item's error can be caught and wrapped with its index.
    function attestBatch(
        bytes32 domainSeparator,
        IWarehouseReceipt receipts,
        address self,
        ITradeEscrowTypes.Attestation[] calldata attestations,
        bytes[] calldata signatures,
        bool[] memory accredited
    ) external {
        uint256 n = attestations.length;
        if (signatures.length != n)
            revert ITradeEscrowErrors.EscrowBatchLengthMismatch(n, signatures.length);
        for (uint256 i; i < n; ++i) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory reason) = self.delegatecall(
                abi.encodeWithSelector(
                    AttestationLogic.attest.selector,
                    domainSeparator,
                    receipts,
                    attestations[i],
                    signatures[i],
                    accredited[i]
                )
            );
            if (!ok) revert ITradeEscrowErrors.EscrowBatchItemFailed(i, reason);
        }
    }

    /// @dev The operator received the next lot. A conforming lot whose title the operator also attested
    /// passes to the buyer at once; otherwise the escrow holds its receipt, and a non-conforming lot halts.
    function _receiveLot(
        EscrowStorage.Layout storage $,
        IWarehouseReceipt receipts,
        EscrowStorage.Terms storage terms,
        EscrowStorage.Trade storage t,
        ITradeEscrowTypes.Attestation calldata a
    ) private {
        uint256 tradeId = a.tradeId;
        if (t.state != ITradeEscrowTypes.TradeState.Shipped)
            revert ITradeEscrowErrors.EscrowInvalidState(tradeId, t.state);
        if (a.quantity == 0) revert ITradeEscrowErrors.EscrowZeroQuantity(tradeId, a.lot);
        // stageAt is the shipment time while the trade is Shipped (later lots do not move it).
        if (a.time < t.stageAt || a.time > block.timestamp) {
            revert ITradeEscrowErrors.EscrowAttestedTimeOutOfRange(
                a.time,
                t.stageAt,
                block.timestamp
            );
        }

        uint8 reasons = TradeFlow.judge(
            terms,
            t.receivedQuantity,
            a.lot,
            a.quantity,
            a.time,
            TradeFlow.latestDelivery(t, terms)
        );
        bool titleNow =
            a.kind == ITradeEscrowTypes.AttestationKind.ReceiptAndTitleTransfer && reasons == 0;
        uint256 receiptId = TradeFlow.receiptId(tradeId, a.lot);
        emit ITradeEscrowEvents.LotReceived(
            tradeId,
            a.lot,
            terms.operator,
            receiptId,
            a.quantity,
            a.time,
            titleNow ? terms.buyer : address(this),
            a.kind,
            a.documentCid
        );
        if (titleNow) {
            // The receipt goes straight to the buyer: issued and endorsed over in one step.
            TradeFlow.passTitle($, receipts, tradeId, terms, t, a.quantity, false);
            return;
        }
        t.pendingQuantity = a.quantity;
        // a.time <= block.timestamp (checked above), so it fits 40 bits.
        t.pendingTime = uint40(a.time);
        t.flags |=
            a.kind == ITradeEscrowTypes.AttestationKind.ReceiptAndTitleTransfer
                ? EscrowStorage.PENDING_LOT | EscrowStorage.PENDING_TITLE
                : EscrowStorage.PENDING_LOT;
        if (reasons == 0) {
            TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.Received);
        } else {
            TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.Halted);
            emit ITradeEscrowEvents.TradeHalted(tradeId, a.lot, reasons, a.quantity, a.time);
        }
        receipts.mint(address(this), receiptId);
    }

    /// @dev The operator attests that the goods reached the port of destination: the claim window opens.
    function _attestPortArrival(
        EscrowStorage.Terms storage terms,
        EscrowStorage.Trade storage t,
        ITradeEscrowTypes.Attestation calldata a
    ) private {
        uint256 tradeId = a.tradeId;
        ITradeEscrowTypes.TradeState state = t.state;
        if (
            state != ITradeEscrowTypes.TradeState.Shipped &&
            state != ITradeEscrowTypes.TradeState.Received &&
            state != ITradeEscrowTypes.TradeState.Halted
        ) {
            revert ITradeEscrowErrors.EscrowInvalidState(tradeId, state);
        }
        if (t.arrivedAt != 0) revert ITradeEscrowErrors.EscrowInvalidAttestation(tradeId, a.kind);
        // stageAt is the shipment time until the last title passes.
        if (a.time < t.stageAt || a.time > block.timestamp) {
            revert ITradeEscrowErrors.EscrowAttestedTimeOutOfRange(
                a.time,
                t.stageAt,
                block.timestamp
            );
        }
        // The claim window starts when the arrival is attested, whatever time the operator attests: a
        // backdated arrival must not open a window that is already closed (the buyer could then never
        // claim, not even that the attestation was false).
        t.arrivedAt = uint40(block.timestamp);
        emit ITradeEscrowEvents.PortArrivalAttested(tradeId, terms.operator, a.time);
        emit ITradeEscrowEvents.MilestoneRecorded(
            tradeId,
            ITradeEscrowTypes.Milestone.ArrivedAtPort,
            terms.operator,
            a.documentCid
        );
    }
}
