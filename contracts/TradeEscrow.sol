// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

import {ITradeEscrow} from "./interfaces/ITradeEscrow.sol";
import {IWarehouseReceipt} from "./interfaces/IWarehouseReceipt.sol";
import {WarehouseReceipt} from "./WarehouseReceipt.sol";
import {AmendmentLogic} from "./libraries/AmendmentLogic.sol";
import {CancellationLogic} from "./libraries/CancellationLogic.sol";
import {BusinessDays} from "./libraries/BusinessDays.sol";
import {EscrowStorage} from "./libraries/EscrowStorage.sol";
import {OpeningLogic} from "./libraries/OpeningLogic.sol";
import {TradeFlow} from "./libraries/TradeFlow.sol";
import {TradeMath} from "./libraries/TradeMath.sol";
import {TradeTerms} from "./libraries/TradeTerms.sol";

/// @title TradeEscrow
/// @notice Protected cross-border trades: the buyer pays into escrow, the designated warehouse operator
/// attests receipt and transfer of title, and only then is the seller paid. Payouts are pulled.
/// @dev See ITradeEscrow for the rules. Every state change goes through `TradeFlow.setState`; every payout is a
/// credit that its owner withdraws. No role can move escrowed money: the admin sets the fee (capped, for
/// new trades only), the treasury, operator bond requirements and accreditation, and can pause openings.
contract TradeEscrow is ITradeEscrow, AccessControl, Pausable, ReentrancyGuardTransient, EIP712 {
    // ------------------------------------------------------------------------------------------------
    // Constants and immutables
    // ------------------------------------------------------------------------------------------------

    /// @notice Accredited warehouse operators.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @notice The highest fee the admin can ever set, fixed at deployment.
    uint16 public immutable feeCapBps;

    /// @notice The token operators' bonds are held in (address(0) for the native coin).
    address public immutable bondToken;

    /// @notice The warehouse receipt tokens this escrow mints.
    IWarehouseReceipt public immutable receipts;

    // ------------------------------------------------------------------------------------------------
    // Constructor
    // ------------------------------------------------------------------------------------------------

    /// @param admin Holder of DEFAULT_ADMIN_ROLE (accreditation, fee, treasury, pause).
    /// @param treasury_ Where fees are credited.
    /// @param feeBps_ The initial fee, at most `feeCapBps`.
    /// @param feeCapBps_ The fee cap, fixed for the life of the deployment (at most 10%).
    /// @param bondToken_ The token of operators' bonds (address(0) for the native coin).
    constructor(
        address admin,
        address treasury_,
        uint16 feeBps_,
        uint16 feeCapBps_,
        address bondToken_
    ) EIP712("TradeEscrow", "1") {
        if (admin == address(0) || treasury_ == address(0)) revert EscrowZeroAddress();
        if (feeCapBps_ > 1_000) revert EscrowFeeAboveCap(feeCapBps_, 1_000);
        if (feeBps_ > feeCapBps_) revert EscrowFeeAboveCap(feeBps_, feeCapBps_);
        feeCapBps = feeCapBps_;
        bondToken = bondToken_;
        receipts = new WarehouseReceipt();
        EscrowStorage.layout().config = EscrowStorage.Config({
            treasury: treasury_,
            feeBps: feeBps_,
            tradeCount: 0
        });
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit TreasurySet(treasury_);
        emit FeeSet(feeBps_);
    }

    // ------------------------------------------------------------------------------------------------
    // Opening
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function openTrade(
        Terms calldata terms,
        PartySignature calldata buyerSignature,
        PartySignature calldata sellerSignature
    ) external whenNotPaused returns (uint256) {
        _requireDesignatable(terms.operator);
        return OpeningLogic.openTrade(_domainSeparatorV4(), terms, buyerSignature, sellerSignature);
    }

    /// @inheritdoc ITradeEscrow
    function proposeTrade(Terms calldata terms) external whenNotPaused returns (uint256) {
        _requireDesignatable(terms.operator);
        return OpeningLogic.proposeTrade(terms);
    }

    /// @inheritdoc ITradeEscrow
    function acceptTrade(uint256 tradeId, Terms calldata terms) external whenNotPaused {
        // Accreditation and bond may have changed since the proposal.
        _requireDesignatable(terms.operator);
        OpeningLogic.acceptTrade(tradeId, terms);
    }

    /// @inheritdoc ITradeEscrow
    function withdrawProposal(uint256 tradeId, Terms calldata terms) external {
        OpeningLogic.withdrawProposal(tradeId, terms);
    }

    // ------------------------------------------------------------------------------------------------
    // Money in
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function payDeposit(uint256 tradeId, Terms calldata terms) external payable nonReentrant {
        _payDeposit(tradeId, terms);
    }

    /// @inheritdoc ITradeEscrow
    function payBalance(uint256 tradeId, Terms calldata terms) external payable nonReentrant {
        _payBalance(tradeId, terms);
    }

    /// @inheritdoc ITradeEscrow
    function payDepositWithPermit(
        uint256 tradeId,
        Terms calldata terms,
        Permit calldata permit
    ) external nonReentrant {
        _permit(terms.token, permit);
        _payDeposit(tradeId, terms);
    }

    /// @inheritdoc ITradeEscrow
    function payBalanceWithPermit(
        uint256 tradeId,
        Terms calldata terms,
        Permit calldata permit
    ) external nonReentrant {
        _permit(terms.token, permit);
        _payBalance(tradeId, terms);
    }

    /// @inheritdoc ITradeEscrow
    function postSellerBond(uint256 tradeId, Terms calldata terms) external payable nonReentrant {
        EscrowStorage.Trade storage t = _load(tradeId, terms);
        if (msg.sender != terms.seller) revert EscrowUnauthorized(tradeId, msg.sender);
        TradeState state = t.state;
        if (state < TradeState.Signed || state > TradeState.Delivered)
            revert EscrowInvalidState(tradeId, state);
        uint256 due = terms.sellerBond - t.sellerBond;
        if (due == 0) revert EscrowNothingDue(tradeId);
        // terms.sellerBond fits 96 bits (checked when the terms were accepted).
        t.sellerBond = uint96(terms.sellerBond);
        emit SellerBondPosted(tradeId, msg.sender, due);
        TradeFlow.pull(terms.token, due);
    }

    // ------------------------------------------------------------------------------------------------
    // Fulfilment
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function startFulfilment(uint256 tradeId, Terms calldata terms) external {
        EscrowStorage.Trade storage t = _load(tradeId, terms, TradeState.Deposited);
        if (msg.sender != terms.seller) revert EscrowUnauthorized(tradeId, msg.sender);
        uint256 deadline = BusinessDays.add(t.stageAt, terms.fulfilmentDays);
        if (block.timestamp > deadline) revert EscrowDeadlinePassed(tradeId, deadline);
        uint256 bondDue = terms.sellerBond - t.sellerBond;
        if (bondDue != 0) revert EscrowSellerBondDue(tradeId, bondDue);
        t.stageAt = uint40(block.timestamp);
        TradeFlow.setState(tradeId, t, TradeState.InFulfilment);
        emit FulfilmentStarted(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function markShipped(
        uint256 tradeId,
        Terms calldata terms,
        bytes calldata documentsCid
    ) external {
        EscrowStorage.Trade storage t = _load(tradeId, terms, TradeState.InFulfilment);
        if (msg.sender != terms.seller) revert EscrowUnauthorized(tradeId, msg.sender);
        if (block.timestamp > terms.latestDelivery)
            revert EscrowDeadlinePassed(tradeId, terms.latestDelivery);
        uint256 due = TradeFlow.balanceDue(t, terms);
        if (due != 0) revert EscrowBalanceDue(tradeId, due);
        t.stageAt = uint40(block.timestamp);
        TradeFlow.setState(tradeId, t, TradeState.Shipped);
        emit GoodsShipped(tradeId, documentsCid);
        emit MilestoneRecorded(tradeId, Milestone.Dispatched, msg.sender, documentsCid);
    }

    /// @inheritdoc ITradeEscrow
    function recordMilestone(
        uint256 tradeId,
        Terms calldata terms,
        Milestone milestone,
        bytes calldata documentCid
    ) external {
        EscrowStorage.Trade storage t = _load(tradeId, terms);
        if (msg.sender != terms.seller && msg.sender != terms.operator)
            revert EscrowUnauthorized(tradeId, msg.sender);
        TradeState state = t.state;
        if (state < TradeState.Shipped || state > TradeState.Delivered)
            revert EscrowInvalidState(tradeId, state);
        if (milestone == Milestone.Dispatched) revert EscrowInvalidMilestone(milestone);
        emit MilestoneRecorded(tradeId, milestone, msg.sender, documentCid);
    }

    /// @inheritdoc ITradeEscrow
    function attest(
        Terms calldata terms,
        Attestation calldata attestation,
        bytes calldata signature
    ) external nonReentrant {
        uint256 tradeId = attestation.tradeId;
        EscrowStorage.Trade storage t = _load(tradeId, terms);
        if (!hasRole(OPERATOR_ROLE, terms.operator))
            revert EscrowOperatorNotAccredited(terms.operator);
        TradeFlow.checkSignature(
            EscrowStorage.layout(),
            _domainSeparatorV4(),
            terms.operator,
            TradeTerms.hashAttestation(attestation),
            attestation.nonce,
            attestation.deadline,
            signature
        );
        uint16 expectedLot = t.lotsDone + 1;
        if (attestation.lot != expectedLot)
            revert EscrowInvalidLot(tradeId, expectedLot, attestation.lot);
        if (attestation.kind == AttestationKind.TitleTransfer) {
            if (t.state != TradeState.Received) revert EscrowInvalidState(tradeId, t.state);
            TradeFlow.passTitle(
                EscrowStorage.layout(),
                receipts,
                tradeId,
                terms,
                t,
                t.pendingQuantity,
                true
            );
        } else {
            _receiveLot(terms, t, attestation);
        }
    }

    /// @inheritdoc ITradeEscrow
    function release(uint256 tradeId, Terms calldata terms) external nonReentrant {
        EscrowStorage.Trade storage t = _load(tradeId, terms, TradeState.Delivered);
        uint256 windowEnd = uint256(t.stageAt) + terms.claimWindow;
        if (block.timestamp <= windowEnd) revert EscrowDeadlineNotReached(tradeId, windowEnd);
        TradeFlow.setState(tradeId, t, TradeState.Completed);
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        uint256 amount = t.escrowed;
        if (amount != 0) TradeFlow.releaseFunds($, tradeId, terms, t, amount);
        TradeFlow.close($, tradeId, terms, t);
    }

    // ------------------------------------------------------------------------------------------------
    // Amendments and cancellations
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function amend(
        uint256 tradeId,
        Terms calldata current,
        Terms calldata amended,
        PartySignature calldata buyerSignature,
        PartySignature calldata sellerSignature
    ) external nonReentrant {
        if (amended.operator != current.operator) _requireDesignatable(amended.operator);
        AmendmentLogic.amend(
            _domainSeparatorV4(),
            receipts,
            tradeId,
            current,
            amended,
            buyerSignature,
            sellerSignature
        );
    }

    /// @inheritdoc ITradeEscrow
    function cancelForMissedDeposit(uint256 tradeId, Terms calldata terms) external nonReentrant {
        CancellationLogic.cancelForMissedDeposit(tradeId, terms);
    }

    /// @inheritdoc ITradeEscrow
    function cancelForMissedStart(uint256 tradeId, Terms calldata terms) external nonReentrant {
        CancellationLogic.cancelForMissedStart(tradeId, terms);
    }

    /// @inheritdoc ITradeEscrow
    function cancelUnshipped(uint256 tradeId, Terms calldata terms) external nonReentrant {
        CancellationLogic.cancelUnshipped(tradeId, terms);
    }

    // ------------------------------------------------------------------------------------------------
    // Money out, bonds, signatures
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function withdraw(address token) external nonReentrant {
        mapping(address token => uint256) storage credits = EscrowStorage.layout().credits[
            msg.sender
        ];
        uint256 amount = credits[token];
        if (amount == 0) revert EscrowNothingToWithdraw(msg.sender, token);
        delete credits[token];
        emit Withdrawn(msg.sender, token, amount);
        TradeFlow.push(token, msg.sender, amount);
    }

    /// @inheritdoc ITradeEscrow
    function postOperatorBond(uint256 amount) external payable nonReentrant {
        EscrowStorage.OperatorAccount storage account = EscrowStorage.layout().operators[
            msg.sender
        ];
        uint256 bond = account.bond + amount;
        if (amount == 0 || bond > type(uint96).max) revert EscrowInvalidAmount(amount);
        account.bond = uint96(bond);
        emit OperatorBondChanged(msg.sender, int256(amount), bond);
        TradeFlow.pull(bondToken, amount);
    }

    /// @inheritdoc ITradeEscrow
    function withdrawOperatorBond(uint256 amount) external nonReentrant {
        EscrowStorage.OperatorAccount storage account = EscrowStorage.layout().operators[
            msg.sender
        ];
        uint256 bond = account.bond;
        if (amount == 0 || amount > bond) revert EscrowInvalidAmount(amount);
        uint256 remaining = bond - amount;
        if (account.openTrades != 0 && remaining < account.required) {
            revert EscrowOperatorBondLocked(msg.sender, account.openTrades);
        }
        account.bond = uint96(remaining);
        // amount <= bond < 2**96, so the cast to int256 is exact.
        emit OperatorBondChanged(msg.sender, -int256(amount), remaining);
        TradeFlow.push(bondToken, msg.sender, amount);
    }

    /// @inheritdoc ITradeEscrow
    function invalidateNonce(uint256 nonce) external {
        TradeFlow.useNonce(EscrowStorage.layout(), msg.sender, nonce);
        emit NonceInvalidated(msg.sender, nonce);
    }

    // ------------------------------------------------------------------------------------------------
    // Admin
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function setFee(uint16 feeBps_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (feeBps_ > feeCapBps) revert EscrowFeeAboveCap(feeBps_, feeCapBps);
        EscrowStorage.layout().config.feeBps = feeBps_;
        emit FeeSet(feeBps_);
    }

    /// @inheritdoc ITradeEscrow
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (treasury_ == address(0)) revert EscrowZeroAddress();
        EscrowStorage.layout().config.treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @inheritdoc ITradeEscrow
    function setOperatorBondRequirement(
        address operator,
        uint256 amount
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (amount > type(uint96).max) revert EscrowInvalidAmount(amount);
        EscrowStorage.layout().operators[operator].required = uint96(amount);
        emit OperatorBondRequirementSet(operator, amount);
    }

    /// @inheritdoc ITradeEscrow
    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    /// @inheritdoc ITradeEscrow
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function trade(uint256 tradeId) external view returns (TradeView memory) {
        EscrowStorage.Trade storage t = EscrowStorage.layout().trades[tradeId];
        return
            TradeView({
                termsHash: t.termsHash,
                state: t.state,
                version: t.version,
                lotsDone: t.lotsDone,
                proposedBySeller: t.flags & EscrowStorage.PROPOSED_BY_SELLER != 0,
                pendingLot: t.flags & EscrowStorage.PENDING_LOT != 0,
                pendingTitle: t.flags & EscrowStorage.PENDING_TITLE != 0,
                stageAt: t.stageAt,
                escrowed: t.escrowed,
                receivedQuantity: t.receivedQuantity,
                released: t.released,
                pendingQuantity: t.pendingQuantity,
                pendingTime: t.pendingTime,
                sellerBond: t.sellerBond
            });
    }

    /// @inheritdoc ITradeEscrow
    function hashTerms(Terms calldata terms) external pure returns (bytes32) {
        return TradeTerms.hash(terms);
    }

    /// @inheritdoc ITradeEscrow
    function tradeCount() external view returns (uint256) {
        return EscrowStorage.layout().config.tradeCount;
    }

    /// @inheritdoc ITradeEscrow
    function withdrawable(address account, address token) external view returns (uint256) {
        return EscrowStorage.layout().credits[account][token];
    }

    /// @inheritdoc ITradeEscrow
    function nonceUsed(address signer, uint256 nonce) external view returns (bool) {
        return EscrowStorage.layout().nonceBitmaps[signer][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /// @inheritdoc ITradeEscrow
    function operatorBond(
        address operator
    ) external view returns (uint256 bond, uint256 required, uint256 openTrades) {
        EscrowStorage.OperatorAccount storage account = EscrowStorage.layout().operators[operator];
        return (account.bond, account.required, account.openTrades);
    }

    /// @inheritdoc ITradeEscrow
    function feeBps() external view returns (uint16) {
        return EscrowStorage.layout().config.feeBps;
    }

    /// @inheritdoc ITradeEscrow
    function treasury() external view returns (address) {
        return EscrowStorage.layout().config.treasury;
    }

    /// @inheritdoc ITradeEscrow
    function stageDeadline(uint256 tradeId, Terms calldata terms) external view returns (uint256) {
        EscrowStorage.Trade storage t = _load(tradeId, terms);
        TradeState state = t.state;
        if (state == TradeState.Signed) return uint256(t.stageAt) + terms.depositWindow;
        if (state == TradeState.Deposited) return BusinessDays.add(t.stageAt, terms.fulfilmentDays);
        if (state == TradeState.InFulfilment) return terms.latestDelivery;
        if (state == TradeState.Delivered) return uint256(t.stageAt) + terms.claimWindow;
        return 0;
    }

    // ------------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------------

    /// @dev `_load` of TradeFlow on this escrow's storage.
    function _load(
        uint256 tradeId,
        Terms calldata terms
    ) private view returns (EscrowStorage.Trade storage) {
        return TradeFlow.load(EscrowStorage.layout(), tradeId, terms);
    }

    /// @dev `_load`, also requiring the trade to be in `expected`.
    function _load(
        uint256 tradeId,
        Terms calldata terms,
        TradeState expected
    ) private view returns (EscrowStorage.Trade storage t) {
        t = TradeFlow.load(EscrowStorage.layout(), tradeId, terms);
        if (t.state != expected) revert EscrowInvalidState(tradeId, t.state);
    }

    function _payDeposit(uint256 tradeId, Terms calldata terms) private {
        EscrowStorage.Trade storage t = _load(tradeId, terms, TradeState.Signed);
        if (msg.sender != terms.buyer) revert EscrowUnauthorized(tradeId, msg.sender);
        uint256 deadline = uint256(t.stageAt) + terms.depositWindow;
        if (block.timestamp > deadline) revert EscrowDeadlinePassed(tradeId, deadline);
        uint256 amount = TradeMath.deposit(terms.price, terms.depositBps);
        // amount <= price < 2**96 (checked when the terms were accepted).
        t.escrowed = uint96(amount);
        t.stageAt = uint40(block.timestamp);
        TradeFlow.setState(tradeId, t, TradeState.Deposited);
        emit DepositPaid(tradeId, msg.sender, amount);
        TradeFlow.pull(terms.token, amount);
    }

    function _payBalance(uint256 tradeId, Terms calldata terms) private {
        EscrowStorage.Trade storage t = _load(tradeId, terms);
        if (msg.sender != terms.buyer) revert EscrowUnauthorized(tradeId, msg.sender);
        TradeState state = t.state;
        // Until title passes: a price raised by amendment after dispatch is paid here too.
        if (state < TradeState.Deposited || state > TradeState.Halted)
            revert EscrowInvalidState(tradeId, state);
        uint256 due = TradeFlow.balanceDue(t, terms);
        if (due == 0) revert EscrowNothingDue(tradeId);
        // escrowed + due = price - released < 2**96.
        t.escrowed += uint96(due);
        emit BalancePaid(tradeId, msg.sender, due);
        TradeFlow.pull(terms.token, due);
    }

    /// @dev The operator received the next lot. A conforming lot whose title the operator also attested
    /// passes to the buyer at once; otherwise the escrow holds its receipt, and a non-conforming lot halts.
    function _receiveLot(
        Terms calldata terms,
        EscrowStorage.Trade storage t,
        Attestation calldata a
    ) private {
        uint256 tradeId = a.tradeId;
        if (t.state != TradeState.Shipped) revert EscrowInvalidState(tradeId, t.state);
        if (a.quantity == 0) revert EscrowZeroQuantity(tradeId, a.lot);
        // stageAt is the shipment time while the trade is Shipped (later lots do not move it).
        if (a.time < t.stageAt || a.time > block.timestamp) {
            revert EscrowAttestedTimeOutOfRange(a.time, t.stageAt, block.timestamp);
        }

        uint8 reasons = TradeFlow.judge(terms, t.receivedQuantity, a.lot, a.quantity, a.time);
        bool titleNow = a.kind == AttestationKind.ReceiptAndTitleTransfer && reasons == 0;
        uint256 receiptId = TradeFlow.receiptId(tradeId, a.lot);
        emit LotReceived(
            tradeId,
            a.lot,
            terms.operator,
            receiptId,
            a.quantity,
            a.time,
            titleNow ? terms.buyer : address(this),
            a.documentCid
        );
        if (titleNow) {
            // The receipt goes straight to the buyer: issued and endorsed over in one step.
            TradeFlow.passTitle(
                EscrowStorage.layout(),
                receipts,
                tradeId,
                terms,
                t,
                a.quantity,
                false
            );
            return;
        }
        t.pendingQuantity = a.quantity;
        t.pendingTime = a.time;
        t.flags |=
            a.kind == AttestationKind.ReceiptAndTitleTransfer
                ? EscrowStorage.PENDING_LOT | EscrowStorage.PENDING_TITLE
                : EscrowStorage.PENDING_LOT;
        if (reasons == 0) {
            TradeFlow.setState(tradeId, t, TradeState.Received);
        } else {
            TradeFlow.setState(tradeId, t, TradeState.Halted);
            emit TradeHalted(tradeId, a.lot, reasons, a.quantity, a.time);
        }
        receipts.mint(address(this), receiptId);
    }

    /// @dev An operator may be designated when accredited and holding at least its required bond.
    function _requireDesignatable(address operator) private view {
        if (!hasRole(OPERATOR_ROLE, operator)) revert EscrowOperatorNotAccredited(operator);
        EscrowStorage.OperatorAccount storage account = EscrowStorage.layout().operators[operator];
        if (account.bond < account.required) {
            revert EscrowOperatorBondTooLow(operator, account.bond, account.required);
        }
    }

    /// @dev Submits the caller's permit; a failure is ignored because someone may have submitted the
    /// same permit first, and the transfer that follows fails anyway if the allowance is short.
    function _permit(address token, Permit calldata permit) private {
        if (token == address(0)) revert EscrowPermitForNativeCoin();
        // solhint-disable-next-line no-empty-blocks
        try
            IERC20Permit(token).permit(
                msg.sender,
                address(this),
                permit.value,
                permit.deadline,
                permit.v,
                permit.r,
                permit.s
            )
        {} catch {}
    }
}
