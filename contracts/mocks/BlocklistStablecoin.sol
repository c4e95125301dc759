// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MockStablecoin} from "./MockStablecoin.sol";

/// @title BlocklistStablecoin
/// @notice TEST-ONLY. A stablecoin whose issuer can block addresses from sending and receiving, as USDC
/// and USDT do. Anyone may block or mint; never deploy it outside tests.
contract BlocklistStablecoin is MockStablecoin {
    // --- Storage ---

    /// @notice Addresses that can neither send nor receive the token.
    mapping(address account => bool) public blocked;

    // --- Errors ---

    /// @notice A transfer from or to a blocked address.
    /// @param account The blocked address.
    error BlocklistStablecoinBlocked(address account);

    // --- Constructor ---

    /// @notice A 6-decimal "Blocklist USD".
    constructor() MockStablecoin("Blocklist USD", "BLUSD", 6) {}

    // --- External writes ---

    /// @notice Blocks or unblocks `account`. Anyone may call.
    /// @param account The address.
    /// @param isBlocked Whether it is blocked.
    function setBlocked(address account, bool isBlocked) external {
        blocked[account] = isBlocked;
    }

    // --- Internal ---

    /// @dev Refuses any movement from or to a blocked address.
    function _update(address from, address to, uint256 value) internal override {
        if (blocked[from]) revert BlocklistStablecoinBlocked(from);
        if (blocked[to]) revert BlocklistStablecoinBlocked(to);
        super._update(from, to, value);
    }
}
