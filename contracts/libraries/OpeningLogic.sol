// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrow} from "../interfaces/ITradeEscrow.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {TradeFlow} from "./TradeFlow.sol";
import {TradeTerms} from "./TradeTerms.sol";

/// @title OpeningLogic
/// @notice How a trade comes to exist: both signatures in one transaction, or a proposal on chain and its
/// acceptance. Linked into the escrow and run by delegatecall on its storage; its events are the escrow's.
/// @dev The escrow checks pause and the accreditation of operator, court and credit oracle before calling in.
/// A pay-after-use trade also needs the buyer's credit score above the threshold and unexpired, no debt
/// to the pool in its token, an allowance for the whole price, and room in the guarantor pool and under
/// the buyer's exposure cap; the pool reserves the price when both signed.
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
        if (terms.mode == ITradeEscrow.PaymentMode.PayAfterUse) _guarantee($, tradeId, terms);
    }

    /// @notice See `ITradeEscrow.proposeTrade`.
    function proposeTrade(ITradeEscrow.Terms calldata terms) external returns (uint256 tradeId) {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        _validateNewTerms($, terms);
        bool bySeller = msg.sender == terms.seller;
        if (!bySeller && msg.sender != terms.buyer)
            revert ITradeEscrow.EscrowUnauthorized(0, msg.sender);
        // A buyer the pool would refuse learns it now rather than at acceptance.
        if (terms.mode == ITradeEscrow.PaymentMode.PayAfterUse) TradeFlow.requireCredit($, terms);
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
        if (terms.mode == ITradeEscrow.PaymentMode.PayAfterUse) _guarantee($, tradeId, terms);
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
        if (terms.latestDelivery <= block.timestamp) {
            revert ITradeEscrow.EscrowInvalidSchedule(
                terms.latestDelivery,
                terms.depositWindow,
                terms.fulfilmentDays
            );
        }
    }

    /// @dev A pay-after-use trade takes the exposure cap in force for its token and reserves the pool's
    /// cover, judging the buyer's credit (see TradeFlow.commitGuarantee).
    function _guarantee(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        ITradeEscrow.Terms calldata terms
    ) private {
        $.tradeExposureCaps[tradeId] = $.exposureCaps[terms.token];
        TradeFlow.commitGuarantee($, tradeId, terms, true);
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
