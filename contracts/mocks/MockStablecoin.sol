// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title MockStablecoin
/// @notice TEST-ONLY. A well-behaved stablecoin: ERC-20 with EIP-2612 permit and configurable
/// decimals (6 like USDC in the fixtures). Anyone may mint; never deploy it outside tests.
contract MockStablecoin is ERC20, ERC20Permit {
    // --- Constants and immutables ---

    uint8 private immutable _decimals;

    // --- Constructor ---

    /// @notice Creates the token; the permit domain uses `name_` and version "1".
    /// @param name_ The token name, also the EIP-712 domain name.
    /// @param symbol_ The token symbol.
    /// @param decimals_ The number of decimals, e.g. 6.
    constructor(
        string memory name_,
        string memory symbol_,
        uint8 decimals_
    ) ERC20(name_, symbol_) ERC20Permit(name_) {
        _decimals = decimals_;
    }

    // --- External writes ---

    /// @notice Mints `amount` to `to`. Anyone may call. Emits {Transfer} from the zero address.
    /// @param to The recipient.
    /// @param amount The amount in base units.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    // --- Public views ---

    /// @inheritdoc ERC20
    function decimals() public view override returns (uint8) {
        return _decimals;
    }
}
