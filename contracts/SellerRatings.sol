// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrow} from "./interfaces/ITradeEscrow.sol";
import {ISellerRatings} from "./interfaces/ISellerRatings.sol";

/// @title SellerRatings
/// @notice Ratings of sellers by the buyers of their completed trades; see ISellerRatings.
/// @dev Separate from the escrow, which it only reads: a trade is ratable when the escrow's committed
/// terms hash matches the terms given and its state is Completed; the escrow's `stageAt` of a finished
/// trade is its completion time. Every payment mode counts, so direct payments build a seller's record too.
contract SellerRatings is ISellerRatings {
    // ---------------------------------------------------------------- constants and immutables

    /// @notice How long after completion the buyer may rate.
    uint256 public constant RATING_WINDOW = 30 days;

    /// @inheritdoc ISellerRatings
    ITradeEscrow public immutable escrow;

    // ---------------------------------------------------------------- storage

    mapping(uint256 tradeId => bool) private _rated;
    mapping(address seller => SellerTotals) private _totals;

    // ---------------------------------------------------------------- constructor

    /// @notice Deploys the ratings of `escrow_`'s trades.
    constructor(ITradeEscrow escrow_) {
        escrow = escrow_;
    }

    // ---------------------------------------------------------------- external writes

    /// @inheritdoc ISellerRatings
    function rate(
        uint256 tradeId,
        ITradeEscrow.Terms calldata terms,
        uint8 service,
        uint8 speed,
        uint8 accuracy
    ) external {
        ITradeEscrow.TradeView memory t = escrow.trade(tradeId);
        if (t.state != ITradeEscrow.TradeState.Completed)
            revert RatingsTradeNotCompleted(tradeId, t.state);
        if (escrow.hashTerms(terms) != t.termsHash) revert RatingsTermsMismatch(tradeId);
        if (msg.sender != terms.buyer) revert RatingsNotBuyer(tradeId, msg.sender);
        uint256 deadline = uint256(t.stageAt) + RATING_WINDOW;
        if (block.timestamp > deadline) revert RatingsWindowClosed(tradeId, deadline);
        if (_rated[tradeId]) revert RatingsAlreadyRated(tradeId);
        if (!_valid(service) || !_valid(speed) || !_valid(accuracy)) {
            revert RatingsInvalidScore(service, speed, accuracy);
        }
        _rated[tradeId] = true;
        SellerTotals storage totals_ = _totals[terms.seller];
        // 64-bit sums of scores up to 5 cannot overflow.
        ++totals_.count;
        totals_.serviceSum += service;
        totals_.speedSum += speed;
        totals_.accuracySum += accuracy;
        emit SellerRated(terms.seller, tradeId, msg.sender, service, speed, accuracy);
    }

    // ---------------------------------------------------------------- external views

    /// @inheritdoc ISellerRatings
    function rated(uint256 tradeId) external view returns (bool) {
        return _rated[tradeId];
    }

    /// @inheritdoc ISellerRatings
    function totals(address seller) external view returns (SellerTotals memory) {
        return _totals[seller];
    }

    // ---------------------------------------------------------------- private

    function _valid(uint8 score) private pure returns (bool) {
        return score >= 1 && score <= 5;
    }
}
