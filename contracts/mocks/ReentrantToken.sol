// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";

/// @title ReentrantToken
/// @notice TEST-ONLY. An ERC-20 that, once armed, calls a chosen contract with chosen calldata
/// during its next transfer, before any balance moves (like an ERC-777 `tokensToSend` hook). The
/// call's outcome is recorded, never bubbled, so a test can assert that a reentrancy guard
/// rejected it. Anyone may mint or arm; never deploy it outside tests.
contract ReentrantToken is ERC20 {
    // --- Constants and immutables ---

    uint8 private immutable _decimals;

    // --- Storage ---

    /// @notice Whether the next transfer makes the reentrant call.
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

    // --- Constructor ---

    /// @notice Creates the token, disarmed.
    /// @param name_ The token name.
    /// @param symbol_ The token symbol.
    /// @param decimals_ The number of decimals, e.g. 6.
    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        _decimals = decimals_;
    }

    // --- External writes ---

    /// @notice Mints `amount` to `to`; minting never triggers the reentrant call. Anyone may call.
    /// @param to The recipient.
    /// @param amount The amount in base units.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the token: the next `transfer` or `transferFrom` calls `target` with `data`
    /// once, then disarms. Anyone may call.
    /// @param target The contract to call back into, e.g. the escrow.
    /// @param data The calldata, e.g. an encoded `withdraw`.
    function arm(address target, bytes calldata data) external {
        armed = true;
        reentryTarget = target;
        reentryData = data;
    }

    // --- Public views ---

    /// @inheritdoc ERC20
    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    // --- Internal ---

    /// @dev Makes the reentrant call on a transfer (neither side the zero address) while armed,
    /// then moves the balances.
    function _update(address from, address to, uint256 value) internal override {
        if (armed && from != address(0) && to != address(0)) _reenter();
        super._update(from, to, value);
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
