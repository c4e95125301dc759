// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IArbitrable} from "./IArbitrable.sol";

/// @title IArbitrator
/// @notice An arbitration service in the shape of ERC-792: an arbitrable contract creates a dispute and
/// pays for it, the arbitrator rules and calls back `IArbitrable.rule`. Fees are paid in the native coin.
interface IArbitrator {
    enum DisputeStatus {
        Waiting, // being decided
        Appealable, // ruled; the ruling can be appealed until the appeal period ends
        Solved // final; the arbitrable has been told
    }

    /// @notice A dispute was created by `arbitrable`.
    event DisputeCreation(uint256 indexed disputeID, IArbitrable indexed arbitrable);

    /// @notice The ruling of `disputeID` can now be appealed.
    event AppealPossible(uint256 indexed disputeID, IArbitrable indexed arbitrable);

    /// @notice The ruling of `disputeID` was appealed.
    event AppealDecision(uint256 indexed disputeID, IArbitrable indexed arbitrable);

    /// @notice Creates a dispute with `choices` possible rulings, paying `arbitrationCost(extraData)`.
    function createDispute(
        uint256 choices,
        bytes calldata extraData
    ) external payable returns (uint256 disputeID);

    /// @notice Appeals the current ruling of `disputeID`, paying `appealCost(disputeID, extraData)`.
    function appeal(uint256 disputeID, bytes calldata extraData) external payable;

    /// @notice What creating a dispute with `extraData` costs.
    function arbitrationCost(bytes calldata extraData) external view returns (uint256 cost);

    /// @notice What appealing `disputeID` costs now.
    function appealCost(
        uint256 disputeID,
        bytes calldata extraData
    ) external view returns (uint256 cost);

    /// @notice When the current ruling of `disputeID` can be appealed (zeros when it cannot).
    function appealPeriod(uint256 disputeID) external view returns (uint256 start, uint256 end);

    /// @notice The status of `disputeID`.
    function disputeStatus(uint256 disputeID) external view returns (DisputeStatus status);

    /// @notice The current ruling of `disputeID` (0 while none).
    function currentRuling(uint256 disputeID) external view returns (uint256 ruling);
}
