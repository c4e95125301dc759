// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";

/// @title ReentrantReceiver
/// @notice TEST-ONLY. A trade party whose `receive` calls back into a chosen contract with chosen
/// calldata once, when armed. The call's outcome is recorded, never bubbled, so the payment still
/// succeeds and a test can assert that a reentrancy guard rejected the call. It makes any call it
/// is told to make. Anyone may drive it; never deploy it outside tests.
contract ReentrantReceiver {
    // --- Storage ---

    /// @notice Whether the next native coin received triggers the reentrant call.
    bool public armed;

    /// @notice The contract the reentrant call goes to.
    address public reentryTarget;

    /// @notice The calldata of the reentrant call.
    bytes public reentryData;

    /// @notice Whether the last reentrant call succeeded.
    bool public lastReentrySucceeded;

    /// @notice What the last reentrant call returned, or its revert data.
    bytes public lastReentryReturndata;

    // --- Events ---

    /// @notice Emitted after the reentrant call, whatever its outcome.
    /// @param target The contract called.
    /// @param success Whether the call succeeded.
    /// @param returndata What it returned, or its revert data (e.g. a guard's custom error).
    event ReentryAttempted(address indexed target, bool success, bytes returndata);

    // --- Receive ---

    /// @notice Accepts native coin; while armed, first makes the reentrant call and disarms.
    receive() external payable {
        if (armed) _reenter();
    }

    // --- External writes ---

    /// @notice Arms the receiver: the next native coin received calls `target` with `data` once,
    /// then disarms. Anyone may call.
    /// @param target The contract to call back into, e.g. the escrow.
    /// @param data The calldata, e.g. an encoded `withdraw`.
    function arm(address target, bytes calldata data) external {
        armed = true;
        reentryTarget = target;
        reentryData = data;
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

    // --- Private ---

    /// @dev Disarms first, so the call cannot trigger itself again, then calls and records.
    function _reenter() private {
        address target = reentryTarget;
        bytes memory data = reentryData;
        armed = false;
        delete reentryTarget;
        delete reentryData;

        bool success = LowLevelCall.callNoReturn(target, data);
        bytes memory returndata = LowLevelCall.returnData();
        lastReentrySucceeded = success;
        lastReentryReturndata = returndata;
        emit ReentryAttempted(target, success, returndata);
    }
}
