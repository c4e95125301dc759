// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IArbitrable} from "./IArbitrable.sol";
import {IEvidence} from "./IEvidence.sol";
import {ITradeEscrowErrors} from "./ITradeEscrowErrors.sol";
import {ITradeEscrowEvents} from "./ITradeEscrowEvents.sol";

/// @title ITradeEscrow
/// @notice One escrow holds many cross-border trades. The buyer's money is released to the seller
/// only when the designated warehouse operator attests that title to the goods has passed to the
/// buyer.
/// @dev Every step but opening names its trade by id alone: the escrow keeps each trade's terms in
/// force (all but the manifest's CID), written at opening and at each amendment, and returns them
/// from `termsOf`. The terms are emitted in full, with their EIP-712 hash the parties signed, when
/// a trade opens and at every amendment, so events alone rebuild every trade.
/// Each function's notice says who may call it and in which states; its dev comment, the events
/// it emits, in order, and the errors it reverts with. Payment errors: native coin must come as
/// exactly the amount (`EscrowWrongValue`, also for coin sent with an ERC-20 payment); an ERC-20 is
/// pulled with `transferFrom` (the token's own error or `SafeERC20FailedOperation`), and a token
/// that delivers less is refused (`EscrowTokenShortfall`). `EscrowInvalidTransition` and
/// `EscrowInvalidClaimTransition` guard the transition tables: no call is expected to reach them.
/// The types, events and errors are in ITradeEscrowTypes, ITradeEscrowEvents and
/// ITradeEscrowErrors, inherited here (and named by those files' names outside the escrow): this
/// file lists the functions. Length: each function's NatSpec (who, what it emits, when it reverts).
interface ITradeEscrow is IArbitrable, IEvidence, ITradeEscrowEvents, ITradeEscrowErrors {
    // ------------------------------------------------------------------------------------------------
    // Opening
    // ------------------------------------------------------------------------------------------------

    /// @notice Opens a trade in `Signed` from terms both parties consent to, in one transaction
    /// anyone may relay. Not while paused.
    /// @dev Each party consents by being the caller (empty signature) or by an EIP-712
    /// `OpenTrade(Terms terms,uint256 nonce,uint256 deadline)` signature (ERC-1271 for contract
    /// wallets). Emits `TradeStateChanged(None, Signed)`, `TradeOpened`, then `MetaEvidence` (id
    /// `tradeId << 16`: version 0) when the terms have a claim window, and `GuaranteeChanged` for
    /// pay after use.
    /// Reverts: `EnforcedPause`; designation, checked first: `EscrowOperatorNotAccredited` and
    /// `EscrowOperatorBondTooLow` (an operator is needed unless a direct trade names none),
    /// `EscrowOracleNotAccredited` (pay after use: the buyer's recorded score, if any, is not from
    /// an accredited oracle), `EscrowArbitratorNotAccredited` or the court's own error from
    /// `arbitrationCost` (with a claim window; ArbitrationCourt: `CourtInvalidTerms`); terms:
    /// `EscrowInvalidParties`, `EscrowInvalidAmount`, `EscrowInvalidSchedule`,
    /// `EscrowMissingDuration`, `EscrowInvalidQuantity`, `EscrowInvalidBps`, `EscrowMissingManifest`,
    /// `EscrowInvalidTermsForMode`, `EscrowInvalidToken`, `EscrowFeeMismatch`; consent:
    /// `EscrowInvalidSignature`, `EscrowSignatureExpired`, `EscrowNonceUsed`; pay after use:
    /// `EscrowCreditRefused`, `EscrowDebtOutstanding`, `EscrowAllowanceTooLow`,
    /// `EscrowPoolInsufficient`, `EscrowExposureAboveCap`.
    /// @return tradeId The new trade's id.
    function openTrade(
        Terms calldata terms,
        PartySignature calldata buyerSignature,
        PartySignature calldata sellerSignature
    ) external returns (uint256 tradeId);

    /// @notice The buyer or the seller proposes terms on chain (the trade is `Proposed`); the other
    /// party accepts them with `acceptTrade`. Not while paused.
    /// @dev Emits `TradeStateChanged(None, Proposed)` and `TradeProposed` (`MetaEvidence` comes at
    /// acceptance). Reverts: `EnforcedPause`; designation as in `openTrade`
    /// (`EscrowOperatorNotAccredited`, `EscrowOperatorBondTooLow`, `EscrowOracleNotAccredited`,
    /// `EscrowArbitratorNotAccredited`, the court's error); terms as in `openTrade`
    /// (`EscrowInvalidParties`, `EscrowInvalidAmount`, `EscrowInvalidSchedule`,
    /// `EscrowMissingDuration`, `EscrowInvalidQuantity`, `EscrowInvalidBps`, `EscrowMissingManifest`,
    /// `EscrowInvalidTermsForMode`, `EscrowInvalidToken`, `EscrowFeeMismatch`); `EscrowNotAParty`
    /// when the caller is neither party; pay after use: `EscrowCreditRefused`,
    /// `EscrowDebtOutstanding`, `EscrowAllowanceTooLow` (the pool's room is judged at acceptance).
    function proposeTrade(Terms calldata terms) external returns (uint256 tradeId);

    /// @notice The proposer's counterparty (the buyer when the seller proposed, else the seller)
    /// accepts proposal `tradeId`, naming the terms proposed: `Proposed` to `Signed`, the
    /// electronic contract exists from now on. Not while paused.
    /// @dev Emits `TradeStateChanged(Proposed, Signed)`, `TradeOpened`, then `MetaEvidence` (id
    /// `tradeId << 16`) when the terms have a claim window, and `GuaranteeChanged` for pay after
    /// use.
    /// Reverts: `EnforcedPause`; designation of `terms` as given, checked first and again since the
    /// proposal (`EscrowOperatorNotAccredited`, `EscrowOperatorBondTooLow`,
    /// `EscrowOracleNotAccredited`, `EscrowArbitratorNotAccredited`, the court's error);
    /// `EscrowUnknownTrade`; `EscrowInvalidState` unless `Proposed`; `EscrowTermsMismatch` when
    /// `terms` differ from those proposed; `EscrowUnauthorized` unless the caller is the
    /// counterparty; the terms checked again as in `openTrade`, in practice `EscrowFeeMismatch`
    /// (the fee changed since) or `EscrowInvalidSchedule` (the latest delivery time passed); pay
    /// after use: `EscrowCreditRefused`, `EscrowDebtOutstanding`, `EscrowAllowanceTooLow`,
    /// `EscrowPoolInsufficient`, `EscrowExposureAboveCap`.
    function acceptTrade(uint256 tradeId, Terms calldata terms) external;

    /// @notice The proposer withdraws its proposal while it is `Proposed` (also while paused).
    /// @dev Emits `TradeStateChanged(Proposed, Cancelled)` and
    /// `TradeCancelled(ProposalWithdrawn, 0, 0, 0)`. Reverts: `EscrowUnknownTrade`;
    /// `EscrowInvalidState` unless `Proposed`; `EscrowUnauthorized` unless the caller proposed.
    function withdrawProposal(uint256 tradeId) external;

    // ------------------------------------------------------------------------------------------------
    // Money in
    // ------------------------------------------------------------------------------------------------

    /// @notice The buyer of a protected trade pays the deposit (`price * depositBps / 10_000`,
    /// rounded down) in `Signed`, within `depositWindow` of signing: the trade moves to
    /// `Deposited`.
    /// @dev Native coin: send exactly the deposit. ERC-20: approve it first and send no coin.
    /// Emits `TradeStateChanged(Signed, Deposited)`, then `DepositPaid`.
    /// Reverts: `EscrowUnknownTrade`; `EscrowInvalidTermsForMode` unless protected;
    /// `EscrowInvalidState` unless `Signed`; `EscrowUnauthorized` unless the buyer;
    /// `EscrowDeadlinePassed` after the deposit window; payment: `EscrowWrongValue`, the token's
    /// own error or `SafeERC20FailedOperation`, `EscrowTokenShortfall`;
    /// `ReentrancyGuardReentrantCall`.
    function payDeposit(uint256 tradeId) external payable;

    /// @notice The buyer of a protected trade pays all of the price still due, in any state from
    /// `Deposited` to `Halted` (until the last title passes): the balance, or a price raised by an
    /// amendment. Paid after its due time (`shipWindow` before `latestDelivery`) before shipment,
    /// it moves the latest delivery time to the payment plus `shipWindow`.
    /// @dev Native coin: send exactly what is due. Emits `BalancePaid` (the state does not change).
    /// Reverts: `EscrowUnknownTrade`; `EscrowInvalidTermsForMode` unless protected;
    /// `EscrowUnauthorized` unless the buyer; `EscrowInvalidState` before `Deposited` or after
    /// `Halted`; `EscrowNothingDue`; payment: `EscrowWrongValue`, the token's own error or
    /// `SafeERC20FailedOperation`, `EscrowTokenShortfall`; `ReentrancyGuardReentrantCall`.
    function payBalance(uint256 tradeId) external payable;

    /// @notice `payDeposit` after submitting the buyer's EIP-2612 permit for the trade's token (a
    /// failed permit is ignored: if the allowance is short the transfer fails anyway, so a
    /// front-run permit cannot block the payment). ERC-20 trades only.
    /// @dev Emits and reverts as `payDeposit`; first `EscrowPermitForNativeCoin` when the trade's
    /// token is the native coin (so also for an unknown trade, whose token reads as zero).
    function payDepositWithPermit(uint256 tradeId, Permit calldata permit) external;

    /// @notice `payBalance` after submitting the buyer's EIP-2612 permit (a failed permit is
    /// ignored, as in `payDepositWithPermit`). ERC-20 trades only.
    /// @dev Emits and reverts as `payBalance`; first `EscrowPermitForNativeCoin` when the trade's
    /// token is the native coin (so also for an unknown trade).
    function payBalanceWithPermit(uint256 tradeId, Permit calldata permit) external;

    /// @notice The seller posts the performance bond the terms require, or tops it up after an
    /// amendment raised it: the whole shortfall at once, in the trade's token, in any state from
    /// `Signed` to `Delivered` (`startFulfilment` needs it in).
    /// @dev Native coin: send exactly the shortfall. Emits `SellerBondPosted`.
    /// Reverts: `EscrowUnknownTrade`; `EscrowUnauthorized` unless the seller; `EscrowInvalidState`
    /// before `Signed` or after `Delivered`; `EscrowNothingDue` when the bond is complete (or none
    /// is required); payment: `EscrowWrongValue`, the token's own error or
    /// `SafeERC20FailedOperation`, `EscrowTokenShortfall`; `ReentrancyGuardReentrantCall`.
    function postSellerBond(uint256 tradeId) external payable;

    // ------------------------------------------------------------------------------------------------
    // Fulfilment
    // ------------------------------------------------------------------------------------------------

    /// @notice The seller starts fulfilment within `fulfilmentDays` business days: a protected
    /// trade from `Deposited` (days counted from the deposit), a pay-after-use trade from `Signed`
    /// (from signing); the bond must be in. The trade moves to `InFulfilment`. A direct trade
    /// starts when paid (`payDirect`).
    /// @dev Emits `TradeStateChanged(.., InFulfilment)`, then `FulfilmentStarted`.
    /// Reverts: `EscrowUnknownTrade`; `EscrowInvalidTermsForMode` for a direct trade;
    /// `EscrowInvalidState` outside that state; `EscrowUnauthorized` unless the seller;
    /// `EscrowDeadlinePassed` after the business days; `EscrowSellerBondDue` while bond is due.
    function startFulfilment(uint256 tradeId) external;

    /// @notice The seller dispatches the goods in `InFulfilment`, committing the shipping
    /// documents: the trade moves to `Shipped`. The balance must be in, and the latest delivery
    /// time (moved by a late balance) not past: after it the buyer may cancel instead.
    /// @dev Emits `TradeStateChanged(InFulfilment, Shipped)`, `GoodsShipped`, then
    /// `MilestoneRecorded(Dispatched)`. Reverts: `EscrowUnknownTrade`; `EscrowInvalidState` unless
    /// `InFulfilment`; `EscrowUnauthorized` unless the seller; `EscrowDeadlinePassed` after the
    /// latest delivery time; `EscrowBalanceDue` while any of the price is due.
    function markShipped(uint256 tradeId, bytes calldata documentsCid) external;

    /// @notice The seller or the designated operator records a milestone after dispatch
    /// (`Departed` or `CustomsCleared`), in `Shipped`, `Received`, `Halted` or `Delivered`.
    /// @dev Emits `MilestoneRecorded`. Reverts: `EscrowUnknownTrade`; `EscrowUnauthorized` unless
    /// the seller or the operator; `EscrowInvalidState` before `Shipped` or after `Delivered`;
    /// `EscrowInvalidMilestone` for `Dispatched` (recorded by `markShipped`) or `ArrivedAtPort`
    /// (recorded by the operator's `PortArrival` attestation, which opens the claim window).
    function recordMilestone(
        uint256 tradeId,
        Milestone milestone,
        bytes calldata documentCid
    ) external;

    /// @notice Applies the designated operator's attestation about trade `attestation.tradeId`:
    /// port arrival, a lot's receipt, its title transfer, or receipt and title at once. The
    /// operator calls it with an empty signature, or anyone relays the operator's EIP-712
    /// `Attestation` signature (ERC-1271 for contract wallets); the operator must hold
    /// OPERATOR_ROLE.
    /// @dev By kind:
    /// - `PortArrival`, once, in `Shipped`, `Received` or `Halted` (`lot`, `quantity` ignored;
    /// `time` between shipment and now): the claim window opens at this block's time. Emits
    /// `PortArrivalAttested`, then `MilestoneRecorded(ArrivedAtPort)`.
    /// - `Receipt` of lot `lotsDone + 1`, in `Shipped` (`quantity` above 0, `time` between shipment
    /// and now): emits `LotReceived` (receipt held by the escrow), then `TradeStateChanged(Shipped,
    /// Received)`, or, outside the quantity tolerance or after the latest delivery time,
    /// `TradeStateChanged(Shipped, Halted)` and `TradeHalted`; then the receipt contract's
    /// `Transfer` (minted to the escrow).
    /// - `TitleTransfer` of the pending lot `lotsDone + 1`, in `Received`: title passes.
    /// - `ReceiptAndTitleTransfer`: as `Receipt`, but a conforming lot's title passes at once (its
    /// `LotReceived` names the buyer as holder; a halted one passes when an amendment makes it
    /// conform with nothing due).
    /// Title passing emits `TradeStateChanged` when the state changes (to `Shipped` before the last
    /// lot, else to `Completed` or `Delivered`), `TitleTransferred`, `FundsReleased` and `Credited`
    /// (seller, then treasury for a fee) when money is released, `Credited` (the seller's bond, if
    /// any) when the trade completes, then the receipt's `Transfer` to the buyer. Money is
    /// released at once with no claim window (earlier lots `price * lotQuantity / quantity`, the
    /// last lot the rest), or for the last lot when the port arrival's claim window already ended
    /// with no claim open; otherwise the last lot leaves the trade `Delivered` (see `release`). Pay
    /// after use releases nothing (see `confirmReceipt`). A lot is the last when it is lot number
    /// `lots` or brings the total to the tolerance floor.
    /// Reverts: `EscrowUnknownTrade`; `EscrowOperatorNotAccredited` when the designated operator
    /// lacks OPERATOR_ROLE (or a direct trade names none); `EscrowInvalidSignature`,
    /// `EscrowSignatureExpired`, `EscrowNonceUsed`; `EscrowInvalidAttestation` for a second port
    /// arrival; `EscrowAttestedTimeOutOfRange`; `EscrowInvalidLot` for a lot other than
    /// `lotsDone + 1`; `EscrowInvalidState` when the kind does not apply in the trade's state;
    /// `EscrowZeroQuantity`; `EscrowBalanceDue` when title would pass while any of the price is due
    /// (after an amendment raised it: attest the receipt alone); `ReentrancyGuardReentrantCall`.
    function attest(Attestation calldata attestation, bytes calldata signature) external;

    /// @notice Applies many attestations in one transaction, each exactly as `attest` would (the
    /// same signer rule, checks and events), in order: item `i` is `attestations[i]`, signed by
    /// `signatures[i]` (empty when the caller is that item's operator). Anyone may relay signed
    /// items.
    /// @dev Emits each item's events, item by item. All or nothing: if any item fails, the batch
    /// reverts with `EscrowBatchItemFailed(i, reason)`, `reason` being the error `attest` would
    /// have raised for it, so the sender drops or fixes item `i` and sends again. Reverts with
    /// `EscrowBatchLengthMismatch` when the arrays differ in length;
    /// `ReentrancyGuardReentrantCall`.
    function attestBatch(Attestation[] calldata attestations, bytes[] calldata signatures) external;

    /// @notice Anyone releases the money held for a `Delivered` trade once its claim window (from
    /// the port arrival, else from delivery) has ended with no claim open: the seller is credited
    /// (less the fee), the treasury the fee, the seller's bond returned; the trade completes.
    /// @dev Emits `TradeStateChanged(Delivered, Completed)`, then, when money is held,
    /// `FundsReleased` and `Credited` (seller, then treasury for a fee), then `Credited` (the
    /// seller's bond) when one is held. Reverts: `EscrowUnknownTrade`; `EscrowInvalidTermsForMode`
    /// for pay after use (collected by `confirmReceipt`); `EscrowInvalidState` unless `Delivered`;
    /// `EscrowDeadlineNotReached` until the claim window ends; `EscrowInvalidClaimStatus` while a
    /// claim is open; `ReentrancyGuardReentrantCall`.
    function release(uint256 tradeId) external;

    // ------------------------------------------------------------------------------------------------
    // Direct payment and pay after use
    // ------------------------------------------------------------------------------------------------

    /// @notice The buyer of a direct trade pays the whole price in `Signed`, within
    /// `depositWindow` of signing; the seller is credited at once (less the fee) and the trade
    /// moves to `InFulfilment`. There is no escrow hold.
    /// @dev Native coin: send exactly the price. Emits `TradeStateChanged(Signed, InFulfilment)`,
    /// `DirectPaid`, `FundsReleased`, `Credited` (seller, then treasury for a fee).
    /// Reverts: `EscrowUnknownTrade`; `EscrowInvalidTermsForMode` unless direct;
    /// `EscrowInvalidState` unless `Signed`; `EscrowUnauthorized` unless the buyer;
    /// `EscrowDeadlinePassed` after the window; payment: `EscrowWrongValue`, the token's own error
    /// or `SafeERC20FailedOperation`, `EscrowTokenShortfall`; `ReentrancyGuardReentrantCall`.
    function payDirect(uint256 tradeId) external payable;

    /// @notice The seller of a direct trade refunds `amount` to the buyer of its own accord, in any
    /// state, paying it in (native coin: send it; ERC-20: approve it): at most what the buyer paid
    /// less earlier voluntary refunds. The buyer is credited.
    /// @dev Emits `VoluntaryRefund`, then `Credited` (buyer). Reverts: `EscrowUnknownTrade`;
    /// `EscrowInvalidTermsForMode` unless direct; `EscrowUnauthorized` unless the seller;
    /// `EscrowRefundTooLarge` when `amount` is 0 or above that; payment: `EscrowWrongValue`, the
    /// token's own error or `SafeERC20FailedOperation`, `EscrowTokenShortfall`;
    /// `ReentrancyGuardReentrantCall`.
    function refundVoluntarily(uint256 tradeId, uint256 amount) external payable;

    /// @notice Confirms receipt of a direct trade in `Shipped` or a pay-after-use trade in
    /// `Delivered`, which completes. The buyer may confirm at any time; anyone else once
    /// `collectAfter` seconds have passed since the shipment (direct) or the last title transfer
    /// (pay after use), never when it is 0. A pay-after-use trade has its price collected from the
    /// buyer, the guarantor pool paying whatever collection misses (the buyer then owes it).
    /// @dev Emits `ReceiptConfirmed`, `TradeStateChanged(.., Completed)`; for pay after use then
    /// `GuaranteeChanged`, `Credited` (buyer: a token's surplus), `PaymentCollected` (when any
    /// came in), `CollectionFailed` and `PoolChanged` (on a shortfall), `FundsReleased`, `Credited`
    /// (seller, then treasury for a fee); then `Credited` (the seller's bond) when one is held. A
    /// failed collection does not revert. Reverts: `EscrowUnknownTrade`;
    /// `EscrowInvalidTermsForMode` for a protected trade; `EscrowInvalidState` outside that state;
    /// `EscrowDeadlineNotReached` for another caller before `collectAfter` has passed;
    /// `ReentrancyGuardReentrantCall`.
    function confirmReceipt(uint256 tradeId) external;

    /// @notice Records an accredited credit oracle's score for `score.buyer`, sent by the oracle
    /// itself (empty `signature`) or relayed by anyone with the oracle's EIP-712 `CreditScore`
    /// signature (an ECDSA key; no ERC-1271). A score replaces the one recorded if issued later.
    /// @dev Emits `CreditScoreRecorded`. Reverts: `EscrowNonceUsed` (signed only: the signer used
    /// or invalidated the nonce); `EscrowSignatureExpired` once `expiresAt` has passed;
    /// `EscrowCreditStale` unless `issuedAt` is after the recorded score's and not in the future;
    /// `EscrowOracleNotAccredited` when the signer (or, unsigned, the caller) lacks
    /// CREDIT_ORACLE_ROLE (a bad signature recovers some other address).
    function recordCreditScore(CreditScore calldata score, bytes calldata signature) external;

    /// @notice A buyer repays `amount` of its own debt to the guarantor pool of `token`, paying it
    /// in (approve it first; not payable: pay after use is ERC-20 only); the pool grows by it.
    /// @dev Emits `DebtRepaid`, then `PoolChanged`. Reverts: `EscrowNothingOwed` when `amount` is 0
    /// or above the debt; payment: `EscrowWrongValue`, the token's own error or
    /// `SafeERC20FailedOperation`, `EscrowTokenShortfall`; `ReentrancyGuardReentrantCall`.
    function repayDebt(address token, uint256 amount) external;

    /// @notice Anyone (the platform) adds `amount` to the guarantor pool of `token`, paying it in
    /// (native coin: send it; ERC-20: approve it).
    /// @dev Emits `PoolChanged`. Reverts: `EscrowInvalidAmount` when `amount` is 0 or the pool
    /// would pass 2**96 - 1; payment: `EscrowWrongValue`, the token's own error or
    /// `SafeERC20FailedOperation`, `EscrowTokenShortfall`; `ReentrancyGuardReentrantCall`.
    function fundPool(address token, uint256 amount) external payable;

    /// @notice DEFAULT_ADMIN_ROLE withdraws `amount` of the uncommitted money of the guarantor pool
    /// of `token` to `to`; what guarantees open trades stays.
    /// @dev Emits `PoolChanged`. Reverts: `AccessControlUnauthorizedAccount`; `EscrowZeroAddress`
    /// for `to`; `EscrowPoolInsufficient` when `amount` is 0 or above the uncommitted balance; the
    /// transfer's errors (native coin: `FailedCall` or the recipient's; ERC-20: the token's own or
    /// `SafeERC20FailedOperation`); `ReentrancyGuardReentrantCall`.
    function withdrawPool(address token, uint256 amount, address to) external;

    /// @notice DEFAULT_ADMIN_ROLE sets the credit threshold: a buyer needs a score above it to pay
    /// after use (default 550: a score of 550 is not enough), judged when a pay-after-use trade is
    /// proposed or signed and when an amendment raises its price.
    /// @dev Emits `CreditThresholdSet`. Reverts: `AccessControlUnauthorizedAccount`.
    function setCreditThreshold(uint16 threshold) external;

    /// @notice DEFAULT_ADMIN_ROLE sets the most the guarantor pool of `token` may guarantee for one
    /// buyer at a time, over all its open pay-after-use trades. A trade keeps the cap in force when
    /// both parties signed; 0 closes pay after use in `token` to new trades.
    /// @dev Emits `BuyerExposureCapSet`. Reverts: `AccessControlUnauthorizedAccount`.
    function setBuyerExposureCap(address token, uint256 cap) external;

    // ------------------------------------------------------------------------------------------------
    // Claims
    // ------------------------------------------------------------------------------------------------

    /// @notice The buyer claims a refund for non-conforming goods while the claim window is open
    /// (from the port arrival, else from delivery; the trade `Shipped` to `Delivered`), with an
    /// accredited agency's inspection report (signed by it, or lodged on chain by it and cited with
    /// an empty `agencySignature`) and evidence. One claim per trade, ever.
    /// @dev The refund asked may not exceed the variance the agency found; material damage asks the
    /// whole price plus `costs` and needs the agency to have found it. Emits `ClaimFiled`, then
    /// `Evidence` twice (the agency's report, then the buyer's evidence; group: the trade id).
    /// Reverts: `EscrowUnknownTrade`; `EscrowUnauthorized` unless the buyer; `EscrowInvalidState`
    /// before `Shipped` or after `Delivered`; `EscrowClaimWindowClosed` once the window has ended
    /// (`windowEnd` 0: no claim window, or not open yet); `EscrowInvalidClaimStatus` when a claim
    /// was filed before; `EscrowInvalidClaim` (a refund of 0 or above the variance, costs on
    /// another ground, material damage the agency did not find); `EscrowInvalidInspection` (a
    /// report for another trade, an agency without INSPECTOR_ROLE, or unsigned and not lodged); the
    /// agency's signature: `EscrowInvalidSignature`, `EscrowSignatureExpired`, `EscrowNonceUsed`;
    /// `ReentrancyGuardReentrantCall`.
    function fileClaim(
        uint256 tradeId,
        ClaimRequest calldata claimRequest,
        InspectionReport calldata report,
        bytes calldata agencySignature
    ) external;

    /// @notice An accredited inspection agency (INSPECTOR_ROLE) lodges its own report on chain, so
    /// the buyer may cite it unsigned. The trade is not checked here (`fileClaim` checks it).
    /// @dev Emits `InspectionReportSubmitted`. Reverts: `AccessControlUnauthorizedAccount` without
    /// INSPECTOR_ROLE; `EscrowInvalidInspection` unless the caller is `report.agency`.
    function submitInspectionReport(InspectionReport calldata report) external;

    /// @notice The seller accepts the filed claim within the response window (`responseDays`
    /// business days from filing): the claim is granted as filed. The refund (capped by the money
    /// held) and, for material damage, the costs (capped by the seller's bond) go to the buyer.
    /// @dev Emits `ClaimResolved(Accepted)`, `Credited` (buyer) when anything is refunded; then,
    /// when nothing is left held, `TradeStateChanged(.., Refunded)` and `Credited` (the seller's
    /// bond back, if any); or, in `Delivered` after the claim window, `TradeStateChanged(Delivered,
    /// Completed)`, `FundsReleased`, `Credited` (seller, treasury, the seller's bond).
    /// Reverts: `EscrowUnknownTrade`; `EscrowUnauthorized` unless the seller;
    /// `EscrowInvalidClaimStatus` unless the claim is `Filed`; `EscrowDeadlinePassed` after the
    /// response window; `ReentrancyGuardReentrantCall`.
    function acceptClaim(uint256 tradeId) external;

    /// @notice The seller contests the filed claim within the response window with
    /// counter-evidence, paying the court's fee (`arbitrationCost` of the trade's court terms) in
    /// the native coin. The court the terms name opens a dispute (its accreditation is not checked
    /// again); its ruling binds.
    /// @dev Emits `ClaimContested`, `Dispute` (meta-evidence id `(tradeId << 16) | version` of the
    /// terms in force, evidence group the trade id), then `Evidence` (the counter-evidence); the
    /// court emits `DisputeCreation`. Reverts: `EscrowUnknownTrade`; `EscrowUnauthorized` unless
    /// the seller; `EscrowInvalidClaimStatus` unless `Filed`; `EscrowDeadlinePassed` after the
    /// response window; `EscrowWrongValue` unless `msg.value` is the cost; the court's errors
    /// (ArbitrationCourt: `CourtInvalidTerms`); `ReentrancyGuardReentrantCall`.
    function contestClaim(uint256 tradeId, bytes calldata counterEvidenceCid) external payable;

    /// @notice Buyer and seller settle the claim for `refund` while it is `Filed` or `Contested`
    /// (the court's dispute runs on, its ruling then ignored), with no deadline. Each consents as
    /// caller or by EIP-712 `Settlement(uint256 tradeId,uint256 refund,uint256 nonce,uint256
    /// deadline)`; anyone may relay. It executes at once.
    /// @dev Emits `ClaimResolved(Settled, refund, 0)` and the resolution's events as `acceptClaim`
    /// (`Credited`, `TradeStateChanged`, `FundsReleased`). Reverts: `EscrowUnknownTrade`;
    /// `EscrowInvalidClaimStatus` unless `Filed` or `Contested`; `EscrowRefundTooLarge` above the
    /// money held; `EscrowInvalidSignature`, `EscrowSignatureExpired`, `EscrowNonceUsed`;
    /// `ReentrancyGuardReentrantCall`.
    function settleClaim(
        uint256 tradeId,
        uint256 refund,
        PartySignature calldata buyerSignature,
        PartySignature calldata sellerSignature
    ) external;

    /// @notice Anyone: once the response window has passed with the claim unanswered (`Filed`),
    /// the claim is granted as filed, as by `acceptClaim`.
    /// @dev Emits `ClaimResolved(DefaultJudgment)` and the resolution's events as `acceptClaim`
    /// (`Credited`, `TradeStateChanged`, `FundsReleased`). Reverts: `EscrowUnknownTrade`;
    /// `EscrowInvalidClaimStatus` unless `Filed`; `EscrowDeadlineNotReached` until the response
    /// window has passed; `ReentrancyGuardReentrantCall`.
    function enforceDefaultJudgment(uint256 tradeId) external;

    /// @notice The buyer or the seller appeals the court's first ruling while the claim is
    /// `Contested`, forwarding `msg.value` (native coin) as the court's appeal cost. The court
    /// checks the appeal window and the fee, and allows one appeal.
    /// @dev The escrow emits nothing; the court emits `AppealDecision`. Reverts:
    /// `EscrowUnknownTrade`; `EscrowUnauthorized` unless the buyer or the seller;
    /// `EscrowInvalidClaimStatus` unless `Contested`; the court's errors (ArbitrationCourt:
    /// `CourtInvalidPhase` before the first ruling or once appealed, `CourtTooLate` after the
    /// appeal window, `CourtWrongFee`, `CourtNotEnoughArbitrators` for the larger panel);
    /// `ReentrancyGuardReentrantCall`.
    function appealRuling(uint256 tradeId) external payable;

    /// @notice Anyone executes the court's ruling once recorded (the claim `Ruled`). Ruling r
    /// refunds min(r - 1, asked) bps of the price (capped by the money held); a refused ruling (0)
    /// half the bps asked; material damage also reimburses the costs (capped by the seller's bond)
    /// when the whole price is refunded. A ruling for the buyer (r > 1) on a false attestation also
    /// slashes the same share (in bps) of the operator's bond to the buyer, if that operator (the
    /// one the terms name) attested on this trade.
    /// @dev Emits `ClaimResolved(Ruling)` and the resolution's events as `acceptClaim`
    /// (`Credited`, `TradeStateChanged`, `FundsReleased`), then, for a slash above 0,
    /// `OperatorSlashed` and `Credited` (buyer, in the bond token). Reverts: `EscrowUnknownTrade`;
    /// `EscrowInvalidClaimStatus` unless `Ruled`; `ReentrancyGuardReentrantCall`.
    function executeRuling(uint256 tradeId) external;

    /// @notice The buyer, the seller or the designated operator adds evidence while a claim is open
    /// (`Filed`, `Contested` or `Ruled`).
    /// @dev Emits `Evidence` (the trade's court, group the trade id, the caller as party).
    /// Reverts: `EscrowUnknownTrade`; `EscrowUnauthorized` for anyone else;
    /// `EscrowInvalidClaimStatus` when no claim is open.
    function submitEvidence(uint256 tradeId, bytes calldata evidenceCid) external;

    // ------------------------------------------------------------------------------------------------
    // Amendments and cancellations
    // ------------------------------------------------------------------------------------------------

    /// @notice Replaces the terms in force with a version both parties signed, in any state from
    /// `Signed` to `Delivered` (also while paused); anyone may relay. A halted trade resumes and
    /// its pending lot is judged against the new terms. Escrowed money carries over; money paid
    /// above a lowered price is refunded to the buyer, bond above a lowered bond to the seller.
    /// @dev Consent as in `openTrade`, by EIP-712 `Amendment(uint256 tradeId,uint16 version,Terms
    /// terms,uint256 nonce,uint256 deadline)` for `version = current + 1`. Parties, token, mode and
    /// fee stay; the operator the amended terms name (new or not; a direct trade may name none)
    /// must be accredited and bonded.
    /// Emits `TradeAmended`; for pay after use with a new price `GuaranteeChanged` (released, then
    /// reserved again); `MetaEvidence` (id `(tradeId << 16) | version`) when the amended terms
    /// have a claim window; `Credited` (the buyer's excess, then the seller's excess bond, each if
    /// any); then, for a pending lot, `TradeStateChanged(.., Halted)` and `TradeHalted`, or a title
    /// transfer's events (as in `attest`), or `TradeStateChanged(.., Received)`.
    /// Reverts: designation, checked first (`EscrowOperatorNotAccredited`,
    /// `EscrowOperatorBondTooLow`, `EscrowOracleNotAccredited`, `EscrowArbitratorNotAccredited`,
    /// the court's error); `EscrowUnknownTrade`; `EscrowInvalidState` before `Signed` or after
    /// `Delivered`; `EscrowAmendmentChangesParties` (parties, token or mode); `EscrowFeeMismatch`
    /// (a fee other than the original); `EscrowInvalidAmount`, `EscrowInvalidSchedule`,
    /// `EscrowMissingDuration`, `EscrowInvalidQuantity`, `EscrowInvalidBps`, `EscrowMissingManifest`,
    /// `EscrowInvalidTermsForMode`; `EscrowAmendmentBelowDelivered` (a price below what was
    /// released and refunded, no lot left to come, or a `Delivered` trade's lot count changed);
    /// `EscrowBalanceDue` (a `Delivered` trade, not pay after use, priced above what was paid);
    /// `EscrowInvalidClaimStatus` while the court hears a claim (`Contested`, `Ruled`), or for a
    /// new operator while one is `Filed`; `EscrowInvalidSignature`, `EscrowSignatureExpired`,
    /// `EscrowNonceUsed`; a new pay-after-use price: `EscrowPoolInsufficient`, and when raised
    /// `EscrowCreditRefused`, `EscrowDebtOutstanding`, `EscrowAllowanceTooLow`,
    /// `EscrowExposureAboveCap`; `ReentrancyGuardReentrantCall`.
    function amend(
        uint256 tradeId,
        Terms calldata amended,
        PartySignature calldata buyerSignature,
        PartySignature calldata sellerSignature
    ) external;

    /// @notice The seller cancels a protected or direct trade still `Signed` once the deposit
    /// window (direct: the payment window) has passed unpaid. Nothing was paid; a bond the seller
    /// posted is credited back to it.
    /// @dev Emits `TradeStateChanged(Signed, Cancelled)`, `TradeCancelled(DepositMissed)`, then
    /// `Credited` (the seller's bond) when one was posted. Reverts: `EscrowUnknownTrade`;
    /// `EscrowInvalidTermsForMode` for pay after use; `EscrowInvalidState` unless `Signed`;
    /// `EscrowUnauthorized` unless the seller; `EscrowDeadlineNotReached` until the window has
    /// passed; `ReentrancyGuardReentrantCall`.
    function cancelForMissedDeposit(uint256 tradeId) external;

    /// @notice The buyer cancels a trade whose fulfilment did not start within `fulfilmentDays`
    /// business days (a protected trade in `Deposited`, a pay-after-use trade in `Signed`): it is
    /// refunded everything held and gets the seller's bond.
    /// @dev Emits `TradeStateChanged(.., Cancelled)`, `TradeCancelled(FulfilmentNotStarted)`,
    /// `Credited` (buyer: the refund, then the bond, each when not 0), then `GuaranteeChanged` for
    /// pay after use. Reverts: `EscrowUnknownTrade`; `EscrowInvalidTermsForMode` for a direct
    /// trade; `EscrowInvalidState` outside that state; `EscrowUnauthorized` unless the buyer;
    /// `EscrowDeadlineNotReached` until the days have passed; `ReentrancyGuardReentrantCall`.
    function cancelForMissedStart(uint256 tradeId) external;

    /// @notice Ends an unshipped protected or pay-after-use trade whose party in default is known.
    /// The seller cancels in `InFulfilment` once the balance is past due unpaid (`BalanceMissed`:
    /// the deposit is refunded, the bond returned). The buyer cancels once nothing is due and the
    /// latest delivery time passed unshipped, in `InFulfilment`, or in `Deposited` when the deposit
    /// covered the whole price (`NotShipped`: everything refunded, the seller's bond to the buyer).
    /// A seller that never started cannot cancel here: the buyer's `cancelForMissedStart` is the
    /// way out of that default.
    /// @dev The balance is due `shipWindow` before the latest delivery time; a balance paid later
    /// moves the latest delivery time to the payment plus `shipWindow` (see `latestDelivery`).
    /// Emits `TradeStateChanged(.., Cancelled)`, `TradeCancelled`, `Credited` (the buyer's refund,
    /// then the bond to whoever gets it, each when not 0), then `GuaranteeChanged` for pay after
    /// use. Reverts: `EscrowUnknownTrade`; `EscrowInvalidTermsForMode` for a direct trade;
    /// `EscrowInvalidState` outside `Deposited` and `InFulfilment`, or in `Deposited` with the
    /// balance due; `EscrowUnauthorized` for any other caller; `EscrowDeadlineNotReached` before
    /// the deadline; `ReentrancyGuardReentrantCall`.
    function cancelUnshipped(uint256 tradeId) external;

    /// @notice A shipped protected or pay-after-use trade (`Shipped`, `Received` or `Halted`) with
    /// no conforming delivery by the latest delivery time plus `deliveryGrace` ends: `NotDelivered`
    /// (the next lot never received, or halted) refunds everything held and gives the buyer the
    /// seller's bond; `TitleNotAttested` (received in the terms, title never attested) refunds the
    /// buyer and returns the bond, since neither party defaulted. Either party may cancel, except a
    /// buyer that owes a price raised after dispatch: then only the seller, for `BalanceMissed`
    /// (the buyer's money back, the bond to the seller). A lot held by the escrow goes back to the
    /// seller with its warehouse receipt; lots whose title passed stay paid for. Not while a claim
    /// is open.
    /// @dev Emits `TradeStateChanged(.., Cancelled)`, `TradeCancelled`, `Credited` (the buyer's
    /// refund, then the bond to whoever gets it, each when not 0), `GuaranteeChanged` for pay after
    /// use, then the receipt contract's `Transfer` of a held lot to the seller.
    /// Reverts: `EscrowUnknownTrade`; `EscrowInvalidTermsForMode` for a direct trade;
    /// `EscrowInvalidState` in any other state; `EscrowInvalidClaimStatus` while a claim is open;
    /// `EscrowUnauthorized` for anyone else; `EscrowDeadlineNotReached` before the deadline;
    /// `ReentrancyGuardReentrantCall`.
    function cancelUndelivered(uint256 tradeId) external;

    // ------------------------------------------------------------------------------------------------
    // Money out, bonds, signatures
    // ------------------------------------------------------------------------------------------------

    /// @notice Anyone withdraws everything credited to it in `token` (address(0): the native coin).
    /// @dev Emits `Withdrawn`. Reverts: `EscrowNothingToWithdraw` when nothing is credited; the
    /// transfer's errors (native coin: `FailedCall` or the recipient's; ERC-20: the token's own or
    /// `SafeERC20FailedOperation`); `ReentrancyGuardReentrantCall`.
    function withdraw(address token) external;

    /// @notice Anyone withdraws everything credited to it in each of `tokens`, as `withdraw` does.
    /// @dev Emits one `Withdrawn` per token. All or nothing: reverts with `EscrowNothingToWithdraw`
    /// naming the first token with nothing credited (a repeated token has nothing left the second
    /// time), or with a transfer's errors as `withdraw`; `ReentrancyGuardReentrantCall`.
    function withdrawMany(address[] calldata tokens) external;

    /// @notice Anyone has everything credited to it in `token` paid to `to`: for a party whose own
    /// address a token's issuer blocks, or that moved to another wallet.
    /// @dev Emits `Withdrawn` (the caller's credit). Reverts: `EscrowZeroAddress` for `to`;
    /// `EscrowNothingToWithdraw`; the transfer's errors as `withdraw`;
    /// `ReentrancyGuardReentrantCall`.
    function withdrawTo(address token, address to) external;

    /// @notice The caller adds `amount` to its own operator bond, in the deployment's bond token
    /// (native coin: send exactly `amount`; ERC-20: approve it). Anyone may post; only
    /// OPERATOR_ROLE holders whose bond meets their requirement can be designated.
    /// @dev Emits `OperatorBondChanged`. Reverts: `EscrowInvalidAmount` when `amount` is 0 or the
    /// bond would pass 2**96 - 1; payment: `EscrowWrongValue`, the token's own error or
    /// `SafeERC20FailedOperation`, `EscrowTokenShortfall`; `ReentrancyGuardReentrantCall`.
    function postOperatorBond(uint256 amount) external payable;

    /// @notice An operator takes back `amount` of its own bond; while trades designate it, the bond
    /// stays at or above its requirement.
    /// @dev Emits `OperatorBondChanged`. Reverts: `EscrowInvalidAmount` when `amount` is 0 or
    /// above the bond; `EscrowOperatorBondLocked` when open trades need the rest; the transfer's
    /// errors as `withdraw`; `ReentrancyGuardReentrantCall`.
    function withdrawOperatorBond(uint256 amount) external;

    /// @notice Anyone invalidates one of its own signature nonces (one set per signer, shared by
    /// every kind of signature), cancelling any signature that uses it.
    /// @dev Emits `NonceInvalidated`. Reverts: `EscrowNonceUsed` when used or invalidated already.
    function invalidateNonce(uint256 nonce) external;

    // ------------------------------------------------------------------------------------------------
    // Admin (DEFAULT_ADMIN_ROLE): none of these can move escrowed money
    // ------------------------------------------------------------------------------------------------

    /// @notice DEFAULT_ADMIN_ROLE sets the platform fee that new terms must name (opening,
    /// proposing, and accepting a proposal made before); at most the deployment's cap.
    /// @dev Emits `FeeSet`. Reverts: `AccessControlUnauthorizedAccount`; `EscrowFeeAboveCap`.
    function setFee(uint16 feeBps) external;

    /// @notice DEFAULT_ADMIN_ROLE sets where fees are credited from now on (every trade's).
    /// @dev Emits `TreasurySet`. Reverts: `AccessControlUnauthorizedAccount`; `EscrowZeroAddress`.
    function setTreasury(address treasury) external;

    /// @notice DEFAULT_ADMIN_ROLE sets the bond `operator` must hold to be designated on new terms
    /// (opening, proposal, acceptance, amendment), and below which it cannot withdraw while
    /// designated.
    /// @dev Emits `OperatorBondRequirementSet`. Reverts: `AccessControlUnauthorizedAccount`;
    /// `EscrowInvalidAmount` above 2**96 - 1.
    function setOperatorBondRequirement(address operator, uint256 amount) external;

    /// @notice DEFAULT_ADMIN_ROLE stops new trades (opening, proposing, accepting). Trades in
    /// progress go on, amendments included.
    /// @dev Emits `Paused`. Reverts: `AccessControlUnauthorizedAccount`; `EnforcedPause` when
    /// paused already.
    function pause() external;

    /// @notice DEFAULT_ADMIN_ROLE lets new trades open again.
    /// @dev Emits `Unpaused`. Reverts: `AccessControlUnauthorizedAccount`; `ExpectedPause` when not
    /// paused.
    function unpause() external;

    // ------------------------------------------------------------------------------------------------
    // Views: anyone may call them; none reverts but `stageDeadline`
    // ------------------------------------------------------------------------------------------------

    /// @notice The stored state of a trade (all zero for an unknown trade).
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

    /// @notice The trade's claim (all zero when none was filed).
    function claim(uint256 tradeId) external view returns (ClaimView memory);

    /// @notice The deadline of the current stage, or 0 when the stage has none: in `Signed` the
    /// deposit's (pay after use: the start's); in `Deposited` the start's; in `InFulfilment` the
    /// balance's, then the shipment's; in `Shipped` the automatic confirmation of a direct trade;
    /// in `Shipped`, `Received` and `Halted` otherwise, when the undelivered trade may be
    /// cancelled; in `Delivered` the automatic confirmation (pay after use) or the claim window's
    /// end.
    /// @dev Reverts: `EscrowUnknownTrade`.
    function stageDeadline(uint256 tradeId) external view returns (uint256);

    /// @notice A buyer's latest recorded credit score.
    function creditScore(address buyer) external view returns (CreditView memory);

    /// @notice The guarantor pool of `token`: its balance, and how much of it guarantees open
    /// trades.
    function pool(address token) external view returns (uint256 balance, uint256 committed);

    /// @notice What `buyer` owes the pool in `token`.
    function debt(address buyer, address token) external view returns (uint256);

    /// @notice What the pool of `token` guarantees for `buyer`'s open trades, and the cap new
    /// trades get.
    function buyerExposure(
        address buyer,
        address token
    ) external view returns (uint256 exposure, uint256 cap);

    /// @notice The credit threshold: a buyer needs a score above it to pay after use.
    function creditThreshold() external view returns (uint16);
}
