// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IArbitrable} from "./IArbitrable.sol";
import {IEvidence} from "./IEvidence.sol";

/// @title ITradeEscrow
/// @notice One escrow holds many cross-border trades. The buyer's money is released to the seller only
/// when the designated warehouse operator attests that title to the goods has passed to the buyer.
/// @dev Every step but opening names its trade by id alone: the escrow keeps each trade's terms in force
/// (all but the manifest's CID), written at opening and at each amendment, and returns them from
/// `termsOf`. The terms are emitted in full, with their EIP-712 hash the parties signed, when a trade
/// opens and at every amendment, so events alone rebuild every trade.
interface ITradeEscrow is IArbitrable, IEvidence {
    // ------------------------------------------------------------------------------------------------
    // Types
    // ------------------------------------------------------------------------------------------------

    /// @notice Where a trade stands. Transitions are listed in `TradeFlow._ALLOWED_TRANSITIONS`.
    enum TradeState {
        None, // no such trade
        Proposed, // one party has signed on chain; the other has not yet accepted
        Signed, // the electronic contract: both signed; the deposit is due
        Deposited, // the deposit is in; the seller must start fulfilment
        InFulfilment, // the seller has started; the balance is due before shipment
        Shipped, // goods dispatched (or between lots); awaiting the operator's receipt
        Received, // the operator holds the lot and its warehouse receipt; title transfer pending
        Halted, // an attestation broke the terms (quantity or time); needs an amendment
        Delivered, // title to every lot has passed; release waits for the claim window
        Completed, // the seller has been paid
        Cancelled, // ended without delivery; refunds credited
        Refunded // a claim refunded the whole price; the trade is over
    }

    /// @notice How the buyer pays (SPEC: protected trade, direct payment, pay after use).
    enum PaymentMode {
        Protected, // escrow: deposit and balance held until title passes
        Direct, // e-remittance: the buyer pays in full and the seller is credited at once; no protection
        PayAfterUse // nothing up front; the price is collected from the buyer after delivery, guaranteed by the pool
    }

    /// @notice What a warehouse operator attests.
    enum AttestationKind {
        Receipt, // the lot is in the warehouse: quantity and time; a warehouse receipt is issued to the escrow
        TitleTransfer, // title to the received lot passes to the buyer; the lot's money is released
        ReceiptAndTitleTransfer, // both at once
        PortArrival // the goods arrived at the port of destination; the claim window opens
    }

    /// @notice Why the buyer claims a refund (SPEC "Claims and non-conformance").
    enum ClaimGround {
        SpecificationVariance, // e.g. contracted 2023 2.8T diesel, delivered 2022 2.7L petrol
        OdometerDiscrepancy, // mileage beyond the documented figure by more than the threshold
        UndisclosedRepairs, // unreported major repairs to critical components
        MaterialDamage, // accident or flood damage: full price plus costs from the seller's bond
        FalseAttestation // an attestation was false: a ruling for the buyer slashes the operator, if it attested
    }

    /// @notice Where a claim stands.
    enum ClaimStatus {
        None,
        Filed, // the seller must answer within the response window
        Contested, // before the court
        Ruled, // the court ruled; anyone executes the ruling
        Resolved // the refund executed (accepted, settled, default judgment or ruling)
    }

    /// @notice How a claim was resolved.
    enum ClaimOutcome {
        Accepted,
        Settled,
        DefaultJudgment,
        Ruling
    }

    /// @notice Logistics milestones after dispatch.
    enum Milestone {
        Dispatched,
        Departed,
        ArrivedAtPort,
        CustomsCleared
    }

    /// @notice Why a trade ended without delivery.
    enum CancelReason {
        ProposalWithdrawn, // the proposer withdrew before the other party accepted
        DepositMissed, // the buyer did not pay the deposit in the deposit window
        FulfilmentNotStarted, // the seller did not start fulfilment in time; the buyer is refunded in full
        BalanceMissed, // the latest delivery time passed with the balance unpaid; the deposit is refunded
        NotShipped, // the latest delivery time passed, fully paid but not shipped; the buyer is refunded
        NotDelivered, // shipped, but no conforming delivery by the latest delivery time plus the grace period
        TitleNotAttested // received in the terms, but title never attested within the grace period: no fault
    }

    /// @notice A duration of the terms that must not be zero (where the mode needs it).
    enum ScheduleTerm {
        DepositWindow, // every trade: the deposit (direct: the payment) is due within it
        FulfilmentDays, // every trade: the seller starts within them
        ResponseDays, // a trade with a claim window: the seller answers a claim within them
        DeliveryGrace, // goods paid for or guaranteed (not direct): an undelivered trade ends after it
        ShipWindow // a protected trade with a balance: the seller ships within it once the balance is in
    }

    /// @notice The terms of the electronic purchase contract; every duration, share and amount is a term.
    /// @dev The goods description, delivery place and attached documents live in the manifest on IPFS,
    /// committed by `manifestCid` (binary CID). `price` and `sellerBond` must fit in 96 bits.
    struct Terms {
        address buyer;
        address seller;
        address operator; // the designated warehouse operator
        address token; // payment token; address(0) for the native coin
        PaymentMode mode; // Direct: depositBps 10,000, no claim window, no bond; PayAfterUse: ERC-20, depositBps 0
        uint256 price; // total price in the token's smallest unit
        uint64 quantity; // contracted quantity, in the manifest's unit
        uint16 toleranceBps; // accepted deviation of the total quantity, in basis points
        uint16 depositBps; // deposit share of the price, in basis points (default 3,000)
        uint16 lots; // most lots the goods arrive in; a lot that reaches the tolerance floor is the last
        uint64 latestDelivery; // latest time a lot may be received (unix seconds)
        uint32 shipWindow; // the balance is due this long before latestDelivery; paid late, delivery moves with it
        uint32 deliveryGrace; // after latestDelivery, an undelivered trade may be cancelled (not for Direct)
        uint32 depositWindow; // seconds after signing within which the deposit is due (default 72 h)
        uint8 fulfilmentDays; // business days after the deposit within which fulfilment must start (default 3)
        uint32 claimWindow; // seconds from port arrival (or delivery) to claim; release waits (0: at once)
        uint8 responseDays; // business days the seller has to answer a claim (default 7)
        uint32 collectAfter; // seconds after delivery (pay after use) or shipment (direct) to confirm automatically
        uint16 feeBps; // platform fee on release, in basis points; must equal the fee in force at opening
        uint256 sellerBond; // performance bond the seller posts before starting (0 for none)
        address arbitrator; // the accredited court (ERC-792) that hears contested claims
        bytes arbitratorExtraData; // the court's terms for this trade (panel size, windows, fees)
        bytes manifestCid; // binary CID of the manifest of goods, delivery place and documents
    }

    /// @notice A party's consent given off chain: an EIP-712 signature with its own nonce and deadline.
    /// @dev A party that calls the function itself passes an empty `signature` and is not asked for one.
    struct PartySignature {
        uint256 nonce;
        uint256 deadline;
        bytes signature;
    }

    /// @notice An operator's attestation about one lot of one trade.
    struct Attestation {
        uint256 tradeId;
        AttestationKind kind;
        uint16 lot; // 1-based lot number
        uint64 quantity; // quantity received in this lot (ignored for TitleTransfer)
        uint64 time; // when the lot was received (ignored for TitleTransfer)
        bytes documentCid; // the warehouse receipt or title document on IPFS (binary CID; may be empty)
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice A claim as the buyer files it.
    struct ClaimRequest {
        ClaimGround ground;
        uint16 refundBps; // refund asked, in basis points of the price (material damage: the whole price)
        uint256 costs; // material damage only: logistics, customs and inspection costs to reimburse
        bytes evidenceCid; // photos and videos: a manifest on IPFS
    }

    /// @notice An accredited inspection agency's report on the delivered goods.
    struct InspectionReport {
        uint256 tradeId;
        address agency;
        uint16 varianceBps; // the variance the agency found, in basis points of the price
        bool material; // the agency found material damage (accident, flood)
        bytes reportCid; // the report on IPFS
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice A claim as `claim(tradeId)` returns it.
    struct ClaimView {
        ClaimStatus status;
        ClaimGround ground;
        uint16 refundBps;
        uint40 filedAt;
        uint256 costs;
        uint256 disputeId;
        uint256 ruling;
    }

    /// @notice An accredited credit oracle's attestation of a buyer's score (EIP-712 `CreditScore`).
    struct CreditScore {
        address buyer;
        uint16 score;
        uint64 issuedAt;
        uint64 expiresAt;
        uint256 nonce; // single use; the oracle revokes an unrecorded attestation by invalidating its nonce
    }

    /// @notice A buyer's latest recorded credit score.
    struct CreditView {
        uint16 score;
        uint40 issuedAt;
        uint40 expiresAt;
        address oracle;
    }

    /// @notice An EIP-2612 permit the escrow submits for the buyer before pulling a payment.
    struct Permit {
        uint256 value;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice The terms in force of a trade as the escrow keeps them, as `termsOf(tradeId)` returns them:
    /// every member of `Terms` but the manifest's CID, which TradeOpened and TradeAmended carry.
    struct TermsView {
        address buyer;
        address seller;
        address operator;
        address token;
        PaymentMode mode;
        uint256 price;
        uint64 quantity;
        uint16 toleranceBps;
        uint16 depositBps;
        uint16 lots;
        uint64 latestDelivery;
        uint32 shipWindow;
        uint32 deliveryGrace;
        uint32 depositWindow;
        uint8 fulfilmentDays;
        uint32 claimWindow;
        uint8 responseDays;
        uint32 collectAfter;
        uint16 feeBps;
        uint256 sellerBond;
        address arbitrator; // zero for a trade without a claim window
        bytes arbitratorExtraData;
    }

    /// @notice The stored state of a trade, as `trade(tradeId)` returns it.
    struct TradeView {
        TradeState state;
        uint16 version; // amendment version; 0 for the original terms
        uint16 lotsDone; // lots whose title has passed to the buyer
        bool proposedBySeller;
        bool pendingLot; // lot `lotsDone + 1` is received and held by the escrow
        bool pendingTitle; // the operator already attested the pending lot's title transfer
        uint40 stageAt; // when the current stage began (for a finished trade: when it finished)
        uint256 escrowed; // buyer money held for this trade
        uint64 receivedQuantity; // quantity of the lots whose title has passed
        uint256 released; // money released to seller and treasury before the last lot
        uint64 pendingQuantity;
        uint64 pendingTime;
        uint256 sellerBond; // seller's performance bond held for this trade
        uint64 arrivedAt; // when the port arrival was attested (the block's time: the claim window's start; 0 before)
        uint256 refunded; // refunded to the buyer by claims: the price still owed is price - refunded
    }

    // ------------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------------

    /// @notice A trade moved from one state to another. Emitted by every state change.
    event TradeStateChanged(uint256 indexed tradeId, TradeState from, TradeState to);

    /// @notice One party signed terms on chain; the other party has yet to accept them.
    event TradeProposed(
        uint256 indexed tradeId,
        address indexed proposer,
        bytes32 termsHash,
        Terms terms
    );

    /// @notice Both parties signed: the electronic contract exists (in one transaction, or when the
    /// counterparty accepted a proposal).
    event TradeOpened(
        uint256 indexed tradeId,
        address indexed buyer,
        address indexed seller,
        bytes32 termsHash,
        Terms terms
    );

    /// @notice The buyer paid the deposit.
    event DepositPaid(uint256 indexed tradeId, address indexed payer, uint256 amount);

    /// @notice The buyer paid (part of) the balance.
    event BalancePaid(uint256 indexed tradeId, address indexed payer, uint256 amount);

    /// @notice The seller posted (or topped up) the performance bond.
    event SellerBondPosted(uint256 indexed tradeId, address indexed seller, uint256 amount);

    /// @notice The seller started fulfilment.
    event FulfilmentStarted(uint256 indexed tradeId);

    /// @notice The seller dispatched the goods with the shipping documents (bill of lading, waybill,
    /// customs declaration) committed by `documentsCid`.
    event GoodsShipped(uint256 indexed tradeId, bytes documentsCid);

    /// @notice A logistics milestone, with its supporting document.
    event MilestoneRecorded(
        uint256 indexed tradeId,
        Milestone indexed milestone,
        address indexed recordedBy,
        bytes documentCid
    );

    /// @notice The operator received a lot; a warehouse receipt token was minted to `holder` (the escrow,
    /// or the buyer when title passed in the same attestation). `kind` is the attestation: a combined one
    /// held by the escrow (the lot halted) passes title as soon as an amendment makes the lot conform.
    event LotReceived(
        uint256 indexed tradeId,
        uint16 indexed lot,
        address indexed operator,
        uint256 receiptId,
        uint64 quantity,
        uint64 receivedAt,
        address holder,
        AttestationKind kind,
        bytes documentCid
    );

    /// @notice The lot's attestation broke the terms. `reasons` is a bit set: 1 quantity, 2 late.
    event TradeHalted(
        uint256 indexed tradeId,
        uint16 indexed lot,
        uint8 reasons,
        uint64 quantity,
        uint64 receivedAt
    );

    /// @notice Title to a lot passed to the buyer with its warehouse receipt.
    event TitleTransferred(
        uint256 indexed tradeId,
        uint16 indexed lot,
        address indexed buyer,
        uint256 receiptId
    );

    /// @notice Money left the trade to the seller and the treasury.
    event FundsReleased(uint256 indexed tradeId, uint256 sellerAmount, uint256 fee);

    /// @notice The operator attested the goods' arrival at the port of destination (at `arrivedAt`, as it
    /// attests); the claim window opens at the time of the block that carries this event.
    event PortArrivalAttested(uint256 indexed tradeId, address indexed operator, uint64 arrivedAt);

    /// @notice An accredited agency lodged an inspection report on chain (instead of signing it).
    event InspectionReportSubmitted(
        uint256 indexed tradeId,
        address indexed agency,
        bytes32 reportHash
    );

    /// @notice The buyer filed a claim, backed by `agency`'s inspection report.
    event ClaimFiled(
        uint256 indexed tradeId,
        ClaimGround ground,
        uint16 refundBps,
        uint256 costs,
        address indexed agency,
        bytes reportCid,
        bytes evidenceCid
    );

    /// @notice The seller contested the claim; the court opened dispute `disputeId`.
    event ClaimContested(
        uint256 indexed tradeId,
        address indexed arbitrator,
        uint256 indexed disputeId
    );

    /// @notice The court's final ruling on the trade's claim (choice `refundBps + 1`; 0 when it refused).
    event ClaimRuled(uint256 indexed tradeId, uint256 indexed disputeId, uint256 ruling);

    /// @notice The claim was resolved: `refund` from escrow and `costs` from the seller's bond to the buyer.
    event ClaimResolved(
        uint256 indexed tradeId,
        ClaimOutcome outcome,
        uint256 refund,
        uint256 costs
    );

    /// @notice A ruling found the operator's attestation false; its whole bond went to the buyer.
    event OperatorSlashed(
        address indexed operator,
        uint256 indexed tradeId,
        address indexed to,
        uint256 amount
    );

    /// @notice The buyer of a direct trade paid the price; the seller was credited at once.
    event DirectPaid(uint256 indexed tradeId, address indexed payer, uint256 amount);

    /// @notice The seller of a direct trade refunded the buyer of its own accord.
    event VoluntaryRefund(uint256 indexed tradeId, address indexed seller, uint256 amount);

    /// @notice Receipt was confirmed, by the buyer or automatically after `collectAfter`.
    event ReceiptConfirmed(uint256 indexed tradeId, address indexed by);

    /// @notice A credit oracle's score for a buyer was recorded.
    event CreditScoreRecorded(
        address indexed buyer,
        address indexed oracle,
        uint16 score,
        uint64 issuedAt,
        uint64 expiresAt,
        uint256 nonce
    );

    /// @notice The price of a pay-after-use trade was collected from the buyer.
    event PaymentCollected(uint256 indexed tradeId, address indexed buyer, uint256 amount);

    /// @notice Collection fell short by `shortfall`: the guarantor pool paid it and the buyer owes it.
    event CollectionFailed(
        uint256 indexed tradeId,
        address indexed buyer,
        address indexed token,
        uint256 shortfall
    );

    /// @notice A buyer repaid `amount` of its debt in `token` to the pool; `remaining` is still owed.
    event DebtRepaid(
        address indexed buyer,
        address indexed token,
        uint256 amount,
        uint256 remaining
    );

    /// @notice The guarantor pool of `token` changed by `delta` (funded positive, withdrawn negative).
    event PoolChanged(
        address indexed token,
        address indexed account,
        int256 delta,
        uint256 balance
    );

    /// @notice The guarantee of a pay-after-use trade was reserved (`committed` up) or released.
    event GuaranteeChanged(uint256 indexed tradeId, address indexed token, uint256 committed);

    /// @notice The admin set the credit threshold: a buyer needs a score above it to pay after use.
    event CreditThresholdSet(uint16 threshold);

    /// @notice The admin set the cap of one buyer's exposure to the pool of `token`, for new trades.
    event BuyerExposureCapSet(address indexed token, uint256 cap);

    /// @notice Both parties signed an amendment; `terms` is the new version.
    event TradeAmended(
        uint256 indexed tradeId,
        uint16 indexed version,
        bytes32 termsHash,
        Terms terms
    );

    /// @notice The trade ended without delivery. The seller's bond goes to the buyer when the seller
    /// defaulted (fulfilment not started, nothing shipped) and back to the seller otherwise.
    event TradeCancelled(
        uint256 indexed tradeId,
        CancelReason reason,
        uint256 buyerRefund,
        uint256 bondToBuyer,
        uint256 bondToSeller
    );

    /// @notice Money became withdrawable by `account` (a payout, refund, returned bond or fee).
    event Credited(
        address indexed account,
        address indexed token,
        uint256 indexed tradeId,
        uint256 amount
    );

    /// @notice `account` withdrew its balance of `token`.
    event Withdrawn(address indexed account, address indexed token, uint256 amount);

    /// @notice The admin set the bond `operator` must hold to be designated.
    event OperatorBondRequirementSet(address indexed operator, uint256 amount);

    /// @notice An operator's bond changed by `delta` (posted positive, withdrawn negative).
    event OperatorBondChanged(address indexed operator, int256 delta, uint256 bond);

    /// @notice The platform fee changed.
    event FeeSet(uint16 feeBps);

    /// @notice The treasury that receives fees changed.
    event TreasurySet(address indexed treasury);

    /// @notice `signer` invalidated one of its signature nonces.
    event NonceInvalidated(address indexed signer, uint256 nonce);

    // ------------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------------

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
    /// @notice The terms' fee differs from the fee in force (at opening) or the original fee (on amendment).
    error EscrowFeeMismatch(uint16 termsFee, uint16 expectedFee);
    /// @notice The latest delivery time is not after the block's time (or beyond 2**40).
    error EscrowInvalidSchedule(uint64 latestDelivery, uint32 depositWindow, uint8 fulfilmentDays);
    /// @notice A duration the terms need is zero: `term` names it.
    error EscrowMissingDuration(ScheduleTerm term);
    /// @notice An amendment may not change the parties, the payment token or the payment mode.
    error EscrowAmendmentChangesParties(uint256 tradeId);
    /// @notice An amendment may not lower the price below what was already released, or drop lots already delivered.
    error EscrowAmendmentBelowDelivered(uint256 tradeId, uint256 price, uint16 lots);
    /// @notice The deadline for this action has passed.
    error EscrowDeadlinePassed(uint256 tradeId, uint256 deadline);
    /// @notice The deadline has not passed yet, so the cancellation is not available.
    error EscrowDeadlineNotReached(uint256 tradeId, uint256 deadline);
    /// @notice The native coin sent differs from the amount due.
    error EscrowWrongValue(uint256 expected, uint256 sent);
    /// @notice The token delivered less than it was asked to transfer (fee-on-transfer and the like).
    error EscrowTokenShortfall(address token, uint256 expected, uint256 received);
    /// @notice Nothing is due.
    error EscrowNothingDue(uint256 tradeId);
    /// @notice The balance must be paid before this action.
    error EscrowBalanceDue(uint256 tradeId, uint256 due);
    /// @notice The seller's performance bond must be posted before this action.
    error EscrowSellerBondDue(uint256 tradeId, uint256 due);
    /// @notice The signature is not `signer`'s (EOA or ERC-1271 contract wallet).
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
    /// @notice The attestation kind does not apply to the trade's current state.
    error EscrowInvalidAttestation(uint256 tradeId, AttestationKind kind);
    /// @notice The milestone cannot be recorded this way (dispatch is recorded by shipping).
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
    /// @notice The inspection report is not for this trade, not by an accredited agency, or not attested.
    error EscrowInvalidInspection(uint256 tradeId, address agency);
    /// @notice The court is not accredited.
    error EscrowArbitratorNotAccredited(address arbitrator);
    /// @notice `caller` is not the court of any dispute with that id.
    error EscrowUnknownDispute(address caller, uint256 disputeId);
    /// @notice A settlement cannot refund more than the escrow holds.
    error EscrowRefundTooLarge(uint256 tradeId, uint256 refund, uint256 escrowed);
    /// @notice The terms do not fit their payment mode (see `Terms.mode`), or the action is not for this mode.
    error EscrowInvalidTermsForMode(PaymentMode mode);
    /// @notice The buyer's recorded credit score is missing, not above the threshold, expired, or from an oracle
    /// no longer accredited.
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
    /// @notice Item `index` of a batch failed with `reason` (the error the single call would have raised);
    /// the whole batch reverted.
    error EscrowBatchItemFailed(uint256 index, bytes reason);

    // ------------------------------------------------------------------------------------------------
    // Opening
    // ------------------------------------------------------------------------------------------------

    /// @notice Opens a trade from terms both parties consent to, in one transaction anyone may relay.
    /// @dev Each party consents by being the caller (with an empty signature) or by an EIP-712
    /// `OpenTrade(Terms terms,uint256 nonce,uint256 deadline)` signature, checked with ERC-1271 for
    /// contract wallets. Emits `TradeOpened` and `TradeStateChanged`.
    /// Reverts when paused, on invalid terms, on an invalid, expired or replayed signature.
    /// @return tradeId The new trade's id.
    function openTrade(
        Terms calldata terms,
        PartySignature calldata buyerSignature,
        PartySignature calldata sellerSignature
    ) external returns (uint256 tradeId);

    /// @notice The buyer or the seller signs terms on chain; the other party accepts with `acceptTrade`.
    /// @dev Emits `TradeProposed`. Reverts when paused, if the caller is not a party or the terms are invalid
    /// (including, with a claim window, court terms the named court refuses).
    function proposeTrade(Terms calldata terms) external returns (uint256 tradeId);

    /// @notice The other party accepts a proposal; the electronic contract exists from now on.
    /// @dev Emits `TradeOpened` and `TradeStateChanged`. Reverts when paused, if the caller is not the
    /// counterparty, or the operator lost its accreditation or bond since the proposal.
    function acceptTrade(uint256 tradeId, Terms calldata terms) external;

    /// @notice The proposer withdraws a proposal that was not accepted yet.
    function withdrawProposal(uint256 tradeId) external;

    // ------------------------------------------------------------------------------------------------
    // Money in
    // ------------------------------------------------------------------------------------------------

    /// @notice The buyer pays the deposit (`price * depositBps / 10_000`, rounded down) within the window.
    /// @dev Native coin: send exactly the amount. ERC-20: approve first; tokens that deliver less are refused.
    /// Emits `DepositPaid`. Reverts if not the buyer, not `Signed`, or after the deposit deadline.
    function payDeposit(uint256 tradeId) external payable;

    /// @notice The buyer pays whatever of the price is still due. Allowed from `Deposited` until title passes.
    /// @dev Emits `BalancePaid`. Reverts if not the buyer, in another state, or when nothing is due.
    function payBalance(uint256 tradeId) external payable;

    /// @notice `payDeposit` after submitting the buyer's EIP-2612 permit (a failed permit is ignored if the
    /// allowance is already enough, so a front-run permit cannot block the payment).
    function payDepositWithPermit(uint256 tradeId, Permit calldata permit) external;

    /// @notice `payBalance` after submitting the buyer's EIP-2612 permit.
    function payBalanceWithPermit(uint256 tradeId, Permit calldata permit) external;

    /// @notice The seller posts the performance bond the terms require (or tops it up after an amendment).
    /// @dev Emits `SellerBondPosted`. Reverts if not the seller, nothing is due, or the trade is past fulfilment start.
    function postSellerBond(uint256 tradeId) external payable;

    // ------------------------------------------------------------------------------------------------
    // Fulfilment
    // ------------------------------------------------------------------------------------------------

    /// @notice The seller marks fulfilment started, within `fulfilmentDays` business days of the deposit.
    /// @dev Emits `FulfilmentStarted`. Reverts if not the seller, not `Deposited`, late, or the bond is due.
    function startFulfilment(uint256 tradeId) external;

    /// @notice The seller dispatches the goods, committing the shipping documents. The balance must be in,
    /// and the latest delivery time not past (after it the buyer may cancel instead).
    /// @dev Emits `GoodsShipped` and `MilestoneRecorded(Dispatched)`.
    function markShipped(uint256 tradeId, bytes calldata documentsCid) external;

    /// @notice The seller or the operator records a milestone after dispatch (departed, at port, cleared).
    /// @dev Emits `MilestoneRecorded`. Reverts before dispatch, after the trade ends, or for `Dispatched`.
    function recordMilestone(
        uint256 tradeId,
        Milestone milestone,
        bytes calldata documentCid
    ) external;

    /// @notice Applies the designated operator's attestation: a lot's receipt, its title transfer, or both.
    /// @dev The operator calls it with an empty signature, or anyone relays the operator's EIP-712
    /// `Attestation` signature (ERC-1271 for contract wallets). A receipt outside the quantity tolerance or
    /// after the latest delivery time halts the trade; its time must lie between shipment and now. A title
    /// transfer moves the warehouse receipt to the buyer and, with no claim window, releases the lot's money
    /// in the same transaction. A lot is the last when it is lot number `lots` or brings the total to the
    /// tolerance floor; earlier lots release `price * lotQuantity / quantity`, the last lot the rest.
    /// Title cannot pass while any of the price is due (after an amendment raised it): the combined
    /// attestation then reverts with `EscrowBalanceDue` and the operator attests the receipt alone.
    function attest(Attestation calldata attestation, bytes calldata signature) external;

    /// @notice Applies many attestations in one transaction, each exactly as `attest` would (every check,
    /// every event), in order: item `i` is `attestations[i]` under `terms[i]`, signed by `signatures[i]`
    /// (empty when the caller is that item's operator). Anyone may relay signed items.
    /// @dev All or nothing: if any item fails, the batch reverts with `EscrowBatchItemFailed(i, reason)`,
    /// `reason` being the error `attest` would have raised for it, so the sender drops or fixes item `i` and
    /// sends again. Reverts with `EscrowBatchLengthMismatch` when the arrays differ in length.
    function attestBatch(Attestation[] calldata attestations, bytes[] calldata signatures) external;

    /// @notice Releases the money held for a delivered trade once its claim window has ended. Anyone may call.
    function release(uint256 tradeId) external;

    // ------------------------------------------------------------------------------------------------
    // Direct payment and pay after use
    // ------------------------------------------------------------------------------------------------

    /// @notice The buyer of a direct trade pays the whole price within the deposit window; the seller is
    /// credited at once (less the fee) and the trade moves to fulfilment. There is no escrow hold.
    function payDirect(uint256 tradeId) external payable;

    /// @notice The seller of a direct trade refunds the buyer of its own accord (up to what it was paid).
    function refundVoluntarily(uint256 tradeId, uint256 amount) external payable;

    /// @notice Receipt is confirmed: by the buyer at any time, or by anyone `collectAfter` seconds after the
    /// shipment (direct) or the delivery attestation (pay after use). A direct trade completes; a pay-after-use
    /// trade has its price collected from the buyer, the guarantor pool paying whatever collection misses.
    function confirmReceipt(uint256 tradeId) external;

    /// @notice Records an accredited oracle's credit score for a buyer, relayed with the oracle's EIP-712
    /// signature or sent by the oracle itself. Newer attestations replace older ones.
    function recordCreditScore(CreditScore calldata score, bytes calldata signature) external;

    /// @notice A buyer repays (part of) its debt to the guarantor pool in `token`.
    function repayDebt(address token, uint256 amount) external;

    /// @notice Anyone (the platform) adds to the guarantor pool of `token`.
    function fundPool(address token, uint256 amount) external payable;

    /// @notice Admin: withdraws uncommitted money from the guarantor pool; committed guarantees stay.
    function withdrawPool(address token, uint256 amount, address to) external;

    /// @notice Admin: sets the credit threshold; a buyer needs a score above it to pay after use (default
    /// 550: a score of 550 is not enough).
    function setCreditThreshold(uint16 threshold) external;

    /// @notice Admin: the most the guarantor pool of `token` may guarantee for one buyer at a time, over
    /// all its open pay-after-use trades. A trade keeps the cap in force when it opened; 0 closes pay after
    /// use in `token` to new trades.
    function setBuyerExposureCap(address token, uint256 cap) external;

    // ------------------------------------------------------------------------------------------------
    // Claims
    // ------------------------------------------------------------------------------------------------

    /// @notice The buyer claims a refund for non-conforming goods within the claim window, with an
    /// accredited agency's inspection report (signed, or lodged on chain by the agency) and evidence.
    /// @dev The refund asked may not exceed the variance the agency found; material damage needs the agency
    /// to have found it. Emits `ClaimFiled` and `Evidence`. One claim per trade.
    function fileClaim(
        uint256 tradeId,
        ClaimRequest calldata claimRequest,
        InspectionReport calldata report,
        bytes calldata agencySignature
    ) external;

    /// @notice An accredited agency lodges its inspection report on chain, so the buyer may cite it unsigned.
    function submitInspectionReport(InspectionReport calldata report) external;

    /// @notice The seller accepts the claim within the response window; the refund executes.
    function acceptClaim(uint256 tradeId) external;

    /// @notice The seller contests the claim within the response window with counter-evidence, paying the
    /// court's fee (`arbitrationCost`) in the native coin. The court hears it; its ruling binds.
    function contestClaim(uint256 tradeId, bytes calldata counterEvidenceCid) external payable;

    /// @notice Buyer and seller settle the claim for `refund` (EIP-712 `Settlement(uint256 tradeId,uint256 refund,
    /// uint256 nonce,uint256 deadline)`, or as caller); it executes at once, also while the court hears it.
    function settleClaim(
        uint256 tradeId,
        uint256 refund,
        PartySignature calldata buyerSignature,
        PartySignature calldata sellerSignature
    ) external;

    /// @notice Anyone: after the response window with no answer, the buyer's claim is granted as filed.
    function enforceDefaultJudgment(uint256 tradeId) external;

    /// @notice A party appeals the court's first ruling, paying the court's appeal cost in the native coin.
    function appealRuling(uint256 tradeId) external payable;

    /// @notice Anyone: executes the court's ruling. Ruling r refunds min(r - 1, asked) bps of the price;
    /// material damage also reimburses the costs when the whole price is refunded; a ruling for the buyer on
    /// a false attestation slashes the operator's bond to the buyer, if that operator (the one the terms name)
    /// attested on this trade. A refused ruling (0) refunds half the amount asked.
    function executeRuling(uint256 tradeId) external;

    /// @notice A party or the operator adds evidence to an open claim (emits `Evidence`).
    function submitEvidence(uint256 tradeId, bytes calldata evidenceCid) external;

    // ------------------------------------------------------------------------------------------------
    // Amendments and cancellations
    // ------------------------------------------------------------------------------------------------

    /// @notice Replaces the terms with a version both parties signed. A halted trade resumes and its
    /// pending lot is judged against the new terms. Escrowed money carries over; money paid above a
    /// lowered price is refunded to the buyer, bond above a lowered bond to the seller.
    /// @dev Consent as in `openTrade`, by EIP-712 `Amendment(uint256 tradeId,uint16 version,Terms terms,
    /// uint256 nonce,uint256 deadline)` for `version = current + 1`. Emits `TradeAmended`.
    function amend(
        uint256 tradeId,
        Terms calldata amended,
        PartySignature calldata buyerSignature,
        PartySignature calldata sellerSignature
    ) external;

    /// @notice The seller cancels a trade whose deposit was not paid in the deposit window. Nothing is owed.
    function cancelForMissedDeposit(uint256 tradeId) external;

    /// @notice The buyer cancels a trade whose fulfilment did not start in time, and is refunded in full.
    function cancelForMissedStart(uint256 tradeId) external;

    /// @notice A trade in fulfilment, nothing shipped, whose party in default is known: the seller cancels
    /// once the balance is past due unpaid (`BalanceMissed`: the deposit is refunded, the bond returned);
    /// the buyer cancels once the balance is in and the latest delivery time passed unshipped
    /// (`NotShipped`: everything refunded and the seller's bond to the buyer). A seller that never
    /// started cannot cancel here: the buyer's `cancelForMissedStart` is the way out of that default.
    /// @dev The balance is due `shipWindow` before the latest delivery time; a balance paid later moves
    /// the latest delivery time to the payment plus `shipWindow` (see `latestDelivery`).
    function cancelUnshipped(uint256 tradeId) external;

    /// @notice A shipped trade with no conforming delivery by the latest delivery time plus `deliveryGrace`
    /// ends: `NotDelivered` (shipped and never received, or halted) refunds everything held and gives the
    /// buyer the seller's bond; `TitleNotAttested` (received in the terms, title never attested) refunds
    /// the buyer and returns the bond, since neither party defaulted. Either party may cancel, except a
    /// buyer that owes a price raised after dispatch: then only the seller, for `BalanceMissed` (the
    /// buyer's money back, the bond to the seller). A lot held by the escrow goes back to the seller with
    /// its warehouse receipt; lots whose title passed stay paid for. Not while a claim is open.
    function cancelUndelivered(uint256 tradeId) external;

    // ------------------------------------------------------------------------------------------------
    // Money out, bonds, signatures
    // ------------------------------------------------------------------------------------------------

    /// @notice Pays the caller everything credited to it in `token` (address(0) for the native coin).
    /// @dev Emits `Withdrawn`. Reverts when there is nothing to withdraw or the transfer fails.
    function withdraw(address token) external;

    /// @notice Pays the caller everything credited to it in each of `tokens`, as `withdraw` does for each.
    /// @dev Emits one `Withdrawn` per token. All or nothing: reverts with `EscrowNothingToWithdraw` naming
    /// the first token with nothing credited (a repeated token has nothing left the second time), or when a
    /// transfer fails.
    function withdrawMany(address[] calldata tokens) external;

    /// @notice Pays everything credited to the caller in `token` to `to`: for a party whose own address a
    /// token's issuer blocks, or that moved to another wallet. Emits `Withdrawn` (the caller's credit).
    function withdrawTo(address token, address to) external;

    /// @notice An operator adds to its bond, in the deployment's bond token.
    function postOperatorBond(uint256 amount) external payable;

    /// @notice An operator takes back bond; while it has open trades the bond stays at or above its requirement.
    function withdrawOperatorBond(uint256 amount) external;

    /// @notice Invalidates one of the caller's signature nonces, cancelling any signature that uses it.
    function invalidateNonce(uint256 nonce) external;

    // ------------------------------------------------------------------------------------------------
    // Admin (DEFAULT_ADMIN_ROLE): none of these can move escrowed money
    // ------------------------------------------------------------------------------------------------

    /// @notice Sets the platform fee for trades opened from now on; at most the deployment's cap.
    function setFee(uint16 feeBps) external;

    /// @notice Sets where future fees are credited.
    function setTreasury(address treasury) external;

    /// @notice Sets the bond an operator must hold to be designated on new trades.
    function setOperatorBondRequirement(address operator, uint256 amount) external;

    /// @notice Stops new trades (opening, proposing, accepting). Trades in progress go on.
    function pause() external;

    /// @notice Lets new trades open again.
    function unpause() external;

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @notice The stored state of a trade.
    function trade(uint256 tradeId) external view returns (TradeView memory);

    /// @notice How many trades exist; ids run from 1 to this number.
    function tradeCount() external view returns (uint256);

    /// @notice The terms in force of trade `tradeId` (all zero for an unknown trade).
    function termsOf(uint256 tradeId) external view returns (TermsView memory);

    /// @notice What `account` may withdraw in `token`.
    function withdrawable(address account, address token) external view returns (uint256);

    /// @notice Whether `signer` has used or invalidated `nonce`.
    function nonceUsed(address signer, uint256 nonce) external view returns (bool);

    /// @notice An operator's bond, its requirement and how many open trades designate it.
    function operatorBond(
        address operator
    ) external view returns (uint256 bond, uint256 required, uint256 openTrades);

    /// @notice The fee in force for new trades, in basis points.
    function feeBps() external view returns (uint16);

    /// @notice The account fees are credited to.
    function treasury() external view returns (address);

    /// @notice The trade's claim.
    function claim(uint256 tradeId) external view returns (ClaimView memory);

    /// @notice The deadline of the current stage, or 0 when the stage has none.
    function stageDeadline(uint256 tradeId) external view returns (uint256);

    /// @notice A buyer's latest recorded credit score.
    function creditScore(address buyer) external view returns (CreditView memory);

    /// @notice The guarantor pool of `token`: its balance and how much of it guarantees open trades.
    function pool(address token) external view returns (uint256 balance, uint256 committed);

    /// @notice What `buyer` owes the pool in `token`.
    function debt(address buyer, address token) external view returns (uint256);

    /// @notice What the pool of `token` guarantees for `buyer`'s open trades, and the cap new trades get.
    function buyerExposure(
        address buyer,
        address token
    ) external view returns (uint256 exposure, uint256 cap);

    /// @notice The credit threshold: a buyer needs a score above it to pay after use.
    function creditThreshold() external view returns (uint16);
}
