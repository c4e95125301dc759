// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrow} from "./ITradeEscrow.sol";

/// @title ISellerRatings
/// @notice After a trade completes, its buyer may rate the seller once within 30 days: service, delivery
/// speed and accuracy of description, each 1 to 5. Each rating is an event; the contract keeps a running
/// sum and count per seller. The 180-day average is computed off chain from the events.
interface ISellerRatings {
    /// @notice A seller's all-time totals.
    struct SellerTotals {
        uint64 count;
        uint64 serviceSum;
        uint64 speedSum;
        uint64 accuracySum;
    }

    /// @notice The buyer of `tradeId` rated its seller.
    event SellerRated(
        address indexed seller,
        uint256 indexed tradeId,
        address indexed buyer,
        uint8 service,
        uint8 speed,
        uint8 accuracy
    );

    /// @notice The trade has not completed (or ended another way).
    error RatingsTradeNotCompleted(uint256 tradeId, ITradeEscrow.TradeState state);
    /// @notice The terms given are not the trade's.
    error RatingsTermsMismatch(uint256 tradeId);
    /// @notice Only the trade's buyer may rate it.
    error RatingsNotBuyer(uint256 tradeId, address caller);
    /// @notice The 30-day rating window closed at `deadline`.
    error RatingsWindowClosed(uint256 tradeId, uint256 deadline);
    /// @notice The trade was rated already.
    error RatingsAlreadyRated(uint256 tradeId);
    /// @notice Each score is 1 to 5.
    error RatingsInvalidScore(uint8 service, uint8 speed, uint8 accuracy);

    /// @notice The buyer rates the seller of a completed trade, once, within 30 days of completion.
    /// @dev Emits `SellerRated`. Reverts with the errors above.
    function rate(
        uint256 tradeId,
        ITradeEscrow.Terms calldata terms,
        uint8 service,
        uint8 speed,
        uint8 accuracy
    ) external;

    /// @notice The escrow whose trades are rated.
    function escrow() external view returns (ITradeEscrow);

    /// @notice Whether `tradeId` has been rated.
    function rated(uint256 tradeId) external view returns (bool);

    /// @notice A seller's all-time totals.
    function totals(address seller) external view returns (SellerTotals memory);
}
