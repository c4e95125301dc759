// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IArbitrator} from "./IArbitrator.sol";

/// @title IArbitrable
/// @notice A contract whose disputes an arbitrator rules, in the shape of ERC-792.
interface IArbitrable {
    /// @notice The arbitrator gave its final ruling on a dispute.
    event Ruling(IArbitrator indexed arbitrator, uint256 indexed disputeID, uint256 ruling);

    /// @notice Receives the final ruling of dispute `disputeID`. Only the dispute's arbitrator may call.
    /// @param ruling 0 when the arbitrator refused to rule, otherwise one of the dispute's choices.
    function rule(uint256 disputeID, uint256 ruling) external;
}
