// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ITradeEscrow} from "./interfaces/ITradeEscrow.sol";
import {ITradeEscrowTypes} from "./interfaces/ITradeEscrowTypes.sol";
import {ISellerRatings} from "./interfaces/ISellerRatings.sol";
import {TradeMath} from "./libraries/TradeMath.sol";

/// @title SellerRatings
/// @notice Ratings of sellers by the buyers of their completed trades; see ISellerRatings.
/// @dev Separate from the escrow, which it only reads: a trade is ratable when the escrow's committed
/// terms hash matches the terms given, its state is Completed (the escrow's `stageAt` of a finished trade
/// is its completion time), and it cost something to fake. A seller rating itself through a second
/// address pays itself the price, so the price is no cost; what it cannot get back is:
/// - an accredited warehouse operator's attestation of title (`lotsDone > 0`). Operators are accredited
///   by the platform and bonded, and the escrow checks the accreditation when the trade opens and on every
///   attestation; faking this means corrupting one. Every completed protected and pay-after-use trade has
///   it (they complete only through attested title); a direct trade has it if it named an operator and
///   the operator attested title (a direct trade confirmed by the buyer alone does not).
/// - or the platform fee, which goes to the treasury: a direct trade qualifies if the fee it paid,
///   `price * feeBps / 10_000` (the escrow's own split, taken in full when the buyer pays), is at least
///   the floor the owner set for its token. A floor is per token because a fee in a token of unknown
///   decimals and value means nothing without one; an unset floor (0) qualifies no trade, so a zero-fee
///   one-unit trade never does.
/// Every payment mode can still build a seller's record.
contract SellerRatings is ISellerRatings, Ownable2Step {
    // ---------------------------------------------------------------- constants and immutables

    /// @notice How long after completion the buyer may rate.
    uint256 public constant RATING_WINDOW = 30 days;

    /// @inheritdoc ISellerRatings
    ITradeEscrow public immutable escrow;

    // ---------------------------------------------------------------- storage

    mapping(uint256 tradeId => bool) private _rated;
    mapping(address seller => SellerTotals) private _totals;
    mapping(address token => uint256) private _minFee;

    // ---------------------------------------------------------------- constructor

    /// @notice Deploys the ratings of `escrow_`'s trades, with `owner_` (the platform admin) setting the fee
    /// floors. No floor is set: until one is, only attested trades are ratable.
    constructor(ITradeEscrow escrow_, address owner_) Ownable(owner_) {
        escrow = escrow_;
    }

    // ---------------------------------------------------------------- external writes

    /// @inheritdoc ISellerRatings
    function rate(uint256 tradeId, uint8 service, uint8 speed, uint8 accuracy) external {
        ITradeEscrowTypes.TradeView memory t = escrow.trade(tradeId);
        if (t.state != ITradeEscrowTypes.TradeState.Completed)
            revert RatingsTradeNotCompleted(tradeId, t.state);
        ITradeEscrowTypes.TermsView memory terms = escrow.termsOf(tradeId);
        if (msg.sender != terms.buyer) revert RatingsNotBuyer(tradeId, msg.sender);
        uint256 deadline = uint256(t.stageAt) + RATING_WINDOW;
        if (block.timestamp > deadline) revert RatingsWindowClosed(tradeId, deadline);
        if (_rated[tradeId]) revert RatingsAlreadyRated(tradeId);
        // Title passes only on the designated operator's attestation; a trade without an operator has none.
        if (t.lotsDone == 0 || terms.operator == address(0)) {
            (, uint256 fee) = TradeMath.splitFee(terms.price, terms.feeBps);
            uint256 floor = _minFee[terms.token];
            if (floor == 0 || fee < floor)
                revert RatingsTradeNotQualified(tradeId, t.lotsDone, fee, floor);
        }
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
        // block.timestamp fits 64 bits for hundreds of billions of years.
        emit SellerRated(
            terms.seller,
            tradeId,
            msg.sender,
            service,
            speed,
            accuracy,
            uint64(block.timestamp)
        );
    }

    /// @inheritdoc ISellerRatings
    function setMinFee(address token, uint256 minFee_) external onlyOwner {
        _minFee[token] = minFee_;
        emit MinRatingFeeSet(token, minFee_);
    }

    // ---------------------------------------------------------------- external views

    /// @inheritdoc ISellerRatings
    function minFee(address token) external view returns (uint256) {
        return _minFee[token];
    }

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
