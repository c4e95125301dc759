// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {BusinessDays} from "../libraries/BusinessDays.sol";
import {ITradeEscrowTypes} from "../interfaces/ITradeEscrowTypes.sol";
import {TradeMath} from "../libraries/TradeMath.sol";
import {TradeTerms} from "../libraries/TradeTerms.sol";

/// @title LibraryHarness
/// @notice TEST-ONLY. Exposes the escrow's pure libraries so tests can check them against references.
contract LibraryHarness {
    /// @notice BusinessDays.add.
    function addBusinessDays(
        uint256 timestamp,
        uint256 businessDays
    ) external pure returns (uint256) {
        return BusinessDays.add(timestamp, businessDays);
    }

    /// @notice BusinessDays.dayOfWeek.
    function dayOfWeek(uint256 timestamp) external pure returns (uint256) {
        return BusinessDays.dayOfWeek(timestamp);
    }

    /// @notice BusinessDays.isBusinessDay.
    function isBusinessDay(uint256 timestamp) external pure returns (bool) {
        return BusinessDays.isBusinessDay(timestamp);
    }

    /// @notice TradeMath.deposit.
    function deposit(uint256 price, uint16 depositBps) external pure returns (uint256) {
        return TradeMath.deposit(price, depositBps);
    }

    /// @notice TradeMath.splitFee.
    function splitFee(
        uint256 amount,
        uint16 feeBps
    ) external pure returns (uint256 sellerAmount, uint256 fee) {
        return TradeMath.splitFee(amount, feeBps);
    }

    /// @notice TradeMath.lotShare.
    function lotShare(
        uint256 price,
        uint64 lotQuantity,
        uint64 quantity
    ) external pure returns (uint256) {
        return TradeMath.lotShare(price, lotQuantity, quantity);
    }

    /// @notice TradeMath.toleranceRange.
    function toleranceRange(
        uint64 quantity,
        uint16 toleranceBps
    ) external pure returns (uint256 min, uint256 max) {
        return TradeMath.toleranceRange(quantity, toleranceBps);
    }

    /// @notice TradeTerms.hash: the EIP-712 struct hash of the terms (the escrow itself no longer offers
    /// it; clients hash with the sdk's `hashTerms`).
    function hashTerms(ITradeEscrowTypes.Terms calldata terms) external pure returns (bytes32) {
        return TradeTerms.hash(terms);
    }
}
