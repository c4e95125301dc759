// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IArbitrable} from "../interfaces/IArbitrable.sol";
import {IArbitrator} from "../interfaces/IArbitrator.sol";
import {IEvidence} from "../interfaces/IEvidence.sol";
import {ITradeEscrowErrors} from "../interfaces/ITradeEscrowErrors.sol";
import {ITradeEscrowEvents} from "../interfaces/ITradeEscrowEvents.sol";
import {ITradeEscrowTypes} from "../interfaces/ITradeEscrowTypes.sol";
import {BusinessDays} from "../libraries/BusinessDays.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {TradeFlow} from "./TradeFlow.sol";
import {TradeMath} from "../libraries/TradeMath.sol";
import {TradeTerms} from "../libraries/TradeTerms.sol";

/// @title ClaimLogic
/// @notice Claims for non-conforming goods: filing with an inspection report, the seller's answer (accept,
/// contest, settle), default judgment, and the court's ruling. Linked into the escrow and run by
/// delegatecall on its storage; its events are the escrow's.
/// @dev Money: a refund comes out of the trade's escrow (rounded down: refund = price * bps / 10,000),
/// material damage costs out of the seller's bond (capped by it), and whatever stays in escrow is released
/// to the seller (less the fee) when the claim window has ended. So refund + seller share + fee = escrowed.
/// Length: every step of a claim in one linked library (another would be one more deployment,
/// link and cold call); the money of a resolution is in `_resolve` alone.
library ClaimLogic {
    /// @dev The escrow's dispute choices: ruling r means a refund of r - 1 basis points.
    uint256 internal constant CHOICES = TradeMath.BPS + 1;

    /// @notice See `ITradeEscrow.fileClaim`.
    function fileClaim(
        bytes32 domainSeparator,
        uint256 tradeId,
        ITradeEscrowTypes.ClaimRequest calldata request,
        ITradeEscrowTypes.InspectionReport calldata report,
        bytes calldata agencySignature,
        bool agencyAccredited
    ) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        if (msg.sender != terms.buyer)
            revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        ITradeEscrowTypes.TradeState state = t.state;
        if (
            state < ITradeEscrowTypes.TradeState.Shipped ||
            state > ITradeEscrowTypes.TradeState.Delivered
        ) {
            revert ITradeEscrowErrors.EscrowInvalidState(tradeId, state);
        }
        uint256 start = TradeFlow.claimWindowStart(t);
        if (terms.claimWindow == 0 || start == 0)
            revert ITradeEscrowErrors.EscrowClaimWindowClosed(tradeId, 0);
        if (block.timestamp > start + terms.claimWindow) {
            revert ITradeEscrowErrors.EscrowClaimWindowClosed(tradeId, start + terms.claimWindow);
        }
        EscrowStorage.Claim storage c = $.claims[tradeId];
        if (c.status != ITradeEscrowTypes.ClaimStatus.None)
            revert ITradeEscrowErrors.EscrowInvalidClaimStatus(tradeId, c.status);
        _checkRequest(tradeId, request, report);
        _checkInspection($, domainSeparator, tradeId, report, agencySignature, agencyAccredited);

        bool material = request.ground == ITradeEscrowTypes.ClaimGround.MaterialDamage;
        _setStatus(tradeId, c, ITradeEscrowTypes.ClaimStatus.Filed);
        c.ground = request.ground;
        c.refundBps = material ? uint16(TradeMath.BPS) : request.refundBps;
        c.filedAt = uint40(block.timestamp);
        // costs fit 96 bits (checked in _checkRequest).
        c.costs = uint96(request.costs);
        _emitFiled(tradeId, $.courts[terms.court].arbitrator, c.refundBps, request, report);
    }

    /// @notice See `ITradeEscrow.submitInspectionReport`; the escrow checked the agency's accreditation.
    function submitInspectionReport(ITradeEscrowTypes.InspectionReport calldata report) external {
        if (msg.sender != report.agency)
            revert ITradeEscrowErrors.EscrowInvalidInspection(report.tradeId, msg.sender);
        bytes32 reportHash = TradeTerms.hashInspectionReport(report);
        EscrowStorage.layout().inspectionReports[reportHash] = true;
        emit ITradeEscrowEvents.InspectionReportSubmitted(
            report.tradeId,
            report.agency,
            reportHash
        );
    }

    /// @notice See `ITradeEscrow.acceptClaim`.
    function acceptClaim(uint256 tradeId) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (
            EscrowStorage.Trade storage t,
            EscrowStorage.Terms storage terms,
            EscrowStorage.Claim storage c
        ) = _loadAnswerable($, tradeId);
        uint256 deadline = BusinessDays.add(c.filedAt, terms.responseDays);
        if (block.timestamp > deadline)
            revert ITradeEscrowErrors.EscrowDeadlinePassed(tradeId, deadline);
        _grantAsFiled($, tradeId, terms, t, c, ITradeEscrowTypes.ClaimOutcome.Accepted);
    }

    /// @notice See `ITradeEscrow.enforceDefaultJudgment`.
    function enforceDefaultJudgment(uint256 tradeId) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        EscrowStorage.Claim storage c = $.claims[tradeId];
        if (c.status != ITradeEscrowTypes.ClaimStatus.Filed)
            revert ITradeEscrowErrors.EscrowInvalidClaimStatus(tradeId, c.status);
        uint256 deadline = BusinessDays.add(c.filedAt, terms.responseDays);
        if (block.timestamp <= deadline)
            revert ITradeEscrowErrors.EscrowDeadlineNotReached(tradeId, deadline);
        _grantAsFiled($, tradeId, terms, t, c, ITradeEscrowTypes.ClaimOutcome.DefaultJudgment);
    }

    /// @notice See `ITradeEscrow.contestClaim`. The court is the one the terms in force name, whose
    /// accreditation and acceptance of its terms were checked when those terms were signed.
    function contestClaim(uint256 tradeId, bytes calldata counterEvidenceCid) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (
            EscrowStorage.Trade storage t,
            EscrowStorage.Terms storage terms,
            EscrowStorage.Claim storage c
        ) = _loadAnswerable($, tradeId);
        uint256 deadline = BusinessDays.add(c.filedAt, terms.responseDays);
        if (block.timestamp > deadline)
            revert ITradeEscrowErrors.EscrowDeadlinePassed(tradeId, deadline);
        _setStatus(tradeId, c, ITradeEscrowTypes.ClaimStatus.Contested);
        (IArbitrator court, uint256 disputeId) = _createDispute($, terms);
        c.disputeId = disputeId;
        $.disputeTrades[address(court)][disputeId] = tradeId;
        _emitContested(tradeId, t.version, court, disputeId, counterEvidenceCid);
    }

    /// @notice See `ITradeEscrow.settleClaim`.
    function settleClaim(
        bytes32 domainSeparator,
        uint256 tradeId,
        uint256 refund,
        ITradeEscrowTypes.PartySignature calldata buyerSignature,
        ITradeEscrowTypes.PartySignature calldata sellerSignature
    ) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        EscrowStorage.Claim storage c = $.claims[tradeId];
        if (
            c.status != ITradeEscrowTypes.ClaimStatus.Filed &&
            c.status != ITradeEscrowTypes.ClaimStatus.Contested
        ) {
            revert ITradeEscrowErrors.EscrowInvalidClaimStatus(tradeId, c.status);
        }
        if (refund > t.escrowed)
            revert ITradeEscrowErrors.EscrowRefundTooLarge(tradeId, refund, t.escrowed);
        _consentToSettle($, domainSeparator, tradeId, refund, terms.buyer, buyerSignature);
        _consentToSettle($, domainSeparator, tradeId, refund, terms.seller, sellerSignature);
        _resolve($, tradeId, terms, t, c, ITradeEscrowTypes.ClaimOutcome.Settled, refund, 0);
    }

    /// @notice Records the court's final ruling (`IArbitrable.rule`). Never reverts for a dispute of a
    /// claim that was settled meanwhile, so the court can always finish.
    function recordRuling(uint256 disputeId, uint256 ruling) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        uint256 tradeId = $.disputeTrades[msg.sender][disputeId];
        if (tradeId == 0) revert ITradeEscrowErrors.EscrowUnknownDispute(msg.sender, disputeId);
        emit IArbitrable.Ruling(IArbitrator(msg.sender), disputeId, ruling);
        EscrowStorage.Claim storage c = $.claims[tradeId];
        if (c.status != ITradeEscrowTypes.ClaimStatus.Contested || c.disputeId != disputeId) return;
        _setStatus(tradeId, c, ITradeEscrowTypes.ClaimStatus.Ruled);
        // A ruling above the choices is read as the highest choice.
        c.ruling = uint32(ruling > CHOICES ? CHOICES : ruling);
        emit ITradeEscrowEvents.ClaimRuled(tradeId, disputeId, c.ruling);
    }

    /// @notice See `ITradeEscrow.executeRuling`. `bondToken` is the token of operators' bonds.
    function executeRuling(uint256 tradeId, address bondToken) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        EscrowStorage.Claim storage c = $.claims[tradeId];
        if (c.status != ITradeEscrowTypes.ClaimStatus.Ruled)
            revert ITradeEscrowErrors.EscrowInvalidClaimStatus(tradeId, c.status);
        uint256 ruling = c.ruling;
        uint256 bps = _rulingBps(ruling, c.refundBps);
        uint256 costs =
            c.ground == ITradeEscrowTypes.ClaimGround.MaterialDamage && bps == TradeMath.BPS
                ? c.costs
                : 0;
        // Only a ruling for the buyer finds the attestation false; a refusal (0) proves nothing. Only an
        // operator that attested on this trade answers for it, not one the parties designated afterwards.
        address slashed =
            c.ground == ITradeEscrowTypes.ClaimGround.FalseAttestation &&
            ruling > 1 &&
            t.flags & EscrowStorage.OPERATOR_ATTESTED != 0
                ? terms.operator
                : address(0);
        uint256 refund = TradeMath.refund(terms.price, bps);
        _resolve($, tradeId, terms, t, c, ITradeEscrowTypes.ClaimOutcome.Ruling, refund, costs);
        if (slashed != address(0)) _slash($, tradeId, slashed, terms.buyer, bondToken, bps);
    }

    /// @notice See `ITradeEscrow.appealRuling`.
    function appealRuling(uint256 tradeId) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (, EscrowStorage.Terms storage terms) = TradeFlow.load($, tradeId);
        if (msg.sender != terms.buyer && msg.sender != terms.seller) {
            revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        }
        EscrowStorage.Claim storage c = $.claims[tradeId];
        if (c.status != ITradeEscrowTypes.ClaimStatus.Contested)
            revert ITradeEscrowErrors.EscrowInvalidClaimStatus(tradeId, c.status);
        // The court checks the appeal window and the fee, and refuses a second appeal.
        EscrowStorage.Court storage court = $.courts[terms.court];
        IArbitrator(court.arbitrator).appeal{value: msg.value}(c.disputeId, court.extraData);
    }

    /// @notice The extraData a contest sends the court: the trade's court terms with the parties appended,
    /// so the court never draws them onto the panel.
    function courtExtraData(
        bytes memory courtTerms,
        address buyer,
        address seller,
        address operator
    ) internal pure returns (bytes memory) {
        return bytes.concat(courtTerms, abi.encode([buyer, seller, operator]));
    }

    /// @notice See `ITradeEscrow.submitEvidence`.
    function submitEvidence(uint256 tradeId, bytes calldata evidenceCid) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (, EscrowStorage.Terms storage terms) = TradeFlow.load($, tradeId);
        if (
            msg.sender != terms.buyer && msg.sender != terms.seller && msg.sender != terms.operator
        ) {
            revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        }
        if (!TradeFlow.claimOpen($, tradeId))
            revert ITradeEscrowErrors.EscrowInvalidClaimStatus(tradeId, $.claims[tradeId].status);
        IArbitrator court = IArbitrator($.courts[terms.court].arbitrator);
        emit IEvidence.Evidence(court, tradeId, msg.sender, evidenceCid);
    }

    // ---------------------------------------------------------------- private

    /// @dev Bit `from * 8 + to` is set when a claim may move from `from` to `to`: filed, then answered
    /// (accepted, settled or defaulted: resolved; contested), then ruled and executed, or settled.
    uint256 private constant _CLAIM_TRANSITIONS =
        (1 <<
            (uint256(ITradeEscrowTypes.ClaimStatus.None) * 8 +
                uint256(ITradeEscrowTypes.ClaimStatus.Filed))) |
            (1 <<
                (uint256(ITradeEscrowTypes.ClaimStatus.Filed) * 8 +
                    uint256(ITradeEscrowTypes.ClaimStatus.Contested))) |
            (1 <<
                (uint256(ITradeEscrowTypes.ClaimStatus.Filed) * 8 +
                    uint256(ITradeEscrowTypes.ClaimStatus.Resolved))) |
            (1 <<
                (uint256(ITradeEscrowTypes.ClaimStatus.Contested) * 8 +
                    uint256(ITradeEscrowTypes.ClaimStatus.Ruled))) |
            (1 <<
                (uint256(ITradeEscrowTypes.ClaimStatus.Contested) * 8 +
                    uint256(ITradeEscrowTypes.ClaimStatus.Resolved))) |
            (1 <<
                (uint256(ITradeEscrowTypes.ClaimStatus.Ruled) * 8 +
                    uint256(ITradeEscrowTypes.ClaimStatus.Resolved)));

    /// @dev The one place a claim's status changes, as `TradeFlow.setState` is for trades: each caller
    /// has checked the status it needs (with its own error); this guards the edge itself.
    function _setStatus(
        uint256 tradeId,
        EscrowStorage.Claim storage c,
        ITradeEscrowTypes.ClaimStatus to
    ) private {
        ITradeEscrowTypes.ClaimStatus from = c.status;
        if ((_CLAIM_TRANSITIONS >> (uint256(from) * 8 + uint256(to))) & 1 == 0)
            revert ITradeEscrowErrors.EscrowInvalidClaimTransition(tradeId, from, to);
        c.status = to;
    }

    /// @dev The refund a ruling grants, in basis points of the price: ruling r is r - 1, capped by what
    /// was asked; a court that refused to rule (0) leaves the claim unproven either way: half of it.
    function _rulingBps(uint256 ruling, uint256 asked) private pure returns (uint256) {
        if (ruling == 0) return asked / 2;
        return ruling - 1 < asked ? ruling - 1 : asked;
    }

    /// @dev Brings the claim before the trade's court, paying its fee (msg.value) in full.
    function _createDispute(
        EscrowStorage.Layout storage $,
        EscrowStorage.Terms storage terms
    ) private returns (IArbitrator court, uint256 disputeId) {
        EscrowStorage.Court storage kept = $.courts[terms.court];
        court = IArbitrator(kept.arbitrator);
        bytes memory courtTerms = kept.extraData;
        uint256 cost = court.arbitrationCost(courtTerms);
        if (msg.value != cost) revert ITradeEscrowErrors.EscrowWrongValue(cost, msg.value);
        disputeId = court.createDispute{value: msg.value}(
            CHOICES,
            courtExtraData(courtTerms, terms.buyer, terms.seller, terms.operator)
        );
    }

    /// @dev The dispute is about the terms in force: their version's meta-evidence (see TradeFlow).
    function _emitContested(
        uint256 tradeId,
        uint16 version,
        IArbitrator court,
        uint256 disputeId,
        bytes calldata counterEvidenceCid
    ) private {
        emit ITradeEscrowEvents.ClaimContested(tradeId, address(court), disputeId);
        uint256 metaEvidenceId = TradeFlow.metaEvidenceId(tradeId, version);
        emit IEvidence.Dispute(court, disputeId, metaEvidenceId, tradeId);
        emit IEvidence.Evidence(court, tradeId, msg.sender, counterEvidenceCid);
    }

    function _emitFiled(
        uint256 tradeId,
        address arbitrator,
        uint16 refundBps,
        ITradeEscrowTypes.ClaimRequest calldata request,
        ITradeEscrowTypes.InspectionReport calldata report
    ) private {
        emit ITradeEscrowEvents.ClaimFiled(
            tradeId,
            request.ground,
            refundBps,
            request.costs,
            report.agency,
            report.reportCid,
            request.evidenceCid
        );
        emit IEvidence.Evidence(IArbitrator(arbitrator), tradeId, report.agency, report.reportCid);
        emit IEvidence.Evidence(IArbitrator(arbitrator), tradeId, msg.sender, request.evidenceCid);
    }

    function _checkRequest(
        uint256 tradeId,
        ITradeEscrowTypes.ClaimRequest calldata request,
        ITradeEscrowTypes.InspectionReport calldata report
    ) private pure {
        bool material = request.ground == ITradeEscrowTypes.ClaimGround.MaterialDamage;
        bool valid =
            material
                ? report.material && request.costs <= type(uint96).max
                : request.costs == 0 &&
                    request.refundBps != 0 &&
                    request.refundBps <= report.varianceBps;
        if (!valid || report.varianceBps > TradeMath.BPS) {
            revert ITradeEscrowErrors.EscrowInvalidClaim(
                tradeId,
                request.ground,
                request.refundBps,
                request.costs
            );
        }
    }

    /// @dev The report must be for this trade, by an accredited agency, and either lodged on chain by the
    /// agency or signed by it (EIP-712, ERC-1271 for contract wallets).
    function _checkInspection(
        EscrowStorage.Layout storage $,
        bytes32 domainSeparator,
        uint256 tradeId,
        ITradeEscrowTypes.InspectionReport calldata report,
        bytes calldata signature,
        bool agencyAccredited
    ) private {
        if (report.tradeId != tradeId || !agencyAccredited) {
            revert ITradeEscrowErrors.EscrowInvalidInspection(tradeId, report.agency);
        }
        bytes32 reportHash = TradeTerms.hashInspectionReport(report);
        if (signature.length == 0) {
            if (!$.inspectionReports[reportHash])
                revert ITradeEscrowErrors.EscrowInvalidInspection(tradeId, report.agency);
            return;
        }
        TradeFlow.checkSignature(
            $,
            domainSeparator,
            report.agency,
            reportHash,
            report.nonce,
            report.deadline,
            signature
        );
    }

    /// @dev The trade, its terms and its claim, which the seller may answer: filed and not yet answered.
    function _loadAnswerable(
        EscrowStorage.Layout storage $,
        uint256 tradeId
    )
        private
        view
        returns (
            EscrowStorage.Trade storage t,
            EscrowStorage.Terms storage terms,
            EscrowStorage.Claim storage c
        )
    {
        (t, terms) = TradeFlow.load($, tradeId);
        if (msg.sender != terms.seller)
            revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        c = $.claims[tradeId];
        if (c.status != ITradeEscrowTypes.ClaimStatus.Filed)
            revert ITradeEscrowErrors.EscrowInvalidClaimStatus(tradeId, c.status);
    }

    /// @dev The claim granted as the buyer filed it (accepted, or by default).
    function _grantAsFiled(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Terms storage terms,
        EscrowStorage.Trade storage t,
        EscrowStorage.Claim storage c,
        ITradeEscrowTypes.ClaimOutcome outcome
    ) private {
        uint256 refund = TradeMath.refund(terms.price, c.refundBps);
        uint256 costs = c.ground == ITradeEscrowTypes.ClaimGround.MaterialDamage ? c.costs : 0;
        _resolve($, tradeId, terms, t, c, outcome, refund, costs);
    }

    function _consentToSettle(
        EscrowStorage.Layout storage $,
        bytes32 domainSeparator,
        uint256 tradeId,
        uint256 refund,
        address party,
        ITradeEscrowTypes.PartySignature calldata signature
    ) private {
        TradeFlow.checkSignature(
            $,
            domainSeparator,
            party,
            TradeTerms.hashSettlement(tradeId, refund, signature.nonce, signature.deadline),
            signature.nonce,
            signature.deadline,
            signature.signature
        );
    }

    /// @dev Executes a resolution: the refund (capped by the escrow) and the costs (capped by the seller's
    /// bond) are credited to the buyer, who paid. A whole refund ends the trade; otherwise a delivered trade
    /// whose window has ended releases the rest to the seller at once.
    function _resolve(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Terms storage terms,
        EscrowStorage.Trade storage t,
        EscrowStorage.Claim storage c,
        ITradeEscrowTypes.ClaimOutcome outcome,
        uint256 refund,
        uint256 costs
    ) private {
        // A slashed operator's bond is paid by the caller after the resolution (see executeRuling).
        if (refund > t.escrowed) refund = t.escrowed;
        if (costs > t.sellerBond) costs = t.sellerBond;
        _setStatus(tradeId, c, ITradeEscrowTypes.ClaimStatus.Resolved);
        // refund <= escrowed and costs <= sellerBond, both below 2**96; refunds never exceed the price.
        t.escrowed -= uint96(refund);
        TradeFlow.addRefunded(t, refund);
        t.sellerBond -= uint96(costs);
        emit ITradeEscrowEvents.ClaimResolved(tradeId, outcome, refund, costs);
        if (refund + costs != 0)
            TradeFlow.credit($, terms.buyer, terms.token, tradeId, refund + costs);

        if (t.escrowed == 0) {
            // A lot still held ends with the trade: its receipt stays with the escrow, void.
            t.flags &= ~(EscrowStorage.PENDING_LOT | EscrowStorage.PENDING_TITLE);
            t.pendingQuantity = 0;
            t.pendingTime = 0;
            TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.Refunded);
            TradeFlow.close($, tradeId, terms, t);
        } else if (
            t.state == ITradeEscrowTypes.TradeState.Delivered &&
            block.timestamp > TradeFlow.claimWindowStart(t) + terms.claimWindow
        ) {
            TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.Completed);
            TradeFlow.releaseFunds($, tradeId, terms, t, t.escrowed);
            TradeFlow.close($, tradeId, terms, t);
        }
    }

    /// @dev A ruling found the operator's attestation false, with harm of `bps` of the price: that share of
    /// its bond goes to the harmed buyer. The rest still backs the operator's other open trades (until it
    /// tops the bond up to its requirement, it is designated on no new trade).
    function _slash(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        address operator,
        address to,
        address bondToken,
        uint256 bps
    ) private {
        EscrowStorage.OperatorAccount storage account = $.operators[operator];
        uint256 bond = account.bond;
        uint256 amount = TradeMath.refund(bond, bps);
        if (amount == 0) return;
        // amount <= bond < 2**96.
        account.bond = uint96(bond - amount);
        emit ITradeEscrowEvents.OperatorSlashed(operator, tradeId, to, amount);
        TradeFlow.credit($, to, bondToken, tradeId, amount);
    }
}
