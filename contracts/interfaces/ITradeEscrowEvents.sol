// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrowTypes} from "./ITradeEscrowTypes.sol";

/// @title ITradeEscrowEvents
/// @notice The escrow's events: with the terms they carry, they alone rebuild every trade (the
/// indexer's and the auditor's reducer in the sdk). `ITradeEscrow` inherits them.
interface ITradeEscrowEvents is ITradeEscrowTypes {
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

    /// @notice The seller dispatched the goods with the shipping documents (bill of lading,
    /// waybill, customs declaration) committed by `documentsCid`.
    event GoodsShipped(uint256 indexed tradeId, bytes documentsCid);

    /// @notice A logistics milestone, with its supporting document.
    event MilestoneRecorded(
        uint256 indexed tradeId,
        Milestone indexed milestone,
        address indexed recordedBy,
        bytes documentCid
    );

    /// @notice The operator received a lot; a warehouse receipt token was minted to `holder` (the
    /// escrow, or the buyer when title passed in the same attestation). `kind` is the attestation:
    /// a combined one held by the escrow (the lot halted) passes title as soon as an amendment
    /// makes the lot conform.
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

    /// @notice The operator attested the goods' arrival at the port of destination (at `arrivedAt`,
    /// as it attests); the claim window opens at the time of the block that carries this event.
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

    /// @notice The court's final ruling on the trade's claim (choice `refundBps + 1`; 0 when it
    /// refused).
    event ClaimRuled(uint256 indexed tradeId, uint256 indexed disputeId, uint256 ruling);

    /// @notice The claim was resolved: `refund` from escrow and `costs` from the seller's bond to
    /// the buyer.
    event ClaimResolved(
        uint256 indexed tradeId,
        ClaimOutcome outcome,
        uint256 refund,
        uint256 costs
    );

    /// @notice A ruling found the operator's attestation false: `amount`, the same share of its
    /// bond as the refund the ruling granted is of the price, went to the buyer `to`.
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

    /// @notice Collection fell short by `shortfall`: the guarantor pool paid it and the buyer owes
    /// it.
    event CollectionFailed(
        uint256 indexed tradeId,
        address indexed buyer,
        address indexed token,
        uint256 shortfall
    );

    /// @notice A buyer repaid `amount` of its debt in `token` to the pool; `remaining` is still
    /// owed.
    event DebtRepaid(
        address indexed buyer,
        address indexed token,
        uint256 amount,
        uint256 remaining
    );

    /// @notice The guarantor pool of `token` changed by `delta` (funded positive, withdrawn
    /// negative).
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

    /// @notice The admin set the cap of one buyer's exposure to the pool of `token`, for new
    /// trades.
    event BuyerExposureCapSet(address indexed token, uint256 cap);

    /// @notice Both parties signed an amendment; `terms` is the new version.
    event TradeAmended(
        uint256 indexed tradeId,
        uint16 indexed version,
        bytes32 termsHash,
        Terms terms
    );

    /// @notice The trade ended without delivery. The seller's bond goes to the buyer when the
    /// seller defaulted (fulfilment not started, not shipped, not delivered) and back to the seller
    /// otherwise.
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
}
