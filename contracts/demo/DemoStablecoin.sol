// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title DemoStablecoin
/// @notice The local stack's demo dollar ("Demo USD", 6 decimals like USDC): an ERC-20 with
/// EIP-2612 permit that only its owner mints. It stands in for a real stablecoin on a local chain;
/// on a public network trades name the real token.
contract DemoStablecoin is ERC20, ERC20Permit, Ownable {
    // --- Constructor ---

    /// @notice Creates the token with no supply; `owner_` mints.
    /// @param owner_ The minter.
    constructor(address owner_) ERC20("Demo USD", "DUSD") ERC20Permit("Demo USD") Ownable(owner_) {}

    // --- External writes ---

    /// @notice Mints `amount` to `to`. Only the owner. Emits {Transfer} from the zero address.
    /// @param to The recipient.
    /// @param amount The amount in base units (6 decimals).
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    // --- Public views ---

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
