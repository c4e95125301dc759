// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrowTypes} from "../interfaces/ITradeEscrowTypes.sol";

/// @title EscrowStorage
/// @notice The escrow's state, in one ERC-7201 namespace so the contract and its external logic libraries
/// (which run by delegatecall in the escrow's context) share it without clashing with inherited storage.
/// @custom:storage-location erc7201:trade-escrow.storage.TradeEscrow
library EscrowStorage {
    /// @dev Packed: slot 0 the hot fields every step touches, slot 1 lot progress, slot 2 the seller's bond
    /// and claim refunds (written only by trades that have them).
    struct Trade {
        ITradeEscrowTypes.TradeState state;
        uint16 version;
        uint16 lotsDone;
        uint8 flags;
        uint40 stageAt;
        uint96 escrowed;
        uint64 receivedQuantity;
        uint96 released;
        uint64 pendingQuantity;
        uint40 pendingTime;
        uint40 arrivedAt;
        uint96 sellerBond;
        uint96 refunded; // claim refunds: they lower the price the buyer still owes
        uint40 balancePaidAt; // set only when the balance came after its due time (LATE_BALANCE)
    }

    /// @dev The terms in force of a trade, kept at opening and at each amendment so that later steps take
    /// only the trade id. Packed by who reads them: slot 0 every money step, slot 1 the buyer's steps,
    /// slot 2 the seller's and the delivery's, slot 3 the operator's attestations, slot 4 bonds, late
    /// cancellations, automatic confirmation and the court. The manifest's CID is not kept (no step reads
    /// it; TradeOpened and TradeAmended carry it, with the rest of the terms, for the indexer and auditors).
    /// `court` is 0 for a trade without a claim window, else the id of its interned court (`courts`).
    struct Terms {
        address token;
        uint96 price;
        address buyer;
        ITradeEscrowTypes.PaymentMode mode;
        uint16 depositBps;
        uint32 depositWindow;
        uint32 shipWindow;
        uint8 fulfilmentDays;
        address seller;
        uint40 latestDelivery;
        uint32 claimWindow;
        uint16 feeBps;
        uint8 responseDays;
        address operator;
        uint64 quantity;
        uint16 toleranceBps;
        uint16 lots;
        uint96 sellerBond;
        uint32 deliveryGrace;
        uint32 collectAfter;
        uint32 court;
    }

    /// @dev A court and the terms a trade hears claims on (`arbitratorExtraData`). Each distinct pair is
    /// kept once and trades refer to it by id: most trades share the platform's few court terms, so a
    /// trade pays one lookup instead of storing five words.
    struct Court {
        address arbitrator;
        bytes extraData;
    }

    /// @dev A trade's claim: slot 0 its status and terms, slot 1 the court's dispute id.
    struct Claim {
        ITradeEscrowTypes.ClaimStatus status;
        ITradeEscrowTypes.ClaimGround ground;
        uint16 refundBps;
        uint40 filedAt;
        uint96 costs;
        uint32 ruling;
        uint256 disputeId;
    }

    struct OperatorAccount {
        uint96 bond;
        uint96 required;
        uint64 openTrades;
    }

    struct Config {
        address treasury;
        uint16 feeBps;
        uint64 tradeCount;
        uint16 creditThreshold;
    }

    /// @dev A buyer's latest credit score and the oracle that attested it.
    struct CreditRecord {
        uint16 score;
        uint40 issuedAt;
        uint40 expiresAt;
        address oracle;
    }

    /// @dev The guarantor pool of a token: its balance and the part reserved for open pay-after-use trades.
    struct Pool {
        uint128 balance;
        uint128 committed;
    }

    struct Layout {
        Config config;
        mapping(uint256 tradeId => Trade) trades;
        mapping(address account => mapping(address token => uint256)) credits;
        mapping(address signer => mapping(uint256 word => uint256)) nonceBitmaps;
        mapping(address operator => OperatorAccount) operators;
        mapping(uint256 tradeId => Claim) claims;
        mapping(address arbitrator => mapping(uint256 disputeId => uint256 tradeId)) disputeTrades;
        mapping(bytes32 reportHash => bool) inspectionReports;
        mapping(address buyer => CreditRecord) creditScores;
        mapping(address token => Pool) pools;
        mapping(address buyer => mapping(address token => uint256)) debts;
        // Operators whose attestation a trade accepted: only they answer for a false one. The current
        // operator's bit is the trade's OPERATOR_ATTESTED flag; an amendment that replaces the operator
        // moves it here and loads the new operator's.
        mapping(uint256 tradeId => mapping(address operator => bool)) attested;
        // Pay after use: what the pool guarantees for each buyer's open trades, the cap the admin sets per
        // token for new trades, and the cap each trade took when it opened (a price rise is judged by it).
        mapping(address buyer => mapping(address token => uint256)) exposures;
        mapping(address token => uint256) exposureCaps;
        mapping(uint256 tradeId => uint256) tradeExposureCaps;
        mapping(uint256 tradeId => Terms) terms;
        // The EIP-712 hash of a proposal's terms, which its acceptor must name (cleared when it ends).
        mapping(uint256 tradeId => bytes32) proposals;
        mapping(uint32 id => Court) courts;
        mapping(bytes32 courtHash => uint32 id) courtIds;
        uint32 courtCount;
    }

    /// @dev Trade flags.
    uint8 internal constant PROPOSED_BY_SELLER = 1;
    uint8 internal constant PENDING_LOT = 2;
    uint8 internal constant PENDING_TITLE = 4;
    /// @dev The operator the current terms designate has attested on this trade (for a false-attestation
    /// ruling). Kept in the hot slot every attestation writes anyway instead of in `attested`: saves a
    /// zero-to-nonzero SSTORE (~20,000 gas) per attestation. `attested` holds the bit of operators an
    /// amendment replaced.
    uint8 internal constant OPERATOR_ATTESTED = 8;
    /// @dev `released` (SOME_RELEASED) or `refunded` (SOME_REFUNDED) may be nonzero: set by every write that
    /// raises it, never cleared. A clear bit means the field is zero, so the steps that compute what is due
    /// (balance, shipping, title transfer) skip its slot's cold read: 2,100 gas each (see TradeFlow).
    uint8 internal constant SOME_RELEASED = 16;
    uint8 internal constant SOME_REFUNDED = 32;
    /// @dev The balance was paid after its due time (`shipWindow` before the latest delivery time): the
    /// latest delivery time moves to `balancePaidAt + shipWindow` (see TradeFlow.latestDelivery).
    uint8 internal constant LATE_BALANCE = 64;

    // keccak256(abi.encode(uint256(keccak256("trade-escrow.storage.TradeEscrow")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _LOCATION =
        0xded19663f823023e3b6a105997e0f28f4651a259c36775a71b22c40842ffbf00;

    function layout() internal pure returns (Layout storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := _LOCATION
        }
    }
}
