// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ITradeEscrowTypes
/// @notice The escrow's enums and structs: a trade's states, payment modes, attestations, claims,
/// the terms both parties sign, and the views. `ITradeEscrow` inherits them, so they are named
/// `ITradeEscrow.X` everywhere.
interface ITradeEscrowTypes {
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

    /// @notice The terms of the electronic purchase contract; every duration, share and amount is a
    /// term.
    /// @dev The goods description, delivery place and attached documents live in the manifest on
    /// IPFS, committed by `manifestCid` (binary CID). `price` and `sellerBond` must fit in 96 bits.
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

    /// @notice A party's consent given off chain: an EIP-712 signature with its own nonce and
    /// deadline.
    /// @dev A party that calls the function itself passes an empty `signature` and is not asked for
    /// one.
    struct PartySignature {
        uint256 nonce;
        uint256 deadline;
        bytes signature;
    }

    /// @notice An operator's attestation about one lot of one trade.
    struct Attestation {
        uint256 tradeId;
        AttestationKind kind;
        uint16 lot; // 1-based lot number (ignored for PortArrival)
        uint64 quantity; // received in this lot (ignored for TitleTransfer and PortArrival)
        uint64 time; // when received (PortArrival: arrived); ignored for TitleTransfer
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

    /// @notice An accredited credit oracle's attestation of a buyer's score (EIP-712
    /// `CreditScore`).
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

    /// @notice The terms in force of a trade as the escrow keeps them, as `termsOf(tradeId)`
    /// returns them: every member of `Terms` but the manifest's CID, which TradeOpened and
    /// TradeAmended carry.
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
}
