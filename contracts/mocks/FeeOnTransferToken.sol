// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferToken
/// @notice TEST-ONLY. An ERC-20 that burns 1% of every transfer, so the recipient gets less than
/// the amount sent. Used to show that the escrow credits what it received, or rejects the token.
/// Mints and burns are not taxed. Anyone may mint; never deploy it outside tests.
contract FeeOnTransferToken is ERC20 {
    // --- Constants and immutables ---

    /// @notice The fee burnt on every transfer, in basis points of the amount (1%).
    uint256 public constant FEE_BPS = 100;

    uint256 private constant _BPS = 10_000;

    uint8 private immutable _decimals;

    // --- Constructor ---

    /// @notice Creates the token.
    /// @param name_ The token name.
    /// @param symbol_ The token symbol.
    /// @param decimals_ The number of decimals, e.g. 6.
    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        _decimals = decimals_;
    }

    // --- External writes ---

    /// @notice Mints `amount` to `to`, untaxed. Anyone may call. Emits {Transfer}.
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

    // --- Internal ---

    /// @dev On a transfer (neither side the zero address), burns `value * FEE_BPS / 10_000`
    /// (rounded down) from `from` and moves the rest to `to`: two {Transfer} events, the first to
    /// the zero address.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = (value * FEE_BPS) / _BPS;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
