// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IWarehouseReceipt} from "./interfaces/IWarehouseReceipt.sol";

/// @title WarehouseReceipt
/// @notice The warehouse receipt (title document) of each received lot, as an ERC-721 token.
/// @dev Deployed by the escrow in its constructor, so the minter is fixed and cannot be changed. The
/// receipt's data (trade, lot, quantity, time, document CID) is in the escrow's `LotReceived` event;
/// the id itself encodes trade and lot, so nothing else is stored.
contract WarehouseReceipt is ERC721, IWarehouseReceipt {
    // ---------------------------------------------------------------- immutables

    /// @inheritdoc IWarehouseReceipt
    address public immutable escrow;

    // ---------------------------------------------------------------- constructor

    /// @notice Deployed by the escrow, which becomes the only minter.
    constructor() ERC721("Trade Escrow Warehouse Receipt", "TEWR") {
        escrow = msg.sender;
    }

    // ---------------------------------------------------------------- external writes

    /// @inheritdoc IWarehouseReceipt
    function mint(address to, uint256 id) external {
        if (msg.sender != escrow) revert ReceiptUnauthorizedMinter(msg.sender);
        // _mint, not _safeMint: the receipt must reach the buyer even if its wallet has no ERC-721 hook,
        // and no recipient may block a release by reverting in onERC721Received.
        _mint(to, id);
    }

    // ---------------------------------------------------------------- external views

    /// @inheritdoc IWarehouseReceipt
    function receiptId(uint256 tradeId, uint16 lot) external pure returns (uint256) {
        return (tradeId << 16) | lot;
    }
}
