// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";

/// @title RevertingReceiver
/// @notice TEST-ONLY. A trade party that refuses native coin (until told otherwise) and makes any
/// call it is told to make. Used to show that a party refusing a payout cannot block the others.
/// Anyone may drive it; never deploy it outside tests.
contract RevertingReceiver {
    // --- Storage ---

    /// @notice Whether `receive` accepts native coin; false at deployment.
    bool public acceptPayments;

    // --- Errors ---

    /// @notice Native coin was sent while `acceptPayments` is false.
    /// @param sender Who sent it.
    /// @param value How much was sent, in wei.
    error RevertingReceiverRejected(address sender, uint256 value);

    // --- Receive ---

    /// @notice Reverts with {RevertingReceiverRejected} unless `acceptPayments` is set.
    receive() external payable {
        if (!acceptPayments) revert RevertingReceiverRejected(msg.sender, msg.value);
    }

    // --- External writes ---

    /// @notice Sets whether native coin is accepted. Anyone may call.
    /// @param accept True to accept native coin.
    function setAcceptPayments(bool accept) external {
        acceptPayments = accept;
    }

    /// @notice Calls `target` with `data` and `value` wei from this contract's balance (which
    /// includes `msg.value`). Anyone may call. Bubbles the callee's revert data.
    /// @param target The contract or account to call.
    /// @param value The wei to send.
    /// @param data The calldata.
    /// @return What the call returned.
    function execute(
        address target,
        uint256 value,
        bytes calldata data
    ) external payable returns (bytes memory) {
        if (!LowLevelCall.callNoReturn(target, value, data)) LowLevelCall.bubbleRevert();
        return LowLevelCall.returnData();
    }
}
