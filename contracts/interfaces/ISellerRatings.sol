// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrow} from "./ITradeEscrow.sol";
import {ITradeEscrowTypes} from "./ITradeEscrowTypes.sol";

/// @title ISellerRatings
/// @notice After a trade completes, its buyer may rate the seller once within 30 days: service,
/// delivery speed and accuracy of description, each 1 to 5. Only a trade that cost something to
/// fake may be rated (see `rate`). Each rating is an event carrying its time; the contract keeps a
/// running sum and count per seller. The 180-day average is computed off chain from the events.
interface ISellerRatings {
    /// @notice A seller's all-time totals.
    struct SellerTotals {
        uint64 count;
        uint64 serviceSum;
        uint64 speedSum;
        uint64 accuracySum;
    }

    /// @notice The buyer of `tradeId` rated its seller at `ratedAt` (the block's time, unix
    /// seconds).
    event SellerRated(
        address indexed seller,
        uint256 indexed tradeId,
        address indexed buyer,
        uint8 service,
        uint8 speed,
        uint8 accuracy,
        uint64 ratedAt
    );

    /// @notice The admin set the platform fee a trade paid in `token` must reach, without an
    /// operator's attested title, to be ratable (0: no such trade is ratable).
    event MinRatingFeeSet(address indexed token, uint256 minFee);

    /// @notice The trade has not completed (or ended another way).
    error RatingsTradeNotCompleted(uint256 tradeId, ITradeEscrowTypes.TradeState state);
    /// @notice Only the trade's buyer may rate it.
    error RatingsNotBuyer(uint256 tradeId, address caller);
    /// @notice The 30-day rating window closed at `deadline`.
    error RatingsWindowClosed(uint256 tradeId, uint256 deadline);
    /// @notice The trade was rated already.
    error RatingsAlreadyRated(uint256 tradeId);
    /// @notice Each score is 1 to 5.
    error RatingsInvalidScore(uint8 service, uint8 speed, uint8 accuracy);
    /// @notice The trade cost too little to fake: no lot's title was attested by a warehouse
    /// operator (`lotsDone` 0, or the terms name no operator), and the platform fee it paid, `fee`,
    /// is below the token's floor `minFee` (or the floor is 0, unset).
    error RatingsTradeNotQualified(uint256 tradeId, uint16 lotsDone, uint256 fee, uint256 minFee);

    /// @notice The buyer rates the seller of a completed trade, once, within 30 days of completion.
    /// The trade must be attested (an accredited warehouse operator attested title to at least one
    /// lot: every completed protected or pay-after-use trade, and a direct trade that named an
    /// operator and went through it), or must have paid a platform fee of at least
    /// `minFee(terms.token)`, a floor that is not 0.
    /// @dev Anyone may call; only the trade's buyer succeeds. Emits `SellerRated`. Reverts, in
    /// this order: `RatingsTradeNotCompleted` unless the escrow has the trade `Completed` (an
    /// unknown trade reads `None`); `RatingsNotBuyer` unless the caller is the buyer of the terms
    /// in force; `RatingsWindowClosed` more than 30 days after completion; `RatingsAlreadyRated`;
    /// `RatingsTradeNotQualified` when no lot's title passed (`lotsDone` 0) or the terms name no
    /// operator, and the fee (`price * feeBps / 10_000`) is below `minFee(token)` or that is 0;
    /// `RatingsInvalidScore` when a score is outside 1 to 5.
    function rate(uint256 tradeId, uint8 service, uint8 speed, uint8 accuracy) external;

    /// @notice Sets the platform fee, in `token`'s smallest unit, that makes a trade without
    /// attested title ratable; 0 makes none ratable. Per token because tokens differ in decimals
    /// and value.
    /// @dev Only the owner (the platform admin). Emits `MinRatingFeeSet`. Applies to ratings given
    /// from then on. Reverts: `OwnableUnauthorizedAccount` for any other caller.
    function setMinFee(address token, uint256 minFee) external;

    /// @notice The escrow whose trades are rated. The views below never revert.
    function escrow() external view returns (ITradeEscrow);

    /// @notice The fee floor of `token` (see `setMinFee`).
    function minFee(address token) external view returns (uint256);

    /// @notice Whether `tradeId` has been rated.
    function rated(uint256 tradeId) external view returns (bool);

    /// @notice A seller's all-time totals.
    function totals(address seller) external view returns (SellerTotals memory);
}
