// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FalseReturningToken
/// @notice TEST-ONLY. An ERC-20 whose `transfer` and `transferFrom` return false, moving nothing
/// and spending no allowance, while `failing` is set; otherwise a normal ERC-20. Used to show that
/// SafeERC20 turns a false return into a revert. Anyone may mint or toggle; never deploy it.
contract FalseReturningToken is ERC20 {
    // --- Constants and immutables ---

    uint8 private immutable _decimals;

    // --- Storage ---

    /// @notice Whether `transfer` and `transferFrom` currently return false.
    bool public failing;

    // --- Constructor ---

    /// @notice Creates the token, not failing.
    /// @param name_ The token name.
    /// @param symbol_ The token symbol.
    /// @param decimals_ The number of decimals, e.g. 6.
    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        _decimals = decimals_;
    }

    // --- External writes ---

    /// @notice Mints `amount` to `to`. Anyone may call; works whether or not `failing` is set.
    /// @param to The recipient.
    /// @param amount The amount in base units.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Sets whether transfers return false. Anyone may call.
    /// @param failing_ True to make `transfer` and `transferFrom` return false.
    function setFailing(bool failing_) external {
        failing = failing_;
    }

    // --- Public writes ---

    /// @notice Returns false and moves nothing while `failing` is set; otherwise a normal transfer.
    /// @param to The recipient.
    /// @param value The amount in base units.
    /// @return Whether the transfer happened.
    function transfer(address to, uint256 value) public override returns (bool) {
        if (failing) return false;
        return super.transfer(to, value);
    }

    /// @notice Returns false, moving nothing and spending no allowance, while `failing` is set;
    /// otherwise a normal `transferFrom`.
    /// @param from The holder.
    /// @param to The recipient.
    /// @param value The amount in base units.
    /// @return Whether the transfer happened.
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (failing) return false;
        return super.transferFrom(from, to, value);
    }

    // --- Public views ---

    /// @inheritdoc ERC20
    function decimals() public view override returns (uint8) {
        return _decimals;
    }
}
