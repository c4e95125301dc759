// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrowErrors} from "../interfaces/ITradeEscrowErrors.sol";
import {ITradeEscrowEvents} from "../interfaces/ITradeEscrowEvents.sol";
import {ITradeEscrowTypes} from "../interfaces/ITradeEscrowTypes.sol";
import {IWarehouseReceipt} from "../interfaces/IWarehouseReceipt.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {TradeFlow} from "./TradeFlow.sol";
import {TradeTerms} from "../libraries/TradeTerms.sol";

/// @title AmendmentLogic
/// @notice Amendments of a trade's terms, signed by both parties. Deployed once and linked into the
/// escrow, which calls it by delegatecall: it runs on the escrow's storage and its events are the escrow's.
/// @dev Kept out of the escrow's own bytecode to stay under the 24 KiB contract size limit; an amendment
/// is rare, so the extra cost of the library call (about 3,000 gas) falls on no common step.
library AmendmentLogic {
    /// @notice Applies an amendment; see `ITradeEscrow.amend`. The escrow has checked the amended
    /// terms' designations (operator accredited and bonded, oracle, court) as at opening.
    function amend(
        bytes32 domainSeparator,
        IWarehouseReceipt receipts,
        uint256 tradeId,
        ITradeEscrowTypes.Terms calldata amended,
        ITradeEscrowTypes.PartySignature calldata buyerSignature,
        ITradeEscrowTypes.PartySignature calldata sellerSignature
    ) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        ITradeEscrowTypes.TradeState state = t.state;
        if (
            state < ITradeEscrowTypes.TradeState.Signed ||
            state > ITradeEscrowTypes.TradeState.Delivered
        ) {
            revert ITradeEscrowErrors.EscrowInvalidState(tradeId, state);
        }
        _validate(tradeId, t, terms, amended);
        _requireNoHearing($, tradeId, amended.operator != terms.operator);

        uint16 version = t.version + 1;
        t.version = version;
        _consentAndEmit(
            $,
            domainSeparator,
            tradeId,
            version,
            amended,
            buyerSignature,
            sellerSignature
        );

        _replaceTerms($, tradeId, t, terms, amended, version);
        _refundExcess($, tradeId, t, terms);
        if (t.flags & EscrowStorage.PENDING_LOT != 0)
            _rejudgePendingLot($, receipts, tradeId, terms, t);
    }

    /// @dev The amended terms replace the current ones: what the current terms hold (the operator, the
    /// pool's cover) is let go first, then taken again under the amended terms.
    function _replaceTerms(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Trade storage t,
        EscrowStorage.Terms storage terms,
        ITradeEscrowTypes.Terms calldata amended,
        uint16 version
    ) private {
        address operator = terms.operator;
        bool newOperator = amended.operator != operator;
        bool repriced =
            amended.mode == ITradeEscrowTypes.PaymentMode.PayAfterUse &&
                amended.price != terms.price;
        bool grows = amended.price > terms.price;
        if (newOperator) {
            TradeFlow.releaseOperator($, operator);
            _moveAttestedFlag($, tradeId, t, operator, amended.operator);
        }
        // A raised price is new exposure: the buyer's credit, debt, allowance and cap are judged again,
        // exactly as at opening.
        if (repriced) TradeFlow.releaseGuarantee($, tradeId, terms);
        TradeFlow.storeTerms($, tradeId, amended);
        if (newOperator) TradeFlow.holdOperator($, amended.operator);
        if (repriced) TradeFlow.commitGuarantee($, tradeId, terms, grows);
        if (terms.court != 0) TradeFlow.publishMetaEvidence(tradeId, version, amended.manifestCid);
    }

    /// @dev The trade's OPERATOR_ATTESTED flag is about the designated operator: a replaced operator's bit
    /// goes to `attested`, and the new operator's (set if it attested under earlier terms) comes back.
    function _moveAttestedFlag(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Trade storage t,
        address current,
        address designated
    ) private {
        if (t.flags & EscrowStorage.OPERATOR_ATTESTED != 0) $.attested[tradeId][current] = true;
        if ($.attested[tradeId][designated]) t.flags |= EscrowStorage.OPERATOR_ATTESTED;
        else t.flags &= ~EscrowStorage.OPERATOR_ATTESTED;
    }

    /// @dev While the court hears the claim, the terms it judges stay fixed; while any claim is open, the
    /// operator whose attestation it may be about stays designated.
    function _requireNoHearing(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        bool operatorChanges
    ) private view {
        ITradeEscrowTypes.ClaimStatus status = $.claims[tradeId].status;
        bool hearing =
            status == ITradeEscrowTypes.ClaimStatus.Contested ||
                status == ITradeEscrowTypes.ClaimStatus.Ruled;
        if (hearing || (operatorChanges && status == ITradeEscrowTypes.ClaimStatus.Filed)) {
            revert ITradeEscrowErrors.EscrowInvalidClaimStatus(tradeId, status);
        }
    }

    /// @dev Money paid above a lowered price goes back to the buyer; bond above a lowered bond to the seller.
    function _refundExcess(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Trade storage t,
        EscrowStorage.Terms storage amended
    ) private {
        uint256 paid = uint256(t.escrowed) + t.released;
        // price >= refunded + released was checked, so the net price is what the buyer owes in the end.
        uint256 owed = amended.price - t.refunded;
        if (paid > owed) {
            uint256 excess = paid - owed;
            // price >= released was checked, so excess <= escrowed < 2**96.
            t.escrowed -= uint96(excess);
            TradeFlow.credit($, amended.buyer, amended.token, tradeId, excess);
        }
        if (t.sellerBond > amended.sellerBond) {
            uint256 excessBond = t.sellerBond - amended.sellerBond;
            t.sellerBond = amended.sellerBond;
            TradeFlow.credit($, amended.seller, amended.token, tradeId, excessBond);
        }
    }

    function _validate(
        uint256 tradeId,
        EscrowStorage.Trade storage t,
        EscrowStorage.Terms storage current,
        ITradeEscrowTypes.Terms calldata amended
    ) private view {
        bool sameDeal =
            amended.buyer == current.buyer &&
                amended.seller == current.seller &&
                amended.token == current.token &&
                amended.mode == current.mode;
        if (!sameDeal) {
            revert ITradeEscrowErrors.EscrowAmendmentChangesParties(tradeId);
        }
        if (amended.feeBps != current.feeBps)
            revert ITradeEscrowErrors.EscrowFeeMismatch(amended.feeBps, current.feeBps);
        TradeFlow.validateTermsShape(amended);
        // Delivered lots stay delivered: a delivered trade keeps its lot count, any other needs a lot to come.
        bool delivered = t.state == ITradeEscrowTypes.TradeState.Delivered;
        bool lotsOk = delivered ? amended.lots == current.lots : amended.lots > t.lotsDone;
        if (amended.price < uint256(t.released) + t.refunded || !lotsOk) {
            revert ITradeEscrowErrors.EscrowAmendmentBelowDelivered(
                tradeId,
                amended.price,
                amended.lots
            );
        }
        // After delivery nothing more can be paid in, so the price may only go down.
        uint256 paid = uint256(t.escrowed) + t.released;
        // (Pay after use collects the price after delivery, so it may change either way.)
        bool collectsLater = amended.mode == ITradeEscrowTypes.PaymentMode.PayAfterUse;
        if (delivered && !collectsLater && amended.price - t.refunded > paid) {
            revert ITradeEscrowErrors.EscrowBalanceDue(tradeId, amended.price - t.refunded - paid);
        }
    }

    /// @dev Both parties consent to version `version` = `amended`, which is announced.
    function _consentAndEmit(
        EscrowStorage.Layout storage $,
        bytes32 domainSeparator,
        uint256 tradeId,
        uint16 version,
        ITradeEscrowTypes.Terms calldata amended,
        ITradeEscrowTypes.PartySignature calldata buyerSignature,
        ITradeEscrowTypes.PartySignature calldata sellerSignature
    ) private {
        bytes32 termsHash = TradeTerms.hash(amended);
        _consent($, domainSeparator, tradeId, version, termsHash, amended.buyer, buyerSignature);
        _consent($, domainSeparator, tradeId, version, termsHash, amended.seller, sellerSignature);
        emit ITradeEscrowEvents.TradeAmended(tradeId, version, termsHash, amended);
    }

    function _consent(
        EscrowStorage.Layout storage $,
        bytes32 domainSeparator,
        uint256 tradeId,
        uint16 version,
        bytes32 termsHash,
        address party,
        ITradeEscrowTypes.PartySignature calldata signature
    ) private {
        TradeFlow.checkSignature(
            $,
            domainSeparator,
            party,
            TradeTerms.hashAmendment(
                tradeId,
                version,
                termsHash,
                signature.nonce,
                signature.deadline
            ),
            signature.nonce,
            signature.deadline,
            signature.signature
        );
    }

    /// @dev The lot the escrow holds is judged against the new terms: the trade halts, waits for title,
    /// or completes the title transfer the operator already attested.
    function _rejudgePendingLot(
        EscrowStorage.Layout storage $,
        IWarehouseReceipt receipts,
        uint256 tradeId,
        EscrowStorage.Terms storage terms,
        EscrowStorage.Trade storage t
    ) private {
        uint16 lot = t.lotsDone + 1;
        uint8 reasons = TradeFlow.judge(
            terms,
            t.receivedQuantity,
            lot,
            t.pendingQuantity,
            t.pendingTime,
            TradeFlow.latestDelivery(t, terms)
        );
        if (reasons != 0) {
            TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.Halted);
            emit ITradeEscrowEvents.TradeHalted(
                tradeId,
                lot,
                reasons,
                t.pendingQuantity,
                t.pendingTime
            );
        } else if (
            t.flags & EscrowStorage.PENDING_TITLE != 0 && TradeFlow.balanceDue(t, terms) == 0
        ) {
            TradeFlow.passTitle($, receipts, tradeId, terms, t, t.pendingQuantity, true);
        } else {
            // A raised price must be paid before title passes; the operator then attests the title again.
            t.flags &= ~EscrowStorage.PENDING_TITLE;
            TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.Received);
        }
    }
}
