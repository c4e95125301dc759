// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITradeEscrowErrors} from "../interfaces/ITradeEscrowErrors.sol";
import {ITradeEscrowEvents} from "../interfaces/ITradeEscrowEvents.sol";
import {ITradeEscrowTypes} from "../interfaces/ITradeEscrowTypes.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {TradeFlow} from "./TradeFlow.sol";
import {TradeTerms} from "../libraries/TradeTerms.sol";

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
        ITradeEscrowTypes.Terms calldata terms,
        ITradeEscrowTypes.PartySignature calldata buyerSignature,
        ITradeEscrowTypes.PartySignature calldata sellerSignature
    ) external returns (uint256 tradeId) {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        _validateNewTerms($, terms);
        bytes32 termsHash = TradeTerms.hash(terms);
        _consentToOpen($, domainSeparator, terms.buyer, termsHash, buyerSignature);
        _consentToOpen($, domainSeparator, terms.seller, termsHash, sellerSignature);
        tradeId = _create($, terms, ITradeEscrowTypes.TradeState.Signed, 0);
        emit ITradeEscrowEvents.TradeOpened(tradeId, terms.buyer, terms.seller, termsHash, terms);
        _signed($, tradeId, terms.manifestCid);
    }

    /// @notice See `ITradeEscrow.proposeTrade`.
    function proposeTrade(
        ITradeEscrowTypes.Terms calldata terms
    ) external returns (uint256 tradeId) {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        _validateNewTerms($, terms);
        bool bySeller = msg.sender == terms.seller;
        if (!bySeller && msg.sender != terms.buyer)
            revert ITradeEscrowErrors.EscrowNotAParty(msg.sender, terms.buyer, terms.seller);
        uint8 flags = bySeller ? EscrowStorage.PROPOSED_BY_SELLER : 0;
        tradeId = _create($, terms, ITradeEscrowTypes.TradeState.Proposed, flags);
        // A buyer the pool would refuse learns it now rather than at acceptance.
        if (terms.mode == ITradeEscrowTypes.PaymentMode.PayAfterUse)
            TradeFlow.requireCredit($, $.terms[tradeId]);
        bytes32 termsHash = TradeTerms.hash(terms);
        $.proposals[tradeId] = termsHash;
        emit ITradeEscrowEvents.TradeProposed(tradeId, msg.sender, termsHash, terms);
    }

    /// @notice See `ITradeEscrow.acceptTrade`. The escrow has checked the designations again.
    function acceptTrade(uint256 tradeId, ITradeEscrowTypes.Terms calldata terms) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage kept) = TradeFlow.loadInState(
            $,
            tradeId,
            ITradeEscrowTypes.TradeState.Proposed
        );
        // The acceptor names the terms it accepts: exactly those proposed.
        bytes32 termsHash = TradeTerms.hash(terms);
        bytes32 proposed = $.proposals[tradeId];
        if (termsHash != proposed)
            revert ITradeEscrowErrors.EscrowTermsMismatch(tradeId, proposed, termsHash);
        address acceptor =
            t.flags & EscrowStorage.PROPOSED_BY_SELLER != 0 ? kept.buyer : kept.seller;
        if (msg.sender != acceptor)
            revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        // The fee and the dates may have changed since the proposal.
        _validateNewTerms($, terms);
        delete $.proposals[tradeId];
        t.stageAt = uint40(block.timestamp);
        TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.Signed);
        emit ITradeEscrowEvents.TradeOpened(tradeId, terms.buyer, terms.seller, termsHash, terms);
        _signed($, tradeId, terms.manifestCid);
    }

    /// @notice See `ITradeEscrow.withdrawProposal`.
    function withdrawProposal(uint256 tradeId) external {
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.loadInState(
            EscrowStorage.layout(),
            tradeId,
            ITradeEscrowTypes.TradeState.Proposed
        );
        address proposer =
            t.flags & EscrowStorage.PROPOSED_BY_SELLER != 0 ? terms.seller : terms.buyer;
        if (msg.sender != proposer)
            revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        delete EscrowStorage.layout().proposals[tradeId];
        TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.Cancelled);
        emit ITradeEscrowEvents.TradeCancelled(
            tradeId,
            ITradeEscrowTypes.CancelReason.ProposalWithdrawn,
            0,
            0,
            0
        );
    }

    /// @dev Terms a new trade may open on (the operator is checked by the escrow).
    function _validateNewTerms(
        EscrowStorage.Layout storage $,
        ITradeEscrowTypes.Terms calldata terms
    ) private view {
        TradeFlow.validateTermsShape(terms);
        if (terms.token != address(0) && terms.token.code.length == 0) {
            revert ITradeEscrowErrors.EscrowInvalidToken(terms.token);
        }
        uint16 fee = $.config.feeBps;
        if (terms.feeBps != fee) revert ITradeEscrowErrors.EscrowFeeMismatch(terms.feeBps, fee);
        if (terms.latestDelivery <= block.timestamp) {
            revert ITradeEscrowErrors.EscrowInvalidSchedule(
                terms.latestDelivery,
                terms.depositWindow,
                terms.fulfilmentDays
            );
        }
    }

    /// @dev Both parties have signed: the operator takes the trade on, a pay-after-use trade takes the
    /// exposure cap in force for its token and reserves the pool's cover, judging the buyer's credit (see
    /// TradeFlow.commitGuarantee), and a trade that can reach a court publishes its meta-evidence.
    function _signed(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        bytes calldata manifestCid
    ) private {
        EscrowStorage.Terms storage terms = $.terms[tradeId];
        if (terms.court != 0) TradeFlow.publishMetaEvidence(tradeId, 0, manifestCid);
        TradeFlow.holdOperator($, terms.operator);
        if (terms.mode == ITradeEscrowTypes.PaymentMode.PayAfterUse) {
            $.tradeExposureCaps[tradeId] = $.exposureCaps[terms.token];
            TradeFlow.commitGuarantee($, tradeId, terms, true);
        }
    }

    /// @dev Stores a new trade in `state` with its terms and returns its id.
    function _create(
        EscrowStorage.Layout storage $,
        ITradeEscrowTypes.Terms calldata terms,
        ITradeEscrowTypes.TradeState state,
        uint8 flags
    ) private returns (uint256 tradeId) {
        // A uint64 counter cannot overflow at any realistic rate of trades.
        tradeId = $.config.tradeCount + 1;
        $.config.tradeCount = uint64(tradeId);
        EscrowStorage.Trade storage t = $.trades[tradeId];
        t.stageAt = uint40(block.timestamp);
        t.flags = flags;
        TradeFlow.setState(tradeId, t, state);
        TradeFlow.storeTerms($, tradeId, terms);
    }

    /// @dev `party` consents to open a trade on `termsHash`, as the caller or by signature.
    function _consentToOpen(
        EscrowStorage.Layout storage $,
        bytes32 domainSeparator,
        address party,
        bytes32 termsHash,
        ITradeEscrowTypes.PartySignature calldata signature
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
