// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

/// @title IWarehouseReceipt
/// @notice Warehouse receipts as ERC-721 tokens: one token per received lot, minted by the escrow
/// when the operator attests receipt and handed to the buyer when title passes. Holding the token
/// is holding the title document; it transfers like any ERC-721.
interface IWarehouseReceipt is IERC721 {
    /// @notice Only the escrow that deployed this contract may mint.
    error ReceiptUnauthorizedMinter(address caller);

    /// @notice Mints receipt `receiptId` to `to`, with no receiver hook. Only the escrow that
    /// deployed this contract may call.
    /// @dev Emits `Transfer(address(0), to, receiptId)`. Reverts: `ReceiptUnauthorizedMinter` for
    /// any other caller; `ERC721InvalidReceiver` when `to` is zero;
    /// `ERC721InvalidSender(address(0))` when the receipt exists.
    function mint(address to, uint256 receiptId) external;

    /// @notice The escrow that mints the receipts (its deployer).
    function escrow() external view returns (address);

    /// @notice The receipt id of lot `lot` of trade `tradeId`: `tradeId << 16 | lot`. Pure.
    function receiptId(uint256 tradeId, uint16 lot) external pure returns (uint256);
}
