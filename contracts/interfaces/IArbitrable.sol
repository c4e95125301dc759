// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IArbitrator} from "./IArbitrator.sol";

/// @title IArbitrable
/// @notice A contract whose disputes an arbitrator rules, in the shape of ERC-792.
interface IArbitrable {
    /// @notice The arbitrator gave its final ruling on a dispute.
    event Ruling(IArbitrator indexed arbitrator, uint256 indexed disputeID, uint256 ruling);

    /// @notice Receives the final ruling of dispute `disputeID`. Only the dispute's arbitrator may
    /// call.
    /// @dev Emits `Ruling`. TradeEscrow: reverts `EscrowUnknownDispute` unless the caller is the
    /// court of a dispute with that id about one of its trades; after `Ruling` it emits
    /// `ClaimRuled` (a ruling above the choices read as the highest) when that claim is still
    /// `Contested` on this dispute, and otherwise (settled meanwhile) records nothing more, so the
    /// court can always finish.
    /// @param ruling 0 when the arbitrator refused to rule, otherwise one of the dispute's choices.
    function rule(uint256 disputeID, uint256 ruling) external;
}
