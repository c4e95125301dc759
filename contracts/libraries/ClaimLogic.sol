// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IArbitrable} from "../interfaces/IArbitrable.sol";
import {IArbitrator} from "../interfaces/IArbitrator.sol";
import {IEvidence} from "../interfaces/IEvidence.sol";
import {ITradeEscrow} from "../interfaces/ITradeEscrow.sol";
import {BusinessDays} from "./BusinessDays.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {TradeFlow} from "./TradeFlow.sol";
import {TradeMath} from "./TradeMath.sol";
import {TradeTerms} from "./TradeTerms.sol";

/// @title ClaimLogic
/// @notice Claims for non-conforming goods: filing with an inspection report, the seller's answer (accept,
/// contest, settle), default judgment, and the court's ruling. Linked into the escrow and run by
/// delegatecall on its storage; its events are the escrow's.
/// @dev Money: a refund comes out of the trade's escrow (rounded down: refund = price * bps / 10,000),
/// material damage costs out of the seller's bond (capped by it), and whatever stays in escrow is released
/// to the seller (less the fee) when the claim window has ended. So refund + seller share + fee = escrowed.
library ClaimLogic {
    /// @dev The escrow's dispute choices: ruling r means a refund of r - 1 basis points.
    uint256 internal constant CHOICES = TradeMath.BPS + 1;

    /// @notice See `ITradeEscrow.fileClaim`.
    function fileClaim(
        bytes32 domainSeparator,
        uint256 tradeId,
        ITradeEscrow.Terms calldata terms,
        ITradeEscrow.ClaimRequest calldata request,
        ITradeEscrow.InspectionReport calldata report,
        bytes calldata agencySignature,
        bool agencyAccredited
    ) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        EscrowStorage.Trade storage t = TradeFlow.load($, tradeId, terms);
        if (msg.sender != terms.buyer) revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        ITradeEscrow.TradeState state = t.state;
        if (state < ITradeEscrow.TradeState.Shipped || state > ITradeEscrow.TradeState.Delivered) {
            revert ITradeEscrow.EscrowInvalidState(tradeId, state);
        }
        uint256 start = TradeFlow.claimWindowStart(t);
        if (terms.claimWindow == 0 || start == 0)
            revert ITradeEscrow.EscrowClaimWindowClosed(tradeId, 0);
        if (block.timestamp > start + terms.claimWindow) {
            revert ITradeEscrow.EscrowClaimWindowClosed(tradeId, start + terms.claimWindow);
        }
        EscrowStorage.Claim storage c = $.claims[tradeId];
        if (c.status != ITradeEscrow.ClaimStatus.None)
            revert ITradeEscrow.EscrowInvalidClaimStatus(tradeId, c.status);
        _checkRequest(tradeId, request, report);
        _checkInspection($, domainSeparator, tradeId, report, agencySignature, agencyAccredited);

        bool material = request.ground == ITradeEscrow.ClaimGround.MaterialDamage;
        c.status = ITradeEscrow.ClaimStatus.Filed;
        c.ground = request.ground;
        c.refundBps = material ? uint16(TradeMath.BPS) : request.refundBps;
        c.filedAt = uint40(block.timestamp);
        // costs fit 96 bits (checked in _checkRequest).
        c.costs = uint96(request.costs);
        _emitFiled(tradeId, terms.arbitrator, c.refundBps, request, report);
    }

    /// @notice See `ITradeEscrow.submitInspectionReport`; the escrow checked the agency's accreditation.
    function submitInspectionReport(ITradeEscrow.InspectionReport calldata report) external {
        if (msg.sender != report.agency)
            revert ITradeEscrow.EscrowInvalidInspection(report.tradeId, msg.sender);
        bytes32 reportHash = TradeTerms.hashInspectionReport(report);
        EscrowStorage.layout().inspectionReports[reportHash] = true;
        emit ITradeEscrow.InspectionReportSubmitted(report.tradeId, report.agency, reportHash);
    }

    /// @notice See `ITradeEscrow.acceptClaim`.
    function acceptClaim(uint256 tradeId, ITradeEscrow.Terms calldata terms) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Claim storage c) = _loadAnswerable(
            $,
            tradeId,
            terms
        );
        uint256 deadline = BusinessDays.add(c.filedAt, terms.responseDays);
        if (block.timestamp > deadline) revert ITradeEscrow.EscrowDeadlinePassed(tradeId, deadline);
        _grantAsFiled($, tradeId, terms, t, c, ITradeEscrow.ClaimOutcome.Accepted);
    }

    /// @notice See `ITradeEscrow.enforceDefaultJudgment`.
    function enforceDefaultJudgment(uint256 tradeId, ITradeEscrow.Terms calldata terms) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        EscrowStorage.Trade storage t = TradeFlow.load($, tradeId, terms);
        EscrowStorage.Claim storage c = $.claims[tradeId];
        if (c.status != ITradeEscrow.ClaimStatus.Filed)
            revert ITradeEscrow.EscrowInvalidClaimStatus(tradeId, c.status);
        uint256 deadline = BusinessDays.add(c.filedAt, terms.responseDays);
        if (block.timestamp <= deadline)
            revert ITradeEscrow.EscrowDeadlineNotReached(tradeId, deadline);
        _grantAsFiled($, tradeId, terms, t, c, ITradeEscrow.ClaimOutcome.DefaultJudgment);
    }

    /// @notice See `ITradeEscrow.contestClaim`; the escrow checked the court's accreditation.
    function contestClaim(
        uint256 tradeId,
        ITradeEscrow.Terms calldata terms,
        bytes calldata counterEvidenceCid
    ) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (, EscrowStorage.Claim storage c) = _loadAnswerable($, tradeId, terms);
        uint256 deadline = BusinessDays.add(c.filedAt, terms.responseDays);
        if (block.timestamp > deadline) revert ITradeEscrow.EscrowDeadlinePassed(tradeId, deadline);
        IArbitrator court = IArbitrator(terms.arbitrator);
        uint256 cost = court.arbitrationCost(terms.arbitratorExtraData);
        if (msg.value != cost) revert ITradeEscrow.EscrowWrongValue(cost, msg.value);

        c.status = ITradeEscrow.ClaimStatus.Contested;
        uint256 disputeId = court.createDispute{value: msg.value}(CHOICES, courtExtraData(terms));
        c.disputeId = disputeId;
        $.disputeTrades[address(court)][disputeId] = tradeId;
        emit ITradeEscrow.ClaimContested(tradeId, address(court), disputeId);
        emit IEvidence.MetaEvidence(tradeId, terms.manifestCid);
        emit IEvidence.Dispute(court, disputeId, tradeId, tradeId);
        emit IEvidence.Evidence(court, tradeId, msg.sender, counterEvidenceCid);
    }

    /// @notice See `ITradeEscrow.settleClaim`.
    function settleClaim(
        bytes32 domainSeparator,
        uint256 tradeId,
        ITradeEscrow.Terms calldata terms,
        uint256 refund,
        ITradeEscrow.PartySignature calldata buyerSignature,
        ITradeEscrow.PartySignature calldata sellerSignature
    ) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        EscrowStorage.Trade storage t = TradeFlow.load($, tradeId, terms);
        EscrowStorage.Claim storage c = $.claims[tradeId];
        if (
            c.status != ITradeEscrow.ClaimStatus.Filed &&
            c.status != ITradeEscrow.ClaimStatus.Contested
        ) {
            revert ITradeEscrow.EscrowInvalidClaimStatus(tradeId, c.status);
        }
        if (refund > t.escrowed)
            revert ITradeEscrow.EscrowRefundTooLarge(tradeId, refund, t.escrowed);
        _consentToSettle($, domainSeparator, tradeId, refund, terms.buyer, buyerSignature);
        _consentToSettle($, domainSeparator, tradeId, refund, terms.seller, sellerSignature);
        _resolve($, tradeId, terms, t, c, ITradeEscrow.ClaimOutcome.Settled, refund, 0);
    }

    /// @notice Records the court's final ruling (`IArbitrable.rule`). Never reverts for a dispute of a
    /// claim that was settled meanwhile, so the court can always finish.
    function recordRuling(uint256 disputeId, uint256 ruling) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        uint256 tradeId = $.disputeTrades[msg.sender][disputeId];
        if (tradeId == 0) revert ITradeEscrow.EscrowUnknownDispute(msg.sender, disputeId);
        emit IArbitrable.Ruling(IArbitrator(msg.sender), disputeId, ruling);
        EscrowStorage.Claim storage c = $.claims[tradeId];
        if (c.status != ITradeEscrow.ClaimStatus.Contested || c.disputeId != disputeId) return;
        c.status = ITradeEscrow.ClaimStatus.Ruled;
        // A ruling above the choices is read as the highest choice.
        c.ruling = uint32(ruling > CHOICES ? CHOICES : ruling);
        emit ITradeEscrow.ClaimRuled(tradeId, disputeId, c.ruling);
    }

    /// @notice See `ITradeEscrow.executeRuling`. `bondToken` is the token of operators' bonds.
    function executeRuling(
        uint256 tradeId,
        ITradeEscrow.Terms calldata terms,
        address bondToken
    ) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        EscrowStorage.Trade storage t = TradeFlow.load($, tradeId, terms);
        EscrowStorage.Claim storage c = $.claims[tradeId];
        if (c.status != ITradeEscrow.ClaimStatus.Ruled)
            revert ITradeEscrow.EscrowInvalidClaimStatus(tradeId, c.status);
        uint256 asked = c.refundBps;
        uint256 ruling = c.ruling;
        // A court that refused to rule leaves the claim unproven either way: half of what was asked.
        uint256 bps = ruling == 0 ? asked / 2 : (ruling - 1 < asked ? ruling - 1 : asked);
        uint256 refund = TradeMath.refund(terms.price, bps);
        bool fullRefund = bps == TradeMath.BPS;
        uint256 costs =
            c.ground == ITradeEscrow.ClaimGround.MaterialDamage && fullRefund ? c.costs : 0;
        // Only a ruling for the buyer finds the attestation false; a refusal (0) proves nothing. Only an
        // operator that attested on this trade answers for it, not one the parties designated afterwards.
        address slashed =
            c.ground == ITradeEscrow.ClaimGround.FalseAttestation &&
            ruling > 1 &&
            t.flags & EscrowStorage.OPERATOR_ATTESTED != 0
                ? terms.operator
                : address(0);
        _resolve($, tradeId, terms, t, c, ITradeEscrow.ClaimOutcome.Ruling, refund, costs);
        if (slashed != address(0)) _slash($, tradeId, slashed, terms.buyer, bondToken, bps);
    }

    /// @notice See `ITradeEscrow.appealRuling`.
    function appealRuling(uint256 tradeId, ITradeEscrow.Terms calldata terms) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        TradeFlow.load($, tradeId, terms);
        if (msg.sender != terms.buyer && msg.sender != terms.seller) {
            revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        }
        EscrowStorage.Claim storage c = $.claims[tradeId];
        if (c.status != ITradeEscrow.ClaimStatus.Contested)
            revert ITradeEscrow.EscrowInvalidClaimStatus(tradeId, c.status);
        // The court checks the appeal window and the fee, and refuses a second appeal.
        IArbitrator(terms.arbitrator).appeal{value: msg.value}(
            c.disputeId,
            terms.arbitratorExtraData
        );
    }

    /// @notice The extraData a contest sends the court: the trade's court terms with the parties appended,
    /// so the court never draws them onto the panel.
    function courtExtraData(
        ITradeEscrow.Terms calldata terms
    ) internal pure returns (bytes memory) {
        return
            bytes.concat(
                terms.arbitratorExtraData,
                abi.encode([terms.buyer, terms.seller, terms.operator])
            );
    }

    /// @notice See `ITradeEscrow.submitEvidence`.
    function submitEvidence(
        uint256 tradeId,
        ITradeEscrow.Terms calldata terms,
        bytes calldata evidenceCid
    ) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        TradeFlow.load($, tradeId, terms);
        if (
            msg.sender != terms.buyer && msg.sender != terms.seller && msg.sender != terms.operator
        ) {
            revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        }
        if (!TradeFlow.claimOpen($, tradeId))
            revert ITradeEscrow.EscrowInvalidClaimStatus(tradeId, $.claims[tradeId].status);
        emit IEvidence.Evidence(IArbitrator(terms.arbitrator), tradeId, msg.sender, evidenceCid);
    }

    // ---------------------------------------------------------------- private

    function _emitFiled(
        uint256 tradeId,
        address arbitrator,
        uint16 refundBps,
        ITradeEscrow.ClaimRequest calldata request,
        ITradeEscrow.InspectionReport calldata report
    ) private {
        emit ITradeEscrow.ClaimFiled(
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
        ITradeEscrow.ClaimRequest calldata request,
        ITradeEscrow.InspectionReport calldata report
    ) private pure {
        bool material = request.ground == ITradeEscrow.ClaimGround.MaterialDamage;
        bool valid =
            material
                ? report.material && request.costs <= type(uint96).max
                : request.costs == 0 &&
                    request.refundBps != 0 &&
                    request.refundBps <= report.varianceBps;
        if (!valid || report.varianceBps > TradeMath.BPS) {
            revert ITradeEscrow.EscrowInvalidClaim(
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
        ITradeEscrow.InspectionReport calldata report,
        bytes calldata signature,
        bool agencyAccredited
    ) private {
        if (report.tradeId != tradeId || !agencyAccredited) {
            revert ITradeEscrow.EscrowInvalidInspection(tradeId, report.agency);
        }
        bytes32 reportHash = TradeTerms.hashInspectionReport(report);
        if (signature.length == 0) {
            if (!$.inspectionReports[reportHash])
                revert ITradeEscrow.EscrowInvalidInspection(tradeId, report.agency);
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

    function _loadAnswerable(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        ITradeEscrow.Terms calldata terms
    ) private view returns (EscrowStorage.Trade storage t, EscrowStorage.Claim storage c) {
        t = TradeFlow.load($, tradeId, terms);
        if (msg.sender != terms.seller) revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        c = $.claims[tradeId];
        if (c.status != ITradeEscrow.ClaimStatus.Filed)
            revert ITradeEscrow.EscrowInvalidClaimStatus(tradeId, c.status);
    }

    /// @dev The claim granted as the buyer filed it (accepted, or by default).
    function _grantAsFiled(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        ITradeEscrow.Terms calldata terms,
        EscrowStorage.Trade storage t,
        EscrowStorage.Claim storage c,
        ITradeEscrow.ClaimOutcome outcome
    ) private {
        uint256 refund = TradeMath.refund(terms.price, c.refundBps);
        uint256 costs = c.ground == ITradeEscrow.ClaimGround.MaterialDamage ? c.costs : 0;
        _resolve($, tradeId, terms, t, c, outcome, refund, costs);
    }

    function _consentToSettle(
        EscrowStorage.Layout storage $,
        bytes32 domainSeparator,
        uint256 tradeId,
        uint256 refund,
        address party,
        ITradeEscrow.PartySignature calldata signature
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
        ITradeEscrow.Terms calldata terms,
        EscrowStorage.Trade storage t,
        EscrowStorage.Claim storage c,
        ITradeEscrow.ClaimOutcome outcome,
        uint256 refund,
        uint256 costs
    ) private {
        // A slashed operator's bond is paid by the caller after the resolution (see executeRuling).
        if (refund > t.escrowed) refund = t.escrowed;
        if (costs > t.sellerBond) costs = t.sellerBond;
        c.status = ITradeEscrow.ClaimStatus.Resolved;
        // refund <= escrowed and costs <= sellerBond, both below 2**96; refunds never exceed the price.
        t.escrowed -= uint96(refund);
        t.refunded += uint96(refund);
        t.flags |= EscrowStorage.SOME_REFUNDED;
        t.sellerBond -= uint96(costs);
        emit ITradeEscrow.ClaimResolved(tradeId, outcome, refund, costs);
        if (refund + costs != 0)
            TradeFlow.credit($, terms.buyer, terms.token, tradeId, refund + costs);

        if (t.escrowed == 0) {
            // A lot still held ends with the trade: its receipt stays with the escrow, void.
            t.flags &= ~(EscrowStorage.PENDING_LOT | EscrowStorage.PENDING_TITLE);
            t.pendingQuantity = 0;
            t.pendingTime = 0;
            TradeFlow.setState(tradeId, t, ITradeEscrow.TradeState.Refunded);
            TradeFlow.close($, tradeId, terms, t);
        } else if (
            t.state == ITradeEscrow.TradeState.Delivered &&
            block.timestamp > TradeFlow.claimWindowStart(t) + terms.claimWindow
        ) {
            TradeFlow.setState(tradeId, t, ITradeEscrow.TradeState.Completed);
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
        emit ITradeEscrow.OperatorSlashed(operator, tradeId, to, amount);
        TradeFlow.credit($, to, bondToken, tradeId, amount);
    }
}
