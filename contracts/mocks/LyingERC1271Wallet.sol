// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";

/// @title LyingERC1271Wallet
/// @notice TEST-ONLY. A smart-contract wallet that says yes (ERC-1271) to every hash and
/// signature. Used to show that a lying wallet can only ever authorise actions for itself, never
/// for another party. The owner makes calls through `execute`. Never deploy it outside tests.
contract LyingERC1271Wallet is IERC1271, Ownable {
    // --- Constructor ---

    /// @notice Creates the wallet.
    /// @param initialOwner The account who may `execute`.
    constructor(address initialOwner) Ownable(initialOwner) {}

    // --- Receive ---

    /// @notice Accepts native coin.
    receive() external payable {}

    // --- External writes ---

    /// @notice Calls `target` with `data` and `value` wei from this wallet's balance (which
    /// includes `msg.value`). Only the owner may call. Bubbles the callee's revert data.
    /// @param target The contract or account to call.
    /// @param value The wei to send.
    /// @param data The calldata.
    /// @return What the call returned.
    function execute(
        address target,
        uint256 value,
        bytes calldata data
    ) external payable onlyOwner returns (bytes memory) {
        if (!LowLevelCall.callNoReturn(target, value, data)) LowLevelCall.bubbleRevert();
        return LowLevelCall.returnData();
    }

    // --- External views ---

    /// @notice Returns the ERC-1271 magic value for any hash and any signature: it lies.
    /// @return magicValue Always `IERC1271.isValidSignature.selector`.
    function isValidSignature(bytes32, bytes calldata) external pure returns (bytes4 magicValue) {
        return IERC1271.isValidSignature.selector;
    }
}
