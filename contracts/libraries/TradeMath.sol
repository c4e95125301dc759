// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title TradeMath
/// @notice The money and quantity arithmetic of a trade. Every share rounds down, in favour of whoever
/// keeps the remainder, so the parts of an amount always add up to the amount.
library TradeMath {
    uint256 internal constant BPS = 10_000;

    /// @notice The deposit: `price * depositBps / 10_000`, rounded down. The balance is the rest of the price.
    function deposit(uint256 price, uint16 depositBps) internal pure returns (uint256) {
        return Math.mulDiv(price, depositBps, BPS);
    }

    /// @notice A refund of `refundBps` of the price, rounded down (in the seller's favour by under a unit).
    function refund(uint256 price, uint256 refundBps) internal pure returns (uint256) {
        return Math.mulDiv(price, refundBps, BPS);
    }

    /// @notice Splits a released amount into the platform fee (rounded down) and the seller's part.
    function splitFee(
        uint256 amount,
        uint16 feeBps
    ) internal pure returns (uint256 sellerAmount, uint256 fee) {
        fee = Math.mulDiv(amount, feeBps, BPS);
        sellerAmount = amount - fee;
    }

    /// @notice The share of `price` a lot of `lotQuantity` out of `quantity` releases, rounded down.
    function lotShare(
        uint256 price,
        uint64 lotQuantity,
        uint64 quantity
    ) internal pure returns (uint256) {
        return Math.mulDiv(price, lotQuantity, quantity);
    }

    /// @notice The accepted range of the total quantity: `quantity` plus or minus `toleranceBps`,
    /// the allowance rounded down (a tolerance never admits more than it says).
    function toleranceRange(
        uint64 quantity,
        uint16 toleranceBps
    ) internal pure returns (uint256 min, uint256 max) {
        uint256 allowance = Math.mulDiv(quantity, toleranceBps, BPS);
        // toleranceBps <= 10_000, so allowance <= quantity.
        min = quantity - allowance;
        max = quantity + allowance;
    }
}
