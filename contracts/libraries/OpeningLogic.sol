// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ITradeEscrow} from "../interfaces/ITradeEscrow.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {TradeFlow} from "./TradeFlow.sol";
import {TradeTerms} from "./TradeTerms.sol";

/// @title OpeningLogic
/// @notice How a trade comes to exist: both signatures in one transaction, or a proposal on chain and its
/// acceptance. Linked into the escrow and run by delegatecall on its storage; its events are the escrow's.
/// @dev The escrow checks pause and the accreditation of operator, court and credit oracle before calling in.
/// A pay-after-use trade also needs the buyer's credit score at or above the threshold and unexpired, an
/// allowance for the whole price, and room in the guarantor pool, which reserves the price when both signed.
library OpeningLogic {
    /// @notice See `ITradeEscrow.openTrade`.
    function openTrade(
        bytes32 domainSeparator,
        ITradeEscrow.Terms calldata terms,
        ITradeEscrow.PartySignature calldata buyerSignature,
        ITradeEscrow.PartySignature calldata sellerSignature
    ) external returns (uint256 tradeId) {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        _validateNewTerms($, terms);
        bytes32 termsHash = TradeTerms.hash(terms);
        _consentToOpen($, domainSeparator, terms.buyer, termsHash, buyerSignature);
        _consentToOpen($, domainSeparator, terms.seller, termsHash, sellerSignature);
        tradeId = _create($, termsHash, ITradeEscrow.TradeState.Signed, 0);
        emit ITradeEscrow.TradeOpened(tradeId, terms.buyer, terms.seller, termsHash, terms);
        TradeFlow.holdOperator($, terms);
        if (terms.mode == ITradeEscrow.PaymentMode.PayAfterUse)
            TradeFlow.commitGuarantee($, tradeId, terms);
    }

    /// @notice See `ITradeEscrow.proposeTrade`.
    function proposeTrade(ITradeEscrow.Terms calldata terms) external returns (uint256 tradeId) {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        _validateNewTerms($, terms);
        bool bySeller = msg.sender == terms.seller;
        if (!bySeller && msg.sender != terms.buyer)
            revert ITradeEscrow.EscrowUnauthorized(0, msg.sender);
        bytes32 termsHash = TradeTerms.hash(terms);
        uint8 flags = bySeller ? EscrowStorage.PROPOSED_BY_SELLER : 0;
        tradeId = _create($, termsHash, ITradeEscrow.TradeState.Proposed, flags);
        emit ITradeEscrow.TradeProposed(tradeId, msg.sender, termsHash, terms);
    }

    /// @notice See `ITradeEscrow.acceptTrade`.
    function acceptTrade(uint256 tradeId, ITradeEscrow.Terms calldata terms) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        EscrowStorage.Trade storage t = _loadProposal($, tradeId, terms);
        address acceptor =
            t.flags & EscrowStorage.PROPOSED_BY_SELLER != 0 ? terms.buyer : terms.seller;
        if (msg.sender != acceptor) revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        // The fee and the dates may have changed since the proposal.
        _validateNewTerms($, terms);
        t.stageAt = uint40(block.timestamp);
        TradeFlow.setState(tradeId, t, ITradeEscrow.TradeState.Signed);
        emit ITradeEscrow.TradeOpened(tradeId, terms.buyer, terms.seller, t.termsHash, terms);
        TradeFlow.holdOperator($, terms);
        if (terms.mode == ITradeEscrow.PaymentMode.PayAfterUse)
            TradeFlow.commitGuarantee($, tradeId, terms);
    }

    /// @notice See `ITradeEscrow.withdrawProposal`.
    function withdrawProposal(uint256 tradeId, ITradeEscrow.Terms calldata terms) external {
        EscrowStorage.Trade storage t = _loadProposal(EscrowStorage.layout(), tradeId, terms);
        address proposer =
            t.flags & EscrowStorage.PROPOSED_BY_SELLER != 0 ? terms.seller : terms.buyer;
        if (msg.sender != proposer) revert ITradeEscrow.EscrowUnauthorized(tradeId, msg.sender);
        TradeFlow.setState(tradeId, t, ITradeEscrow.TradeState.Cancelled);
        emit ITradeEscrow.TradeCancelled(
            tradeId,
            ITradeEscrow.CancelReason.ProposalWithdrawn,
            0,
            0,
            0
        );
    }

    function _loadProposal(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        ITradeEscrow.Terms calldata terms
    ) private view returns (EscrowStorage.Trade storage t) {
        t = TradeFlow.load($, tradeId, terms);
        if (t.state != ITradeEscrow.TradeState.Proposed)
            revert ITradeEscrow.EscrowInvalidState(tradeId, t.state);
    }

    /// @dev Terms a new trade may open on (the operator is checked by the escrow).
    function _validateNewTerms(
        EscrowStorage.Layout storage $,
        ITradeEscrow.Terms calldata terms
    ) private view {
        TradeFlow.validateTermsShape(terms);
        if (terms.token != address(0) && terms.token.code.length == 0) {
            revert ITradeEscrow.EscrowInvalidToken(terms.token);
        }
        uint16 fee = $.config.feeBps;
        if (terms.feeBps != fee) revert ITradeEscrow.EscrowFeeMismatch(terms.feeBps, fee);
        if (terms.mode == ITradeEscrow.PaymentMode.PayAfterUse) _checkPayAfterUse($, terms);
        if (terms.latestDelivery <= block.timestamp) {
            revert ITradeEscrow.EscrowInvalidSchedule(
                terms.latestDelivery,
                terms.depositWindow,
                terms.fulfilmentDays
            );
        }
    }

    /// @dev The buyer's credit and its authorisation to collect the price later.
    function _checkPayAfterUse(
        EscrowStorage.Layout storage $,
        ITradeEscrow.Terms calldata terms
    ) private view {
        EscrowStorage.CreditRecord storage credit = $.creditScores[terms.buyer];
        uint16 threshold = $.config.creditThreshold;
        if (credit.score < threshold || block.timestamp > credit.expiresAt) {
            revert ITradeEscrow.EscrowCreditRefused(
                terms.buyer,
                credit.score,
                threshold,
                credit.expiresAt
            );
        }
        uint256 allowance = IERC20(terms.token).allowance(terms.buyer, address(this));
        if (allowance < terms.price)
            revert ITradeEscrow.EscrowAllowanceTooLow(terms.token, allowance, terms.price);
    }

    /// @dev Stores a new trade in `state` and returns its id.
    function _create(
        EscrowStorage.Layout storage $,
        bytes32 termsHash,
        ITradeEscrow.TradeState state,
        uint8 flags
    ) private returns (uint256 tradeId) {
        // A uint64 counter cannot overflow at any realistic rate of trades.
        tradeId = $.config.tradeCount + 1;
        $.config.tradeCount = uint64(tradeId);
        EscrowStorage.Trade storage t = $.trades[tradeId];
        t.termsHash = termsHash;
        t.stageAt = uint40(block.timestamp);
        t.flags = flags;
        TradeFlow.setState(tradeId, t, state);
    }

    /// @dev `party` consents to open a trade on `termsHash`, as the caller or by signature.
    function _consentToOpen(
        EscrowStorage.Layout storage $,
        bytes32 domainSeparator,
        address party,
        bytes32 termsHash,
        ITradeEscrow.PartySignature calldata signature
    ) private {
        TradeFlow.checkSignature(
            $,
            domainSeparator,
            party,
            TradeTerms.hashOpenTrade(termsHash, signature.nonce, signature.deadline),
            signature.nonce,
            signature.deadline,
            signature.signature
        );
    }
}
