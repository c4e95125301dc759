// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";

import {IArbitrable} from "../interfaces/IArbitrable.sol";
import {IArbitrator} from "../interfaces/IArbitrator.sol";

/// @title MockArbitrable
/// @notice TEST-ONLY. A minimal arbitrable contract: it opens disputes at a court and appeals them on
/// anyone's behalf, and records the ruling the court delivers. It accepts `rule` only from the court it
/// opened the dispute at, so tests can show that only the court delivers rulings, and it can be told to
/// revert in `rule`, so tests can show what the court does when an arbitrable refuses its ruling, or to
/// make a call of the test's choosing from inside `rule`, so tests can show the court refuses re-entry.
/// Anyone may drive it; never deploy it outside tests.
contract MockArbitrable is IArbitrable {
    // --- Storage ---

    /// @notice The court each dispute was opened at (zero for a dispute this contract never opened).
    mapping(uint256 disputeID => IArbitrator court) public courtOf;

    /// @notice Whether `rule` was called for a dispute.
    mapping(uint256 disputeID => bool ruled) public ruled;

    /// @notice The ruling delivered for a dispute.
    mapping(uint256 disputeID => uint256 ruling) public rulingOf;

    /// @notice The last ruling delivered, for any dispute.
    uint256 public lastRuling;

    /// @notice The dispute of the last ruling delivered.
    uint256 public lastDisputeID;

    /// @notice How many times `rule` succeeded, for any dispute.
    uint256 public ruleCount;

    /// @notice Whether `rule` reverts with {MockArbitrableRefused}; false at deployment.
    bool public refuseRulings;

    /// @notice The contract `rule` calls before recording the ruling (zero for none).
    address public reentryTarget;

    /// @notice The calldata of that call.
    bytes public reentryData;

    // --- Errors ---

    /// @notice `rule` was called by an account that is not the dispute's court.
    /// @param caller Who called.
    /// @param disputeID The dispute it named.
    error MockArbitrableNotArbitrator(address caller, uint256 disputeID);

    /// @notice `rule` was called while `refuseRulings` is set.
    /// @param disputeID The dispute.
    /// @param ruling The ruling refused.
    error MockArbitrableRefused(uint256 disputeID, uint256 ruling);

    // --- External writes ---

    /// @notice Opens a dispute at `court`, forwarding `msg.value` as the fee. Anyone may call.
    /// @param court The court.
    /// @param choices The number of choices.
    /// @param extraData The court's terms (and excluded accounts).
    /// @return disputeID The court's id of the dispute.
    function createDispute(
        IArbitrator court,
        uint256 choices,
        bytes calldata extraData
    ) external payable returns (uint256 disputeID) {
        disputeID = court.createDispute{value: msg.value}(choices, extraData);
        courtOf[disputeID] = court;
    }

    /// @notice Appeals dispute `disputeID` at `court`, forwarding `msg.value` as the fee. Anyone may call.
    /// @param court The court.
    /// @param disputeID The dispute.
    /// @param extraData Passed through to the court.
    function appeal(
        IArbitrator court,
        uint256 disputeID,
        bytes calldata extraData
    ) external payable {
        court.appeal{value: msg.value}(disputeID, extraData);
    }

    /// @notice Sets whether `rule` reverts. Anyone may call.
    /// @param refuse True to make `rule` revert.
    function setRefuseRulings(bool refuse) external {
        refuseRulings = refuse;
    }

    /// @notice Makes `rule` call `target` with `data` (no value) and bubble its revert. Anyone may call.
    /// @param target The contract to call from inside `rule`; zero to stop.
    /// @param data The calldata.
    function setReentry(address target, bytes calldata data) external {
        reentryTarget = target;
        reentryData = data;
    }

    /// @inheritdoc IArbitrable
    /// @dev Reverts with {MockArbitrableNotArbitrator} unless the caller is the dispute's court, with
    /// {MockArbitrableRefused} while `refuseRulings` is set, and with whatever the re-entry call reverts
    /// with. Emits {Ruling}.
    function rule(uint256 disputeID, uint256 ruling) external {
        IArbitrator court = courtOf[disputeID];
        if (address(court) == address(0) || msg.sender != address(court)) {
            revert MockArbitrableNotArbitrator(msg.sender, disputeID);
        }
        if (refuseRulings) revert MockArbitrableRefused(disputeID, ruling);
        if (
            reentryTarget != address(0) && !LowLevelCall.callNoReturn(reentryTarget, 0, reentryData)
        ) {
            LowLevelCall.bubbleRevert();
        }
        ruled[disputeID] = true;
        rulingOf[disputeID] = ruling;
        lastRuling = ruling;
        lastDisputeID = disputeID;
        ++ruleCount;
        emit Ruling(court, disputeID, ruling);
    }
}
