// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

import {IArbitrable} from "./interfaces/IArbitrable.sol";
import {IArbitrator} from "./interfaces/IArbitrator.sol";
import {ITradeEscrow} from "./interfaces/ITradeEscrow.sol";
import {IWarehouseReceipt} from "./interfaces/IWarehouseReceipt.sol";
import {WarehouseReceipt} from "./WarehouseReceipt.sol";
import {AmendmentLogic} from "./escrow/AmendmentLogic.sol";
import {CancellationLogic} from "./escrow/CancellationLogic.sol";
import {ClaimLogic} from "./escrow/ClaimLogic.sol";
import {AttestationLogic} from "./escrow/AttestationLogic.sol";
import {EscrowStorage} from "./escrow/EscrowStorage.sol";
import {FulfilmentLogic} from "./escrow/FulfilmentLogic.sol";
import {OpeningLogic} from "./escrow/OpeningLogic.sol";
import {PaymentModesLogic} from "./escrow/PaymentModesLogic.sol";
import {TradeFlow} from "./escrow/TradeFlow.sol";
import {TradeMath} from "./libraries/TradeMath.sol";

/// @title TradeEscrow
/// @notice Protected cross-border trades: the buyer pays into escrow, the designated warehouse operator
/// attests receipt and transfer of title, and only then is the seller paid. Payouts are pulled.
/// @dev See ITradeEscrow for the rules. Every state change goes through `TradeFlow.setState`; every payout is a
/// credit that its owner withdraws. No role can move escrowed money: the admin sets the fee (capped, for
/// new trades only), the treasury, operator bond requirements and accreditation, and can pause openings.
/// Length: every entry point of the escrow (the interface's functions), each a thin call into
/// its logic library, with the roles, the hot payment steps and the views that live here.
contract TradeEscrow is ITradeEscrow, AccessControl, Pausable, ReentrancyGuardTransient, EIP712 {
    // ------------------------------------------------------------------------------------------------
    // Constants and immutables
    // ------------------------------------------------------------------------------------------------

    /// @notice Accredited warehouse operators.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @notice Accredited inspection agencies.
    bytes32 public constant INSPECTOR_ROLE = keccak256("INSPECTOR_ROLE");

    /// @notice Accredited courts (ERC-792 arbitrators) a trade may name.
    bytes32 public constant COURT_ROLE = keccak256("COURT_ROLE");

    /// @notice Accredited credit oracles, whose scores admit buyers to pay after use.
    bytes32 public constant CREDIT_ORACLE_ROLE = keccak256("CREDIT_ORACLE_ROLE");

    /// @notice The default credit threshold: pay after use needs a score above it (SPEC: above 550).
    uint16 public constant DEFAULT_CREDIT_THRESHOLD = 550;

    /// @notice The highest fee the admin can ever set, fixed at deployment.
    uint16 public immutable feeCapBps;

    /// @notice The token operators' bonds are held in (address(0) for the native coin).
    address public immutable bondToken;

    /// @notice The warehouse receipt tokens this escrow mints.
    IWarehouseReceipt public immutable receipts;

    // ------------------------------------------------------------------------------------------------
    // Constructor
    // ------------------------------------------------------------------------------------------------

    /// @notice Deploys the escrow and its warehouse receipt contract.
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
            tradeCount: 0,
            creditThreshold: DEFAULT_CREDIT_THRESHOLD
        });
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit TreasurySet(treasury_);
        emit FeeSet(feeBps_);
        emit CreditThresholdSet(DEFAULT_CREDIT_THRESHOLD);
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
        _requireDesignatable(terms);
        return OpeningLogic.openTrade(_domainSeparatorV4(), terms, buyerSignature, sellerSignature);
    }

    /// @inheritdoc ITradeEscrow
    function proposeTrade(Terms calldata terms) external whenNotPaused returns (uint256) {
        _requireDesignatable(terms);
        return OpeningLogic.proposeTrade(terms);
    }

    /// @inheritdoc ITradeEscrow
    function acceptTrade(uint256 tradeId, Terms calldata terms) external whenNotPaused {
        // Accreditation and bond may have changed since the proposal.
        _requireDesignatable(terms);
        OpeningLogic.acceptTrade(tradeId, terms);
    }

    /// @inheritdoc ITradeEscrow
    function withdrawProposal(uint256 tradeId) external {
        OpeningLogic.withdrawProposal(tradeId);
    }

    // ------------------------------------------------------------------------------------------------
    // Money in
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function payDeposit(uint256 tradeId) external payable nonReentrant {
        _payDeposit(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function payBalance(uint256 tradeId) external payable nonReentrant {
        _payBalance(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function payDepositWithPermit(uint256 tradeId, Permit calldata permit) external nonReentrant {
        _permit(EscrowStorage.layout().terms[tradeId].token, permit);
        _payDeposit(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function payBalanceWithPermit(uint256 tradeId, Permit calldata permit) external nonReentrant {
        _permit(EscrowStorage.layout().terms[tradeId].token, permit);
        _payBalance(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function postSellerBond(uint256 tradeId) external payable nonReentrant {
        FulfilmentLogic.postSellerBond(tradeId);
    }

    // ------------------------------------------------------------------------------------------------
    // Fulfilment
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function startFulfilment(uint256 tradeId) external {
        FulfilmentLogic.startFulfilment(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function markShipped(uint256 tradeId, bytes calldata documentsCid) external {
        FulfilmentLogic.markShipped(tradeId, documentsCid);
    }

    /// @inheritdoc ITradeEscrow
    function recordMilestone(
        uint256 tradeId,
        Milestone milestone,
        bytes calldata documentCid
    ) external {
        FulfilmentLogic.recordMilestone(tradeId, milestone, documentCid);
    }

    /// @inheritdoc ITradeEscrow
    function attest(
        Attestation calldata attestation,
        bytes calldata signature
    ) external nonReentrant {
        AttestationLogic.attest(
            _domainSeparatorV4(),
            receipts,
            attestation,
            signature,
            _designatedOperatorAccredited(attestation.tradeId)
        );
    }

    /// @inheritdoc ITradeEscrow
    function attestBatch(
        Attestation[] calldata attestations,
        bytes[] calldata signatures
    ) external nonReentrant {
        // The roles live here; everything else item by item in the library.
        uint256 n = attestations.length;
        bool[] memory accredited = new bool[](n);
        for (uint256 i; i < n; ++i) {
            accredited[i] = _designatedOperatorAccredited(attestations[i].tradeId);
        }
        AttestationLogic.attestBatch(
            _domainSeparatorV4(),
            receipts,
            address(AttestationLogic),
            attestations,
            signatures,
            accredited
        );
    }

    /// @inheritdoc ITradeEscrow
    function release(uint256 tradeId) external nonReentrant {
        FulfilmentLogic.release(tradeId);
    }

    // ------------------------------------------------------------------------------------------------
    // Direct payment and pay after use
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function payDirect(uint256 tradeId) external payable nonReentrant {
        PaymentModesLogic.payDirect(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function refundVoluntarily(uint256 tradeId, uint256 amount) external payable nonReentrant {
        PaymentModesLogic.refundVoluntarily(tradeId, amount);
    }

    /// @inheritdoc ITradeEscrow
    function confirmReceipt(uint256 tradeId) external nonReentrant {
        PaymentModesLogic.confirmReceipt(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function recordCreditScore(CreditScore calldata score, bytes calldata signature) external {
        address oracle = PaymentModesLogic.recordCreditScore(
            _domainSeparatorV4(),
            score,
            signature
        );
        // The oracle is whoever signed, or the caller; it must be accredited.
        if (!hasRole(CREDIT_ORACLE_ROLE, oracle)) revert EscrowOracleNotAccredited(oracle);
    }

    /// @inheritdoc ITradeEscrow
    function repayDebt(address token, uint256 amount) external nonReentrant {
        PaymentModesLogic.repayDebt(token, amount);
    }

    /// @inheritdoc ITradeEscrow
    function fundPool(address token, uint256 amount) external payable nonReentrant {
        PaymentModesLogic.fundPool(token, amount);
    }

    /// @inheritdoc ITradeEscrow
    function withdrawPool(
        address token,
        uint256 amount,
        address to
    ) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant {
        PaymentModesLogic.withdrawPool(token, amount, to);
    }

    /// @inheritdoc ITradeEscrow
    function setCreditThreshold(uint16 threshold) external onlyRole(DEFAULT_ADMIN_ROLE) {
        EscrowStorage.layout().config.creditThreshold = threshold;
        emit CreditThresholdSet(threshold);
    }

    /// @inheritdoc ITradeEscrow
    function setBuyerExposureCap(address token, uint256 cap) external onlyRole(DEFAULT_ADMIN_ROLE) {
        EscrowStorage.layout().exposureCaps[token] = cap;
        emit BuyerExposureCapSet(token, cap);
    }

    // ------------------------------------------------------------------------------------------------
    // Claims
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function fileClaim(
        uint256 tradeId,
        ClaimRequest calldata claimRequest,
        InspectionReport calldata report,
        bytes calldata agencySignature
    ) external nonReentrant {
        ClaimLogic.fileClaim(
            _domainSeparatorV4(),
            tradeId,
            claimRequest,
            report,
            agencySignature,
            hasRole(INSPECTOR_ROLE, report.agency)
        );
    }

    /// @inheritdoc ITradeEscrow
    function submitInspectionReport(
        InspectionReport calldata report
    ) external onlyRole(INSPECTOR_ROLE) {
        ClaimLogic.submitInspectionReport(report);
    }

    /// @inheritdoc ITradeEscrow
    function acceptClaim(uint256 tradeId) external nonReentrant {
        ClaimLogic.acceptClaim(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function contestClaim(
        uint256 tradeId,
        bytes calldata counterEvidenceCid
    ) external payable nonReentrant {
        ClaimLogic.contestClaim(tradeId, counterEvidenceCid);
    }

    /// @inheritdoc ITradeEscrow
    function settleClaim(
        uint256 tradeId,
        uint256 refund,
        PartySignature calldata buyerSignature,
        PartySignature calldata sellerSignature
    ) external nonReentrant {
        ClaimLogic.settleClaim(
            _domainSeparatorV4(),
            tradeId,
            refund,
            buyerSignature,
            sellerSignature
        );
    }

    /// @inheritdoc ITradeEscrow
    function enforceDefaultJudgment(uint256 tradeId) external nonReentrant {
        ClaimLogic.enforceDefaultJudgment(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function appealRuling(uint256 tradeId) external payable nonReentrant {
        ClaimLogic.appealRuling(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function executeRuling(uint256 tradeId) external nonReentrant {
        ClaimLogic.executeRuling(tradeId, bondToken);
    }

    /// @inheritdoc ITradeEscrow
    function submitEvidence(uint256 tradeId, bytes calldata evidenceCid) external {
        ClaimLogic.submitEvidence(tradeId, evidenceCid);
    }

    /// @inheritdoc IArbitrable
    /// @dev Only a court with a dispute of that id for one of this escrow's trades gets through.
    function rule(uint256 disputeID, uint256 ruling) external {
        ClaimLogic.recordRuling(disputeID, ruling);
    }

    // ------------------------------------------------------------------------------------------------
    // Amendments and cancellations
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function amend(
        uint256 tradeId,
        Terms calldata amended,
        PartySignature calldata buyerSignature,
        PartySignature calldata sellerSignature
    ) external nonReentrant {
        _requireDesignatable(amended);
        AmendmentLogic.amend(
            _domainSeparatorV4(),
            receipts,
            tradeId,
            amended,
            buyerSignature,
            sellerSignature
        );
    }

    /// @inheritdoc ITradeEscrow
    function cancelForMissedDeposit(uint256 tradeId) external nonReentrant {
        CancellationLogic.cancelForMissedDeposit(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function cancelForMissedStart(uint256 tradeId) external nonReentrant {
        CancellationLogic.cancelForMissedStart(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function cancelUnshipped(uint256 tradeId) external nonReentrant {
        CancellationLogic.cancelUnshipped(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function cancelUndelivered(uint256 tradeId) external nonReentrant {
        CancellationLogic.cancelUndelivered(receipts, tradeId);
    }

    // ------------------------------------------------------------------------------------------------
    // Money out, bonds, signatures
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITradeEscrow
    function withdraw(address token) external nonReentrant {
        _withdraw(token, msg.sender);
    }

    /// @inheritdoc ITradeEscrow
    function withdrawMany(address[] calldata tokens) external nonReentrant {
        for (uint256 i; i < tokens.length; ++i) _withdraw(tokens[i], msg.sender);
    }

    /// @inheritdoc ITradeEscrow
    function withdrawTo(address token, address to) external nonReentrant {
        if (to == address(0)) revert EscrowZeroAddress();
        _withdraw(token, to);
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
                sellerBond: t.sellerBond,
                arrivedAt: t.arrivedAt,
                refunded: t.refunded
            });
    }

    /// @inheritdoc ITradeEscrow
    function claim(uint256 tradeId) external view returns (ClaimView memory) {
        EscrowStorage.Claim storage c = EscrowStorage.layout().claims[tradeId];
        return
            ClaimView({
                status: c.status,
                ground: c.ground,
                refundBps: c.refundBps,
                filedAt: c.filedAt,
                costs: c.costs,
                disputeId: c.disputeId,
                ruling: c.ruling
            });
    }

    /// @inheritdoc ITradeEscrow
    function creditScore(address buyer) external view returns (CreditView memory) {
        EscrowStorage.CreditRecord storage c = EscrowStorage.layout().creditScores[buyer];
        return
            CreditView({
                score: c.score,
                issuedAt: c.issuedAt,
                expiresAt: c.expiresAt,
                oracle: c.oracle
            });
    }

    /// @inheritdoc ITradeEscrow
    function pool(address token) external view returns (uint256 balance, uint256 committed) {
        EscrowStorage.Pool storage p = EscrowStorage.layout().pools[token];
        return (p.balance, p.committed);
    }

    /// @inheritdoc ITradeEscrow
    function debt(address buyer, address token) external view returns (uint256) {
        return EscrowStorage.layout().debts[buyer][token];
    }

    /// @inheritdoc ITradeEscrow
    function buyerExposure(
        address buyer,
        address token
    ) external view returns (uint256 exposure, uint256 cap) {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        return ($.exposures[buyer][token], $.exposureCaps[token]);
    }

    /// @inheritdoc ITradeEscrow
    function creditThreshold() external view returns (uint16) {
        return EscrowStorage.layout().config.creditThreshold;
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
    function stageDeadline(uint256 tradeId) external view returns (uint256) {
        return FulfilmentLogic.stageDeadline(tradeId);
    }

    /// @inheritdoc ITradeEscrow
    function termsOf(uint256 tradeId) external view returns (TermsView memory) {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        EscrowStorage.Terms storage s = $.terms[tradeId];
        EscrowStorage.Court storage court = $.courts[s.court];
        return
            TermsView({
                buyer: s.buyer,
                seller: s.seller,
                operator: s.operator,
                token: s.token,
                mode: s.mode,
                price: s.price,
                quantity: s.quantity,
                toleranceBps: s.toleranceBps,
                depositBps: s.depositBps,
                lots: s.lots,
                latestDelivery: s.latestDelivery,
                shipWindow: s.shipWindow,
                deliveryGrace: s.deliveryGrace,
                depositWindow: s.depositWindow,
                fulfilmentDays: s.fulfilmentDays,
                claimWindow: s.claimWindow,
                responseDays: s.responseDays,
                collectAfter: s.collectAfter,
                feeBps: s.feeBps,
                sellerBond: s.sellerBond,
                arbitrator: court.arbitrator,
                arbitratorExtraData: court.extraData
            });
    }

    // ------------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------------

    /// @dev Whether the operator trade `tradeId` designates holds OPERATOR_ROLE.
    function _designatedOperatorAccredited(uint256 tradeId) private view returns (bool) {
        return hasRole(OPERATOR_ROLE, EscrowStorage.layout().terms[tradeId].operator);
    }

    /// @dev Pays the caller's whole credit in `token` to `to`: the debit and the event before the transfer.
    function _withdraw(address token, address to) private {
        mapping(address token => uint256) storage credits = EscrowStorage.layout().credits[
            msg.sender
        ];
        uint256 amount = credits[token];
        if (amount == 0) revert EscrowNothingToWithdraw(msg.sender, token);
        delete credits[token];
        emit Withdrawn(msg.sender, token, amount);
        TradeFlow.push(token, to, amount);
    }

    function _payDeposit(uint256 tradeId) private {
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            EscrowStorage.layout(),
            tradeId
        );
        _requireProtected(terms.mode);
        if (t.state != TradeState.Signed) revert EscrowInvalidState(tradeId, t.state);
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

    function _payBalance(uint256 tradeId) private {
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            EscrowStorage.layout(),
            tradeId
        );
        _requireProtected(terms.mode);
        if (msg.sender != terms.buyer) revert EscrowUnauthorized(tradeId, msg.sender);
        TradeState state = t.state;
        // Until title passes: a price raised by amendment after dispatch is paid here too.
        if (state < TradeState.Deposited || state > TradeState.Halted)
            revert EscrowInvalidState(tradeId, state);
        uint256 due = TradeFlow.balanceDue(t, terms);
        if (due == 0) revert EscrowNothingDue(tradeId);
        // escrowed + due = price - released < 2**96.
        t.escrowed += uint96(due);
        if (
            state <= TradeState.InFulfilment && block.timestamp > TradeFlow.balanceDeadline(terms)
        ) {
            // Late: the seller keeps its whole ship window, counted from now (TradeFlow.latestDelivery).
            t.balancePaidAt = uint40(block.timestamp);
            t.flags |= EscrowStorage.LATE_BALANCE;
        }
        emit BalancePaid(tradeId, msg.sender, due);
        TradeFlow.pull(terms.token, due);
    }

    /// @dev The operator must be accredited and hold at least its required bond; a trade with a claim
    /// window must name an accredited court.
    function _requireDesignatable(Terms calldata terms) private view {
        address operator = terms.operator;
        // A direct trade may go without a warehouse operator.
        if (operator != address(0) || terms.mode != PaymentMode.Direct) {
            if (!hasRole(OPERATOR_ROLE, operator)) revert EscrowOperatorNotAccredited(operator);
            EscrowStorage.OperatorAccount storage account = EscrowStorage.layout().operators[
                operator
            ];
            if (account.bond < account.required) {
                revert EscrowOperatorBondTooLow(operator, account.bond, account.required);
            }
        }
        if (terms.mode == PaymentMode.PayAfterUse) {
            address oracle = EscrowStorage.layout().creditScores[terms.buyer].oracle;
            if (!hasRole(CREDIT_ORACLE_ROLE, oracle)) revert EscrowOracleNotAccredited(oracle);
        }
        if (terms.claimWindow != 0) {
            if (!hasRole(COURT_ROLE, terms.arbitrator))
                revert EscrowArbitratorNotAccredited(terms.arbitrator);
            // The court must accept its terms now, exactly as a contest will send them (with the parties
            // appended), or the seller could never contest a claim later.
            IArbitrator(terms.arbitrator).arbitrationCost(
                ClaimLogic.courtExtraData(
                    terms.arbitratorExtraData,
                    terms.buyer,
                    terms.seller,
                    terms.operator
                )
            );
        }
    }

    /// @dev Deposits and balances belong to protected trades: a direct trade is paid with `payDirect`, a
    /// pay-after-use trade is collected after delivery.
    function _requireProtected(PaymentMode mode) private pure {
        if (mode != PaymentMode.Protected) revert EscrowInvalidTermsForMode(mode);
    }

    /// @dev Submits the caller's permit; a failure is ignored because someone may have submitted the
    /// same permit first, and the transfer that follows fails anyway if the allowance is short.
    function _permit(address token, Permit calldata permit) private {
        if (token == address(0)) revert EscrowPermitForNativeCoin();
        // solhint-disable no-empty-blocks
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
        // solhint-enable no-empty-blocks
    }
}
