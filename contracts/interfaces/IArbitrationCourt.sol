// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IArbitrator} from "./IArbitrator.sol";

/// @title IArbitrationCourt
/// @notice The platform's court: accredited arbitrators, a panel drawn per dispute, sealed votes
/// that are committed then revealed, a ruling computed on chain as the median of the revealed
/// votes, and one appeal to a larger panel. Every draw, commit, reveal, ruling and appeal is an
/// event an auditor can recount.
/// @dev Choices are ordered (1 = the least for the claimant, `choices` = the most), so a median is
/// meaningful; the escrow uses choice `refundBps + 1`.
interface IArbitrationCourt is IArbitrator {
    // ------------------------------------------------------------------------------------------------
    // Types
    // ------------------------------------------------------------------------------------------------

    enum Phase {
        None,
        Drawing, // waiting for the draw block, then anyone draws the panel
        Commit, // panel members commit sealed votes
        Reveal, // panel members reveal their votes
        Appealable, // first ruling known; the arbitrable may appeal until the appeal window ends
        Solved // final ruling delivered to the arbitrable
    }

    /// @notice A dispute's terms, fixed when it is created: `abi.encode(CourtTerms)` is the
    /// extraData. The arbitrable may append `abi.encode(address[3])`: accounts the court never
    /// draws (the parties).
    struct CourtTerms {
        uint8 panelSize; // odd; an appeal is heard by 2 * panelSize + 1 arbitrators
        uint32 commitWindow; // seconds after the draw to commit
        uint32 revealWindow; // seconds after the commit window to reveal
        uint32 appealWindow; // seconds after a first ruling to appeal it
        uint96 feePerArbitrator; // native coin per panel seat
    }

    /// @notice A dispute as `dispute(id)` returns it.
    struct DisputeView {
        address arbitrable;
        uint256 choices;
        Phase phase;
        uint8 round; // 0 the first hearing, 1 the appeal
        uint8 attempt; // panels drawn in this round that nobody revealed in
        uint64 drawBlock;
        uint40 drawScheduledAt; // when the current draw was scheduled (for `abandonDraw`'s timeout)
        uint40 commitDeadline;
        uint40 revealDeadline;
        uint40 appealDeadline;
        uint40 ruledAt; // when the current ruling was given
        bool delivered; // the final ruling reached the arbitrable
        uint256 ruling;
        uint256 feePool;
        CourtTerms terms;
    }

    // ------------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------------

    /// @notice The admin accredited an arbitrator.
    event ArbitratorAccredited(address indexed arbitrator);
    /// @notice The admin revoked an arbitrator; it is never drawn again (panels it sits on are
    /// unaffected).
    event ArbitratorRevoked(address indexed arbitrator);
    /// @notice The panel of a round was drawn: from the hash of `drawBlock`, or, when a
    /// `DrawFellBack` of the same dispute, round and attempt comes just before it, from the
    /// dispute's fallback seed.
    event PanelDrawn(
        uint256 indexed disputeID,
        uint8 round,
        uint8 attempt,
        uint64 drawBlock,
        address[] panel
    );
    /// @notice Nobody drew while `drawBlock`'s hash was readable (256 blocks), so the panel of the
    /// `PanelDrawn` that follows comes from `seed`, the fallback seed fixed when the dispute was
    /// created (`fallbackSeed(disputeID, round, attempt)`), not from a new block: waiting never
    /// re-rolls a panel.
    event DrawFellBack(
        uint256 indexed disputeID,
        uint8 round,
        uint8 attempt,
        uint64 drawBlock,
        bytes32 seed
    );
    /// @notice No arbitrator was eligible for `DRAW_TIMEOUT` after the draw was scheduled, so the
    /// dispute ended undrawn with `ruling`: 0 (refused) on a first hearing, the first ruling on
    /// appeal. The fee pool goes to the treasury (a `Credited` event), then the ruling is
    /// delivered.
    event DrawAbandoned(uint256 indexed disputeID, uint8 round, uint8 attempt, uint256 ruling);
    /// @notice A panel member sealed its vote.
    event VoteCommitted(
        uint256 indexed disputeID,
        uint8 round,
        uint8 attempt,
        address indexed arbitrator,
        bytes32 commitment
    );
    /// @notice A panel member revealed its vote.
    event VoteRevealed(
        uint256 indexed disputeID,
        uint8 round,
        uint8 attempt,
        address indexed arbitrator,
        uint256 choice
    );
    /// @notice A round closed with `reveals` revealed votes and `ruling` their median (0 when none
    /// revealed).
    event RoundClosed(
        uint256 indexed disputeID,
        uint8 round,
        uint8 attempt,
        uint256 ruling,
        uint256 reveals
    );
    /// @notice Money became withdrawable: an arbitrator's fee, or forfeited fees for the treasury.
    event Credited(address indexed account, uint256 indexed disputeID, uint256 amount);
    /// @notice `account` withdrew its balance.
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice The arbitrable refused the final ruling; anyone may retry with `deliverRuling`.
    event RulingDeliveryFailed(uint256 indexed disputeID, bytes reason);
    /// @notice The treasury that receives fees nobody earned changed.
    event TreasurySet(address indexed treasury);

    // ------------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------------

    error CourtInvalidTerms(uint8 panelSize, uint32 commitWindow, uint32 revealWindow);
    error CourtInvalidChoices(uint256 choices);
    error CourtWrongFee(uint256 expected, uint256 sent);
    error CourtUnknownDispute(uint256 disputeID);
    error CourtInvalidPhase(uint256 disputeID, Phase phase);
    error CourtTooEarly(uint256 disputeID, uint256 notBefore);
    error CourtTooLate(uint256 disputeID, uint256 deadline);
    error CourtNotOnPanel(uint256 disputeID, address caller);
    error CourtAlreadyCommitted(uint256 disputeID, address arbitrator);
    error CourtNotCommitted(uint256 disputeID, address arbitrator);
    error CourtAlreadyRevealed(uint256 disputeID, address arbitrator);
    error CourtCommitmentMismatch(uint256 disputeID, address arbitrator);
    error CourtInvalidVote(uint256 choice, uint256 choices);
    error CourtNotEnoughArbitrators(uint256 eligible);
    error CourtNotArbitrable(uint256 disputeID, address caller);
    error CourtNothingToWithdraw(address account);
    error CourtAccreditation(address arbitrator, bool accredited);
    error CourtZeroAddress();
    error CourtEmptyCommitment(uint256 disputeID);
    error CourtAlreadyDelivered(uint256 disputeID);
    error CourtInsufficientGas(uint256 gasLeft, uint256 needed);
    error CourtArbitratorsEligible(uint256 disputeID, uint256 eligible);

    // ------------------------------------------------------------------------------------------------
    // Functions
    // ------------------------------------------------------------------------------------------------

    /// @notice DEFAULT_ADMIN_ROLE accredits `arbitrator`, who may be drawn from now on.
    /// @dev Emits `ArbitratorAccredited`. Reverts: `AccessControlUnauthorizedAccount`;
    /// `CourtZeroAddress`; `CourtAccreditation(arbitrator, true)` when accredited already.
    function accreditArbitrator(address arbitrator) external;

    /// @notice DEFAULT_ADMIN_ROLE revokes `arbitrator`, who is not drawn again unless accredited
    /// again; panels it already sits on keep it.
    /// @dev Emits `ArbitratorRevoked`. Reverts: `AccessControlUnauthorizedAccount`;
    /// `CourtAccreditation(arbitrator, false)` when not accredited.
    function revokeArbitrator(address arbitrator) external;

    /// @notice DEFAULT_ADMIN_ROLE sets the account that receives fees nobody earned (rounds without
    /// a single reveal, abandoned draws).
    /// @dev Emits `TreasurySet`. Reverts: `AccessControlUnauthorizedAccount`; `CourtZeroAddress`.
    function setTreasury(address treasury) external;

    /// @notice Anyone: draws the panel once the draw block is mined, from that block's hash; once
    /// that hash is no longer readable (older than 256 blocks), from the dispute's fallback seed,
    /// fixed when it was created. Either way the panel of a round and attempt is one of two panels
    /// fixed in advance, so withholding or timing the draw never yields a fresh one. With fewer
    /// eligible arbitrators than seats, the largest odd number of them sits. The commit window
    /// starts.
    /// @dev Emits `PanelDrawn`, preceded by `DrawFellBack` for a late draw. Reverts:
    /// `CourtUnknownDispute`; `CourtInvalidPhase` unless Drawing; `CourtTooEarly` until the draw
    /// block is mined; `CourtNotEnoughArbitrators` while no arbitrator is eligible (see
    /// `abandonDraw`).
    function drawPanel(uint256 disputeID) external;

    /// @notice Anyone: ends a dispute whose panel cannot be drawn because no accredited arbitrator
    /// is eligible, once `DRAW_TIMEOUT` has passed since the draw was scheduled. A first hearing
    /// ends with ruling 0 (refused to arbitrate), an appeal with the first ruling; the fee pool
    /// goes to the treasury.
    /// @dev Emits `DrawAbandoned`, `Credited` (treasury), then delivers the ruling: the
    /// arbitrable's events (TradeEscrow: `Ruling`, `ClaimRuled`) or `RulingDeliveryFailed`.
    /// Reverts: `CourtUnknownDispute`; `CourtInvalidPhase` unless Drawing;
    /// `CourtArbitratorsEligible` while any arbitrator is eligible (draw instead); `CourtTooEarly`
    /// before the timeout; `CourtInsufficientGas` when too little gas is left for the delivery;
    /// `ReentrancyGuardReentrantCall`.
    function abandonDraw(uint256 disputeID) external;

    /// @notice A member of the current panel seals its vote during the commit window:
    /// `commitmentOf(disputeID, round, attempt, msg.sender, choice, salt)`, once.
    /// @dev Emits `VoteCommitted`. Reverts: `CourtUnknownDispute`; `CourtInvalidPhase` unless
    /// Commit; `CourtTooLate` after the commit window; `CourtNotOnPanel`; `CourtEmptyCommitment`
    /// for a zero commitment; `CourtAlreadyCommitted`.
    function commitVote(uint256 disputeID, bytes32 commitment) external;

    /// @notice A member of the current panel reveals its committed vote during the reveal window
    /// (after the commit window).
    /// @dev Emits `VoteRevealed`. Reverts: `CourtUnknownDispute`; `CourtInvalidPhase` unless Commit
    /// or Reveal; `CourtTooEarly` until the commit window ends; `CourtTooLate` after the reveal
    /// window; `CourtNotOnPanel`; `CourtNotCommitted`; `CourtAlreadyRevealed`; `CourtInvalidVote`
    /// for a choice of 0 or above the dispute's choices; `CourtCommitmentMismatch`.
    function revealVote(uint256 disputeID, uint256 choice, bytes32 salt) external;

    /// @notice Anyone: closes the round after the reveal window (or once every member revealed),
    /// pays the revealers, and rules (the lower median). A first ruling becomes appealable; an
    /// appeal's ruling is final and delivered. A round nobody revealed in is drawn again, up to
    /// three panels per round; after the third the fee goes to the treasury and the ruling is 0 on
    /// a first hearing, the first ruling on appeal, delivered.
    /// @dev Emits `RoundClosed`, then, with reveals, `Credited` per revealer and `AppealPossible`
    /// (first hearing) or the delivery; without, nothing more (redrawn) or `Credited` (treasury)
    /// and the delivery. Delivery: the arbitrable's events (TradeEscrow: `Ruling`, `ClaimRuled`) or
    /// `RulingDeliveryFailed`. Reverts: `CourtUnknownDispute`; `CourtInvalidPhase` unless Commit or
    /// Reveal; `CourtTooEarly` before the reveal window ends with votes unrevealed;
    /// `CourtInsufficientGas` when delivering with too little gas; `ReentrancyGuardReentrantCall`.
    function closeRound(uint256 disputeID) external;

    /// @notice Anyone: makes a first ruling final once its appeal window ended unappealed, and
    /// delivers it.
    /// @dev Emits the arbitrable's events (TradeEscrow: `Ruling`, `ClaimRuled`) or
    /// `RulingDeliveryFailed`. Reverts: `CourtUnknownDispute`; `CourtInvalidPhase` unless
    /// Appealable; `CourtTooEarly` until the appeal window has ended; `CourtInsufficientGas`;
    /// `ReentrancyGuardReentrantCall`.
    function finalize(uint256 disputeID) external;

    /// @notice Anyone: delivers a final ruling the arbitrable refused before. The court's own work
    /// (fees, treasury) is done before any delivery, so a refusing arbitrable never blocks the
    /// court.
    /// @dev Emits the arbitrable's events (TradeEscrow: `Ruling`, `ClaimRuled`) or
    /// `RulingDeliveryFailed` again. Reverts: `CourtUnknownDispute`; `CourtInvalidPhase` unless
    /// Solved; `CourtAlreadyDelivered`; `CourtInsufficientGas` below the delivery's gas;
    /// `ReentrancyGuardReentrantCall`.
    function deliverRuling(uint256 disputeID) external;

    /// @notice Anyone pays itself the fees credited to it, in the native coin.
    /// @dev Emits `Withdrawn`. Reverts: `CourtNothingToWithdraw`; `FailedCall` or the caller's own
    /// revert when the transfer fails; `ReentrancyGuardReentrantCall`.
    function withdraw() external;

    /// @notice The commitment of a vote: binds dispute, round, attempt and voter, so it cannot be
    /// copied. Pure; never reverts.
    function commitmentOf(
        uint256 disputeID,
        uint8 round,
        uint8 attempt,
        address voter,
        uint256 choice,
        bytes32 salt
    ) external pure returns (bytes32);

    /// @notice A dispute's state. Reverts: `CourtUnknownDispute`.
    function dispute(uint256 disputeID) external view returns (DisputeView memory);

    /// @notice The panel of the dispute's current round and attempt (empty before its draw).
    /// Reverts: `CourtUnknownDispute`.
    function panel(uint256 disputeID) external view returns (address[] memory);

    /// @notice A panel member's ballot in the current round and attempt. Reverts:
    /// `CourtUnknownDispute`.
    function ballot(
        uint256 disputeID,
        address arbitrator
    ) external view returns (bytes32 commitment, bool revealed, uint256 choice);

    /// @notice The seed a late draw of `round` and `attempt` uses: keccak256(abi.encode(chainid,
    /// court, arbitrable, n, round, attempt)), n the arbitrable's count of disputes opened, this
    /// one included. Fixed when the dispute was created; no party can move it. Reverts:
    /// `CourtUnknownDispute`.
    function fallbackSeed(
        uint256 disputeID,
        uint8 round,
        uint8 attempt
    ) external view returns (bytes32);

    /// @notice The accredited arbitrators.
    function arbitrators() external view returns (address[] memory);

    /// @notice What `account` may withdraw.
    function withdrawable(address account) external view returns (uint256);
}
