// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrowTypes} from "./ITradeEscrowTypes.sol";

/// @title ITradeEscrowErrors
/// @notice The escrow's custom errors, each with the values that explain it. `ITradeEscrow`
/// inherits them.
interface ITradeEscrowErrors is ITradeEscrowTypes {
    /// @notice The trade does not exist.
    error EscrowUnknownTrade(uint256 tradeId);
    /// @notice The action is not allowed in the trade's current state.
    error EscrowInvalidState(uint256 tradeId, TradeState current);
    /// @notice The state machine has no edge from `from` to `to` (an internal guard).
    error EscrowInvalidTransition(uint256 tradeId, TradeState from, TradeState to);
    /// @notice A claim has no edge from `from` to `to` (an internal guard).
    error EscrowInvalidClaimTransition(uint256 tradeId, ClaimStatus from, ClaimStatus to);
    /// @notice The terms an acceptor names do not hash to the terms proposed.
    error EscrowTermsMismatch(uint256 tradeId, bytes32 committed, bytes32 given);
    /// @notice `caller` is not the party this action belongs to.
    error EscrowUnauthorized(uint256 tradeId, address caller);
    /// @notice Only the buyer or the seller the terms name may propose them.
    error EscrowNotAParty(address caller, address buyer, address seller);
    /// @notice Buyer and seller must be two different non-zero addresses.
    error EscrowInvalidParties(address buyer, address seller);
    /// @notice The operator is not accredited.
    error EscrowOperatorNotAccredited(address operator);
    /// @notice The operator's bond is below what the admin requires.
    error EscrowOperatorBondTooLow(address operator, uint256 bond, uint256 required);
    /// @notice An amount is zero or does not fit the escrow's 96-bit accounting.
    error EscrowInvalidAmount(uint256 amount);
    /// @notice Quantity and lots must be positive, with no more lots than units.
    error EscrowInvalidQuantity(uint64 quantity, uint16 lots);
    /// @notice A basis-point term is out of range.
    error EscrowInvalidBps(uint16 value);
    /// @notice The terms' fee differs from the fee in force (at opening) or the original fee (on
    /// amendment).
    error EscrowFeeMismatch(uint16 termsFee, uint16 expectedFee);
    /// @notice The latest delivery time is not after the block's time (or beyond 2**40).
    error EscrowInvalidSchedule(uint64 latestDelivery, uint32 depositWindow, uint8 fulfilmentDays);
    /// @notice A duration the terms need is zero: `term` names it.
    error EscrowMissingDuration(ScheduleTerm term);
    /// @notice An amendment may not change the parties, the payment token or the payment mode.
    error EscrowAmendmentChangesParties(uint256 tradeId);
    /// @notice An amendment may not lower the price below what was already released, or drop lots
    /// already delivered.
    error EscrowAmendmentBelowDelivered(uint256 tradeId, uint256 price, uint16 lots);
    /// @notice The deadline for this action has passed.
    error EscrowDeadlinePassed(uint256 tradeId, uint256 deadline);
    /// @notice The deadline has not passed yet, so the action (a cancellation, a release, a default
    /// judgment, a confirmation by someone other than the buyer) is not available.
    error EscrowDeadlineNotReached(uint256 tradeId, uint256 deadline);
    /// @notice The native coin sent differs from the amount due.
    error EscrowWrongValue(uint256 expected, uint256 sent);
    /// @notice The token delivered less than it was asked to transfer (fee-on-transfer and the
    /// like).
    error EscrowTokenShortfall(address token, uint256 expected, uint256 received);
    /// @notice Nothing is due.
    error EscrowNothingDue(uint256 tradeId);
    /// @notice The balance must be paid before this action.
    error EscrowBalanceDue(uint256 tradeId, uint256 due);
    /// @notice The seller's performance bond must be posted before this action.
    error EscrowSellerBondDue(uint256 tradeId, uint256 due);
    /// @notice The signature is not `signer`'s (EOA or ERC-1271 contract wallet), or, empty, the
    /// caller is not `signer`.
    error EscrowInvalidSignature(address signer);
    /// @notice The signature's deadline has passed.
    error EscrowSignatureExpired(address signer, uint256 deadline);
    /// @notice The signature's nonce was used or invalidated.
    error EscrowNonceUsed(address signer, uint256 nonce);
    /// @notice The attestation names a lot other than the one expected.
    error EscrowInvalidLot(uint256 tradeId, uint16 expected, uint16 given);
    /// @notice The attested receipt time is before the goods were shipped or in the future.
    error EscrowAttestedTimeOutOfRange(uint64 time, uint256 notBefore, uint256 notAfter);
    /// @notice An attested lot must hold some quantity.
    error EscrowZeroQuantity(uint256 tradeId, uint16 lot);
    /// @notice The attestation does not apply now: the port arrival was attested already.
    error EscrowInvalidAttestation(uint256 tradeId, AttestationKind kind);
    /// @notice The milestone cannot be recorded this way (dispatch is recorded by shipping, port
    /// arrival by the operator's attestation).
    error EscrowInvalidMilestone(Milestone milestone);
    /// @notice The account has nothing to withdraw in this token.
    error EscrowNothingToWithdraw(address account, address token);
    /// @notice The fee is above the deployment's cap.
    error EscrowFeeAboveCap(uint16 feeBps, uint16 cap);
    /// @notice The claim window is not open: not yet (`windowEnd` 0) or over.
    error EscrowClaimWindowClosed(uint256 tradeId, uint256 windowEnd);
    /// @notice The action needs the claim in another status.
    error EscrowInvalidClaimStatus(uint256 tradeId, ClaimStatus status);
    /// @notice The claim asks for more than the inspection found, or is malformed.
    error EscrowInvalidClaim(uint256 tradeId, ClaimGround ground, uint16 refundBps, uint256 costs);
    /// @notice The inspection report is not for this trade, not by an accredited agency, or not
    /// attested.
    error EscrowInvalidInspection(uint256 tradeId, address agency);
    /// @notice The court is not accredited.
    error EscrowArbitratorNotAccredited(address arbitrator);
    /// @notice `caller` is not the court of any dispute with that id.
    error EscrowUnknownDispute(address caller, uint256 disputeId);
    /// @notice A settlement cannot refund more than the escrow holds; a voluntary refund must be
    /// above 0 and at most what the buyer paid and has not had back.
    error EscrowRefundTooLarge(uint256 tradeId, uint256 refund, uint256 escrowed);
    /// @notice The terms do not fit their payment mode (see `Terms.mode`), or the action is not for
    /// this mode.
    error EscrowInvalidTermsForMode(PaymentMode mode);
    /// @notice The buyer's recorded credit score is missing, not above the threshold, or expired
    /// (an oracle no longer accredited is `EscrowOracleNotAccredited`).
    error EscrowCreditRefused(address buyer, uint16 score, uint16 threshold, uint256 expiresAt);
    /// @notice A credit attestation older than the one recorded.
    error EscrowCreditStale(address buyer, uint64 issuedAt, uint64 latest);
    /// @notice The oracle is not accredited.
    error EscrowOracleNotAccredited(address oracle);
    /// @notice The guarantor pool cannot cover this (uncommitted balance `available`).
    error EscrowPoolInsufficient(address token, uint256 available, uint256 needed);
    /// @notice The buyer has not authorised the escrow to collect the price.
    error EscrowAllowanceTooLow(address token, uint256 allowance, uint256 needed);
    /// @notice The buyer owes nothing in this token, or less than it tried to repay.
    error EscrowNothingOwed(address buyer, address token, uint256 owed);
    /// @notice Pay after use is refused to a buyer that owes the pool in the trade's token.
    error EscrowDebtOutstanding(address buyer, address token, uint256 owed);
    /// @notice The pool would guarantee more for one buyer than the trade's cap allows.
    error EscrowExposureAboveCap(address buyer, address token, uint256 exposure, uint256 cap);
    /// @notice A permit was given for a trade paid in the native coin, which has none.
    error EscrowPermitForNativeCoin();
    /// @notice The payment token is neither the native coin (address 0) nor a contract.
    error EscrowInvalidToken(address token);
    /// @notice The terms must commit the manifest of goods and documents.
    error EscrowMissingManifest();
    /// @notice A zero address where an account is needed.
    error EscrowZeroAddress();
    /// @notice The operator's bond cannot go below its requirement while it has open trades.
    error EscrowOperatorBondLocked(address operator, uint256 openTrades);
    /// @notice A batch's arrays differ in length.
    error EscrowBatchLengthMismatch(uint256 attestations, uint256 signatures);
    /// @notice Item `index` of a batch failed with `reason` (the error the single call would have
    /// raised); the whole batch reverted.
    error EscrowBatchItemFailed(uint256 index, bytes reason);
}
