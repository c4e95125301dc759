// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

import {IArbitrable} from "./interfaces/IArbitrable.sol";
import {IArbitrator} from "./interfaces/IArbitrator.sol";
import {IArbitrationCourt} from "./interfaces/IArbitrationCourt.sol";

/// @title ArbitrationCourt
/// @notice The platform's court for contested claims; see IArbitrationCourt.
/// @dev How a panel is chosen: when a dispute (or an appeal, or a redraw) is created, the court fixes the
/// draw block as the next block. Once it is mined anyone calls `drawPanel`, which seeds a partial
/// Fisher-Yates shuffle of the accredited arbitrators with keccak256(blockhash(drawBlock), dispute, round,
/// attempt). Nobody knows that hash when the dispute is created, so no party can steer the draw; only the
/// producer of that one block could bias it, by withholding the block at the cost of its reward. The
/// accounts the arbitrable appends to extraData (the trade's parties) are never drawn.
///
/// Withholding the draw buys no new panel. The EVM reads only the last 256 block hashes, so a draw called
/// later cannot see the draw block's hash. The court used to move the draw to a fresh block then, which let
/// a party that disliked the (public) panel wait and re-roll until it liked one. Now a late draw falls back
/// to a seed fixed when the dispute was created: keccak256(chain, court, arbitrable, n, round, attempt),
/// where n counts the disputes that arbitrable has opened. The dispute id is left out, because anyone can
/// open disputes to move it; n moves only when the arbitrable opens another dispute. So for each round and
/// attempt there are exactly two possible panels: the one from the draw block, and the fallback panel
/// known since the dispute was created. When and whether a party calls `drawPanel` can only choose between
/// those two, and only if nobody else draws within 256 blocks. Anyone may draw, so the other party, a
/// panel member or the platform's keeper can always fix the block-hash panel by drawing in time. Residual:
/// both panels are drawn from the accredited list as it is at the draw, so an admin's accreditation or
/// revocation before a late draw changes the fallback panel; each such change is an event. Not chosen:
/// EIP-2935's block-hash history (needs evm prague; the dev chain and Hardhat's network run cancun); a
/// reward for the first drawer (it only pays a keeper; the fallback is what bounds the choice).
///
/// A dispute nobody can staff: while no accredited arbitrator is eligible (all revoked, or all of them the
/// parties) the draw reverts. Once `DRAW_TIMEOUT` has passed since the draw was scheduled, anyone may end
/// the dispute with `abandonDraw`: like three empty panels, a first hearing ends without a ruling (0), an
/// appeal leaves the first ruling standing, and the unearned fee goes to the treasury.
///
/// Fees: the party that asks for a hearing pays it in advance at a price fixed in the trade's terms
/// (`panelSize * feePerArbitrator`); the appellant pays the appeal (`(2 * panelSize + 1) * fee`). There is
/// exactly one appeal, so no party can outspend the other into submission. The fee of a round is shared
/// equally by the members who revealed (the rounding remainder to the first of them in panel order); a member who does
/// not reveal forfeits its share to those who did. When nobody reveals, the round is drawn again with a new
/// panel and the same fee; after three empty panels the fee goes to the treasury, so no money is ever stuck,
/// and the court refuses to rule (ruling 0) on a first hearing, while on appeal the first ruling stands.
/// An appeal needs enough accredited arbitrators for its larger panel when it is asked for.
///
/// Ruling: the median of the revealed choices. With an even number of reveals it is the lower of the two
/// middle choices, which for the escrow's ordered choices is the smaller refund (the claimant must
/// convince a majority). The first ruling can be appealed within the appeal window; the appeal's ruling is
/// final. Each final ruling is delivered to the arbitrable by `rule`, after the court has settled its own
/// accounts; if the arbitrable reverts, the dispute is solved all the same and anyone can retry delivery.
/// Length: one contract is one court (disputes, panels, votes, appeals, fees); its rules read
/// top to bottom in the order a dispute lives them.
contract ArbitrationCourt is IArbitrationCourt, AccessControl, ReentrancyGuardTransient {
    // ---------------------------------------------------------------- types

    struct Ballot {
        bytes32 commitment;
        bool onPanel;
        bool revealed;
        uint32 choice;
    }

    struct Round {
        address[] panel;
        uint32[] choices;
        mapping(address arbitrator => Ballot) ballots;
    }

    struct DisputeData {
        IArbitrable arbitrable;
        uint32 choices;
        Phase phase;
        uint8 round;
        uint8 attempt;
        uint40 sequence; // n: this is the arbitrable's n-th dispute (from 1)
        uint40 drawBlock;
        uint40 drawScheduledAt;
        uint40 commitDeadline;
        uint40 revealDeadline;
        uint40 appealDeadline;
        uint40 ruledAt;
        bool delivered;
        uint32 ruling;
        CourtTerms terms;
        uint256 feePool;
        address[] excluded;
    }

    // ---------------------------------------------------------------- constants

    /// @notice Panels drawn for one round before the court gives up on it.
    uint8 public constant MAX_ATTEMPTS = 3;

    /// @notice How long a scheduled draw waits for an eligible arbitrator before `abandonDraw` may end it.
    uint256 public constant DRAW_TIMEOUT = 30 days;

    /// @notice The most choices a dispute may have (the escrow uses 10,001: refunds of 0 to 10,000 bps).
    uint256 public constant MAX_CHOICES = 10_001;

    uint256 private constant _MAX_PANEL = 31;
    uint256 private constant _TERMS_LENGTH = 5 * 32;
    uint256 private constant _MAX_WINDOW = 365 days;
    /// @dev Gas a delivery must have, so no caller can starve `rule` into a recorded failure on purpose.
    uint256 private constant _DELIVERY_GAS = 300_000;
    uint256 private constant _EXCLUDED_LENGTH = 3 * 32;

    // ---------------------------------------------------------------- storage

    address private _treasury;
    address[] private _arbitrators;
    mapping(address arbitrator => uint256 indexPlusOne) private _arbitratorIndex;
    uint256 private _disputeCount;
    mapping(uint256 disputeID => DisputeData) private _disputes;
    mapping(bytes32 roundKey => Round) private _rounds;
    mapping(address account => uint256) private _credits;
    mapping(address arbitrable => uint256 count) private _disputesOpenedBy;

    // ---------------------------------------------------------------- constructor

    /// @notice Deploys the court with no arbitrators; the admin accredits them.
    /// @param admin Holder of DEFAULT_ADMIN_ROLE (accreditation, treasury).
    /// @param treasury_ Receives fees nobody earned.
    constructor(address admin, address treasury_) {
        if (admin == address(0) || treasury_ == address(0)) revert CourtZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    // ---------------------------------------------------------------- admin

    /// @inheritdoc IArbitrationCourt
    function accreditArbitrator(address arbitrator) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (arbitrator == address(0)) revert CourtZeroAddress();
        if (_arbitratorIndex[arbitrator] != 0) revert CourtAccreditation(arbitrator, true);
        _arbitrators.push(arbitrator);
        _arbitratorIndex[arbitrator] = _arbitrators.length;
        emit ArbitratorAccredited(arbitrator);
    }

    /// @inheritdoc IArbitrationCourt
    function revokeArbitrator(address arbitrator) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 indexPlusOne = _arbitratorIndex[arbitrator];
        if (indexPlusOne == 0) revert CourtAccreditation(arbitrator, false);
        address last = _arbitrators[_arbitrators.length - 1];
        _arbitrators[indexPlusOne - 1] = last;
        _arbitratorIndex[last] = indexPlusOne;
        _arbitrators.pop();
        delete _arbitratorIndex[arbitrator];
        emit ArbitratorRevoked(arbitrator);
    }

    /// @inheritdoc IArbitrationCourt
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (treasury_ == address(0)) revert CourtZeroAddress();
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    // ---------------------------------------------------------------- ERC-792

    /// @inheritdoc IArbitrator
    function createDispute(
        uint256 choices,
        bytes calldata extraData
    ) external payable nonReentrant returns (uint256 disputeID) {
        if (choices < 2 || choices > MAX_CHOICES) revert CourtInvalidChoices(choices);
        CourtTerms memory terms = _decodeTerms(extraData);
        uint256 cost = uint256(terms.panelSize) * terms.feePerArbitrator;
        if (msg.value != cost) revert CourtWrongFee(cost, msg.value);

        disputeID = ++_disputeCount;
        DisputeData storage d = _disputes[disputeID];
        d.arbitrable = IArbitrable(msg.sender);
        d.choices = uint32(choices);
        d.terms = terms;
        d.feePool = msg.value;
        // A count of one caller's transactions: it fits 40 bits.
        d.sequence = uint40(++_disputesOpenedBy[msg.sender]);
        if (extraData.length == _TERMS_LENGTH + _EXCLUDED_LENGTH) {
            (, address[3] memory excluded) = abi.decode(extraData, (CourtTerms, address[3]));
            d.excluded = [excluded[0], excluded[1], excluded[2]];
        }
        _scheduleDraw(d);
        emit DisputeCreation(disputeID, IArbitrable(msg.sender));
    }

    /// @inheritdoc IArbitrator
    function appeal(uint256 disputeID, bytes calldata) external payable nonReentrant {
        DisputeData storage d = _dispute(disputeID);
        if (msg.sender != address(d.arbitrable)) revert CourtNotArbitrable(disputeID, msg.sender);
        if (d.phase != Phase.Appealable) revert CourtInvalidPhase(disputeID, d.phase);
        if (block.timestamp > d.appealDeadline) revert CourtTooLate(disputeID, d.appealDeadline);
        uint256 cost = _appealCost(d);
        if (msg.value != cost) revert CourtWrongFee(cost, msg.value);
        uint256 eligible = _eligibleCount(d.excluded);
        if (eligible < 2 * uint256(d.terms.panelSize) + 1)
            revert CourtNotEnoughArbitrators(eligible);
        d.round = 1;
        d.attempt = 0;
        d.feePool = msg.value;
        d.appealDeadline = 0;
        _scheduleDraw(d);
        emit AppealDecision(disputeID, d.arbitrable);
    }

    /// @inheritdoc IArbitrator
    function arbitrationCost(bytes calldata extraData) external pure returns (uint256) {
        CourtTerms memory terms = _decodeTerms(extraData);
        return uint256(terms.panelSize) * terms.feePerArbitrator;
    }

    /// @inheritdoc IArbitrator
    function appealCost(uint256 disputeID, bytes calldata) external view returns (uint256) {
        DisputeData storage d = _dispute(disputeID);
        if (d.phase != Phase.Appealable || block.timestamp > d.appealDeadline)
            return type(uint256).max;
        return _appealCost(d);
    }

    /// @inheritdoc IArbitrator
    function appealPeriod(uint256 disputeID) external view returns (uint256 start, uint256 end) {
        DisputeData storage d = _dispute(disputeID);
        if (d.phase != Phase.Appealable) return (0, 0);
        return (d.ruledAt, d.appealDeadline);
    }

    /// @inheritdoc IArbitrator
    function disputeStatus(uint256 disputeID) external view returns (DisputeStatus) {
        Phase phase = _dispute(disputeID).phase;
        if (phase == Phase.Solved) return DisputeStatus.Solved;
        if (phase == Phase.Appealable) return DisputeStatus.Appealable;
        return DisputeStatus.Waiting;
    }

    /// @inheritdoc IArbitrator
    function currentRuling(uint256 disputeID) external view returns (uint256) {
        return _dispute(disputeID).ruling;
    }

    // ---------------------------------------------------------------- hearing

    /// @inheritdoc IArbitrationCourt
    function drawPanel(uint256 disputeID) external {
        DisputeData storage d = _dispute(disputeID);
        if (d.phase != Phase.Drawing) revert CourtInvalidPhase(disputeID, d.phase);
        uint256 drawBlock = d.drawBlock;
        if (block.number <= drawBlock) revert CourtTooEarly(disputeID, drawBlock + 1);
        bytes32 blockHash = blockhash(drawBlock);
        // Older than 256 blocks, the hash reads as zero: the seed fixed at creation decides instead, so a
        // late draw is one known panel, never a new lottery.
        bool late = blockHash == bytes32(0);
        bytes32 seed =
            late
                ? _fallbackSeed(d, d.round, d.attempt)
                : keccak256(abi.encode(blockHash, disputeID, d.round, d.attempt));
        uint256 size = d.round == 0 ? d.terms.panelSize : 2 * uint256(d.terms.panelSize) + 1;
        address[] memory drawn = _draw(seed, size, d.excluded);
        Round storage r = _rounds[_roundKey(disputeID, d.round, d.attempt)];
        r.panel = drawn;
        for (uint256 i = 0; i < drawn.length; ++i) r.ballots[drawn[i]].onPanel = true;
        d.phase = Phase.Commit;
        d.commitDeadline = uint40(block.timestamp + d.terms.commitWindow);
        d.revealDeadline = uint40(block.timestamp + d.terms.commitWindow + d.terms.revealWindow);
        if (late) emit DrawFellBack(disputeID, d.round, d.attempt, uint64(drawBlock), seed);
        emit PanelDrawn(disputeID, d.round, d.attempt, uint64(drawBlock), drawn);
    }

    /// @inheritdoc IArbitrationCourt
    function abandonDraw(uint256 disputeID) external nonReentrant {
        DisputeData storage d = _dispute(disputeID);
        if (d.phase != Phase.Drawing) revert CourtInvalidPhase(disputeID, d.phase);
        uint256 eligible = _eligibleCount(d.excluded);
        if (eligible != 0) revert CourtArbitratorsEligible(disputeID, eligible);
        uint256 notBefore = uint256(d.drawScheduledAt) + DRAW_TIMEOUT + 1;
        if (block.timestamp < notBefore) revert CourtTooEarly(disputeID, notBefore);
        // As after three empty panels: no ruling on a first hearing, the first ruling on appeal.
        uint256 ruling = d.round == 0 ? 0 : d.ruling;
        emit DrawAbandoned(disputeID, d.round, d.attempt, ruling);
        uint256 pool = d.feePool;
        d.feePool = 0;
        _credit(_treasury, disputeID, pool);
        _deliver(disputeID, d, ruling);
    }

    /// @inheritdoc IArbitrationCourt
    function commitVote(uint256 disputeID, bytes32 commitment) external {
        DisputeData storage d = _dispute(disputeID);
        if (d.phase != Phase.Commit) revert CourtInvalidPhase(disputeID, d.phase);
        if (block.timestamp > d.commitDeadline) revert CourtTooLate(disputeID, d.commitDeadline);
        Ballot storage b = _rounds[_roundKey(disputeID, d.round, d.attempt)].ballots[msg.sender];
        if (!b.onPanel) revert CourtNotOnPanel(disputeID, msg.sender);
        if (commitment == bytes32(0)) revert CourtEmptyCommitment(disputeID);
        if (b.commitment != bytes32(0)) revert CourtAlreadyCommitted(disputeID, msg.sender);
        b.commitment = commitment;
        emit VoteCommitted(disputeID, d.round, d.attempt, msg.sender, commitment);
    }

    /// @inheritdoc IArbitrationCourt
    function revealVote(uint256 disputeID, uint256 choice, bytes32 salt) external {
        DisputeData storage d = _dispute(disputeID);
        if (d.phase != Phase.Commit && d.phase != Phase.Reveal)
            revert CourtInvalidPhase(disputeID, d.phase);
        if (block.timestamp <= d.commitDeadline)
            revert CourtTooEarly(disputeID, uint256(d.commitDeadline) + 1);
        if (block.timestamp > d.revealDeadline) revert CourtTooLate(disputeID, d.revealDeadline);
        Round storage r = _rounds[_roundKey(disputeID, d.round, d.attempt)];
        Ballot storage b = r.ballots[msg.sender];
        if (!b.onPanel) revert CourtNotOnPanel(disputeID, msg.sender);
        if (b.commitment == bytes32(0)) revert CourtNotCommitted(disputeID, msg.sender);
        if (b.revealed) revert CourtAlreadyRevealed(disputeID, msg.sender);
        if (choice == 0 || choice > d.choices) revert CourtInvalidVote(choice, d.choices);
        if (commitmentOf(disputeID, d.round, d.attempt, msg.sender, choice, salt) != b.commitment) {
            revert CourtCommitmentMismatch(disputeID, msg.sender);
        }
        d.phase = Phase.Reveal;
        b.revealed = true;
        // choice <= MAX_CHOICES fits 32 bits.
        b.choice = uint32(choice);
        r.choices.push(uint32(choice));
        emit VoteRevealed(disputeID, d.round, d.attempt, msg.sender, choice);
    }

    /// @inheritdoc IArbitrationCourt
    function closeRound(uint256 disputeID) external nonReentrant {
        DisputeData storage d = _dispute(disputeID);
        if (d.phase != Phase.Commit && d.phase != Phase.Reveal)
            revert CourtInvalidPhase(disputeID, d.phase);
        Round storage r = _rounds[_roundKey(disputeID, d.round, d.attempt)];
        uint256 reveals = r.choices.length;
        if (block.timestamp <= d.revealDeadline && reveals < r.panel.length) {
            revert CourtTooEarly(disputeID, uint256(d.revealDeadline) + 1);
        }
        if (reveals == 0) {
            emit RoundClosed(disputeID, d.round, d.attempt, 0, 0);
            if (d.attempt + 1 < MAX_ATTEMPTS) {
                ++d.attempt;
                _scheduleDraw(d);
                return;
            }
            // Three panels and not one vote: the unearned fee goes to the treasury. A first hearing ends
            // without a ruling (0); an appeal nobody heard leaves the first ruling standing.
            uint256 pool = d.feePool;
            d.feePool = 0;
            _credit(_treasury, disputeID, pool);
            _deliver(disputeID, d, d.round == 0 ? 0 : d.ruling);
            return;
        }
        uint256 ruling = _median(r.choices);
        d.ruling = uint32(ruling);
        d.ruledAt = uint40(block.timestamp);
        emit RoundClosed(disputeID, d.round, d.attempt, ruling, reveals);
        _payRevealers(disputeID, d, r);
        if (d.round == 0) {
            d.phase = Phase.Appealable;
            d.appealDeadline = uint40(block.timestamp + d.terms.appealWindow);
            emit AppealPossible(disputeID, d.arbitrable);
        } else {
            _deliver(disputeID, d, ruling);
        }
    }

    /// @inheritdoc IArbitrationCourt
    function finalize(uint256 disputeID) external nonReentrant {
        DisputeData storage d = _dispute(disputeID);
        if (d.phase != Phase.Appealable) revert CourtInvalidPhase(disputeID, d.phase);
        if (block.timestamp <= d.appealDeadline)
            revert CourtTooEarly(disputeID, uint256(d.appealDeadline) + 1);
        _deliver(disputeID, d, d.ruling);
    }

    /// @inheritdoc IArbitrationCourt
    function deliverRuling(uint256 disputeID) external nonReentrant {
        DisputeData storage d = _dispute(disputeID);
        if (d.phase != Phase.Solved) revert CourtInvalidPhase(disputeID, d.phase);
        if (d.delivered) revert CourtAlreadyDelivered(disputeID);
        _tryDeliver(disputeID, d);
    }

    /// @inheritdoc IArbitrationCourt
    function withdraw() external nonReentrant {
        uint256 amount = _credits[msg.sender];
        if (amount == 0) revert CourtNothingToWithdraw(msg.sender);
        delete _credits[msg.sender];
        emit Withdrawn(msg.sender, amount);
        Address.sendValue(payable(msg.sender), amount);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IArbitrationCourt
    function dispute(uint256 disputeID) external view returns (DisputeView memory) {
        DisputeData storage d = _dispute(disputeID);
        return
            DisputeView({
                arbitrable: address(d.arbitrable),
                choices: d.choices,
                phase: d.phase,
                round: d.round,
                attempt: d.attempt,
                drawBlock: d.drawBlock,
                drawScheduledAt: d.drawScheduledAt,
                commitDeadline: d.commitDeadline,
                revealDeadline: d.revealDeadline,
                appealDeadline: d.appealDeadline,
                ruledAt: d.ruledAt,
                delivered: d.delivered,
                ruling: d.ruling,
                feePool: d.feePool,
                terms: d.terms
            });
    }

    /// @inheritdoc IArbitrationCourt
    function panel(uint256 disputeID) external view returns (address[] memory) {
        DisputeData storage d = _dispute(disputeID);
        return _rounds[_roundKey(disputeID, d.round, d.attempt)].panel;
    }

    /// @inheritdoc IArbitrationCourt
    function ballot(
        uint256 disputeID,
        address arbitrator
    ) external view returns (bytes32 commitment, bool revealed, uint256 choice) {
        DisputeData storage d = _dispute(disputeID);
        Ballot storage b = _rounds[_roundKey(disputeID, d.round, d.attempt)].ballots[arbitrator];
        return (b.commitment, b.revealed, b.choice);
    }

    /// @inheritdoc IArbitrationCourt
    function fallbackSeed(
        uint256 disputeID,
        uint8 round,
        uint8 attempt
    ) external view returns (bytes32) {
        return _fallbackSeed(_dispute(disputeID), round, attempt);
    }

    /// @inheritdoc IArbitrationCourt
    function arbitrators() external view returns (address[] memory) {
        return _arbitrators;
    }

    /// @inheritdoc IArbitrationCourt
    function withdrawable(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @inheritdoc IArbitrationCourt
    function commitmentOf(
        uint256 disputeID,
        uint8 round,
        uint8 attempt,
        address voter,
        uint256 choice,
        bytes32 salt
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(disputeID, round, attempt, voter, choice, salt));
    }

    // ---------------------------------------------------------------- internal

    function _dispute(uint256 disputeID) private view returns (DisputeData storage d) {
        d = _disputes[disputeID];
        if (d.phase == Phase.None) revert CourtUnknownDispute(disputeID);
    }

    /// @dev The court terms, exactly 5 words (optionally followed by the 3 excluded accounts), each in range.
    function _decodeTerms(bytes calldata extraData) private pure returns (CourtTerms memory terms) {
        uint256 length = extraData.length;
        if (length != _TERMS_LENGTH && length != _TERMS_LENGTH + _EXCLUDED_LENGTH)
            revert CourtInvalidTerms(0, 0, 0);
        // Decoded as words first so that an out-of-range value gets a clear error, not a bare revert.
        (
            uint256 panelSize,
            uint256 commitWindow,
            uint256 revealWindow,
            uint256 appealWindow,
            uint256 fee
        ) = abi.decode(extraData[:_TERMS_LENGTH], (uint256, uint256, uint256, uint256, uint256));
        bool valid =
            panelSize % 2 == 1 &&
                panelSize <= (_MAX_PANEL - 1) / 2 &&
                commitWindow != 0 &&
                commitWindow <= _MAX_WINDOW &&
                revealWindow != 0 &&
                revealWindow <= _MAX_WINDOW &&
                appealWindow != 0 &&
                appealWindow <= _MAX_WINDOW &&
                fee <= type(uint96).max;
        if (!valid) {
            revert CourtInvalidTerms(uint8(panelSize), uint32(commitWindow), uint32(revealWindow));
        }
        // Every value was range-checked above.
        terms = CourtTerms({
            panelSize: uint8(panelSize),
            commitWindow: uint32(commitWindow),
            revealWindow: uint32(revealWindow),
            appealWindow: uint32(appealWindow),
            feePerArbitrator: uint96(fee)
        });
    }

    function _roundKey(
        uint256 disputeID,
        uint8 round,
        uint8 attempt
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(disputeID, round, attempt));
    }

    function _appealCost(DisputeData storage d) private view returns (uint256) {
        return (2 * uint256(d.terms.panelSize) + 1) * d.terms.feePerArbitrator;
    }

    function _scheduleDraw(DisputeData storage d) private {
        d.phase = Phase.Drawing;
        // Block numbers and timestamps fit 40 bits for tens of thousands of years.
        d.drawBlock = uint40(block.number + 1);
        d.drawScheduledAt = uint40(block.timestamp);
    }

    /// @dev The seed of a late draw: fixed when the dispute was created, from values no party can move
    /// (not the dispute id, which anyone can push up by opening disputes of their own).
    function _fallbackSeed(
        DisputeData storage d,
        uint8 round,
        uint8 attempt
    ) private view returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    block.chainid,
                    address(this),
                    address(d.arbitrable),
                    d.sequence,
                    round,
                    attempt
                )
            );
    }

    /// @dev `size` distinct accredited arbitrators, none of them `excluded`, by a partial Fisher-Yates
    /// shuffle seeded with `seed`. With fewer eligible arbitrators, the largest odd number of them.
    function _draw(
        bytes32 seed,
        uint256 size,
        address[] storage excluded
    ) private view returns (address[] memory drawn) {
        address[] memory pool = _arbitrators;
        uint256 eligible = pool.length;
        for (uint256 i = 0; i < eligible;) {
            if (_isExcluded(pool[i], excluded)) {
                pool[i] = pool[eligible - 1];
                --eligible;
            } else {
                ++i;
            }
        }
        if (eligible < size)
            size = eligible % 2 == 1 ? eligible : eligible - (eligible == 0 ? 0 : 1);
        if (size == 0) revert CourtNotEnoughArbitrators(eligible);
        drawn = new address[](size);
        for (uint256 i = 0; i < size; ++i) {
            uint256 j = i + (uint256(keccak256(abi.encode(seed, i))) % (eligible - i));
            (pool[i], pool[j]) = (pool[j], pool[i]);
            drawn[i] = pool[i];
        }
    }

    function _eligibleCount(address[] storage excluded) private view returns (uint256 eligible) {
        address[] storage all = _arbitrators;
        for (uint256 i = 0; i < all.length; ++i) if (!_isExcluded(all[i], excluded)) ++eligible;
    }

    function _isExcluded(address account, address[] storage excluded) private view returns (bool) {
        for (uint256 i = 0; i < excluded.length; ++i) if (excluded[i] == account) return true;
        return false;
    }

    /// @dev The lower median of `choices` (sorted in memory; panels are small).
    function _median(uint32[] storage stored) private view returns (uint256) {
        uint32[] memory values = stored;
        for (uint256 i = 1; i < values.length; ++i) {
            uint32 value = values[i];
            uint256 j = i;
            while (j > 0 && values[j - 1] > value) {
                values[j] = values[j - 1];
                --j;
            }
            values[j] = value;
        }
        return values[(values.length - 1) / 2];
    }

    /// @dev Shares the round's fee among the members who revealed; the rest forfeit theirs.
    function _payRevealers(uint256 disputeID, DisputeData storage d, Round storage r) private {
        uint256 pool = d.feePool;
        d.feePool = 0;
        address[] storage members = r.panel;
        uint256 share = pool / r.choices.length;
        uint256 remainder = pool - share * r.choices.length;
        for (uint256 i = 0; i < members.length; ++i) {
            if (!r.ballots[members[i]].revealed) continue;
            _credit(members[i], disputeID, share + remainder);
            remainder = 0;
        }
    }

    function _credit(address account, uint256 disputeID, uint256 amount) private {
        _credits[account] += amount;
        emit Credited(account, disputeID, amount);
    }

    /// @dev The ruling becomes final, then goes to the arbitrable last (checks, effects, interaction).
    function _deliver(uint256 disputeID, DisputeData storage d, uint256 ruling) private {
        d.phase = Phase.Solved;
        d.ruling = uint32(ruling);
        d.appealDeadline = 0;
        _tryDeliver(disputeID, d);
    }

    /// @dev Calls `rule`; a revert is recorded instead of undoing the court's accounts, for a retry.
    function _tryDeliver(uint256 disputeID, DisputeData storage d) private {
        if (address(d.arbitrable).code.length == 0) {
            // A dispute opened by an account without code cannot take a call; it stays undelivered.
            emit RulingDeliveryFailed(disputeID, "");
            return;
        }
        if (gasleft() < _DELIVERY_GAS) revert CourtInsufficientGas(gasleft(), _DELIVERY_GAS);
        d.delivered = true;
        // Nothing to do on success; a failure is recorded below.
        // solhint-disable-next-line no-empty-blocks
        try d.arbitrable.rule(disputeID, d.ruling) {} catch (bytes memory reason) {
            d.delivered = false;
            emit RulingDeliveryFailed(disputeID, reason);
        }
    }
}
