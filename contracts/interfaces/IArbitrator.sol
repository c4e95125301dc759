// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IArbitrable} from "./IArbitrable.sol";

/// @title IArbitrator
/// @notice An arbitration service in the shape of ERC-792: an arbitrable contract creates a dispute
/// and pays for it, the arbitrator rules and calls back `IArbitrable.rule`. Fees are paid in the
/// native coin.
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

    /// @notice Creates a dispute with `choices` possible rulings, paying
    /// `arbitrationCost(extraData)` in the native coin. Anyone may call; the caller becomes the
    /// dispute's arbitrable, which alone may appeal and receives the ruling through
    /// `IArbitrable.rule`.
    /// @dev Emits `DisputeCreation`. ArbitrationCourt reverts: `CourtInvalidChoices` unless 2 to
    /// `MAX_CHOICES`; `CourtInvalidTerms` for `extraData` other than an `abi.encode(CourtTerms)`
    /// (odd panel up to 15, windows of 1 s to 365 days, fee under 2**96), optionally followed by
    /// `abi.encode(address[3])`; `CourtWrongFee` unless `msg.value` is the cost;
    /// `ReentrancyGuardReentrantCall`.
    function createDispute(
        uint256 choices,
        bytes calldata extraData
    ) external payable returns (uint256 disputeID);

    /// @notice Appeals the current ruling of `disputeID`, paying `appealCost(disputeID, extraData)`
    /// in the native coin. Only the dispute's arbitrable may call, while the ruling is appealable.
    /// @dev Emits `AppealDecision`. ArbitrationCourt (one appeal, to a panel of 2 * panelSize + 1;
    /// `extraData` ignored) reverts: `CourtUnknownDispute`; `CourtNotArbitrable` for another
    /// caller; `CourtInvalidPhase` unless Appealable (before the first ruling, or once appealed);
    /// `CourtTooLate` after the appeal window; `CourtWrongFee` unless `msg.value` is the cost;
    /// `CourtNotEnoughArbitrators` when too few arbitrators are eligible for the appeal's panel;
    /// `ReentrancyGuardReentrantCall`.
    function appeal(uint256 disputeID, bytes calldata extraData) external payable;

    /// @notice What creating a dispute with `extraData` costs. Anyone.
    /// @dev ArbitrationCourt: `panelSize * feePerArbitrator`; reverts `CourtInvalidTerms` for
    /// malformed or out-of-range terms (as `createDispute`).
    function arbitrationCost(bytes calldata extraData) external view returns (uint256 cost);

    /// @notice What appealing `disputeID` costs now. Anyone.
    /// @dev ArbitrationCourt: `(2 * panelSize + 1) * feePerArbitrator`, or `type(uint256).max` when
    /// the ruling is not appealable; reverts `CourtUnknownDispute`.
    function appealCost(
        uint256 disputeID,
        bytes calldata extraData
    ) external view returns (uint256 cost);

    /// @notice When the current ruling of `disputeID` can be appealed (zeros when it cannot).
    /// Anyone.
    /// @dev ArbitrationCourt reverts `CourtUnknownDispute`.
    function appealPeriod(uint256 disputeID) external view returns (uint256 start, uint256 end);

    /// @notice The status of `disputeID`. Anyone.
    /// @dev ArbitrationCourt reverts `CourtUnknownDispute`.
    function disputeStatus(uint256 disputeID) external view returns (DisputeStatus status);

    /// @notice The current ruling of `disputeID` (0 while none). Anyone.
    /// @dev ArbitrationCourt reverts `CourtUnknownDispute`.
    function currentRuling(uint256 disputeID) external view returns (uint256 ruling);
}
