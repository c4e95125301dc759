// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {ITradeEscrowErrors} from "../interfaces/ITradeEscrowErrors.sol";
import {ITradeEscrowEvents} from "../interfaces/ITradeEscrowEvents.sol";
import {ITradeEscrowTypes} from "../interfaces/ITradeEscrowTypes.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {TradeFlow} from "./TradeFlow.sol";
import {TradeTerms} from "../libraries/TradeTerms.sol";

/// @title PaymentModesLogic
/// @notice Direct payment (e-remittance: paid in full, credited to the seller at once, no protection) and
/// pay after use (credit-scored buyers pay nothing up front; the price is collected after delivery and a
/// guarantor pool funded by the platform pays the seller whatever collection misses, recording the buyer's
/// debt). Linked into the escrow and run by delegatecall on its storage; its events are the escrow's.
library PaymentModesLogic {
    using SafeERC20 for IERC20;

    /// @notice See `ITradeEscrow.payDirect`.
    function payDirect(uint256 tradeId) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        if (terms.mode != ITradeEscrowTypes.PaymentMode.Direct)
            revert ITradeEscrowErrors.EscrowInvalidTermsForMode(terms.mode);
        if (t.state != ITradeEscrowTypes.TradeState.Signed)
            revert ITradeEscrowErrors.EscrowInvalidState(tradeId, t.state);
        if (msg.sender != terms.buyer)
            revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        uint256 deadline = uint256(t.stageAt) + terms.depositWindow;
        if (block.timestamp > deadline)
            revert ITradeEscrowErrors.EscrowDeadlinePassed(tradeId, deadline);
        uint256 price = terms.price;
        t.stageAt = uint40(block.timestamp);
        // price < 2**96 (checked with the terms). Passing through escrowed keeps one path for every payout.
        t.escrowed = uint96(price);
        t.released = uint96(price);
        t.flags |= EscrowStorage.SOME_RELEASED;
        TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.InFulfilment);
        emit ITradeEscrowEvents.DirectPaid(tradeId, msg.sender, price);
        TradeFlow.releaseFunds($, tradeId, terms, t, price);
        TradeFlow.pull(terms.token, price);
    }

    /// @notice See `ITradeEscrow.refundVoluntarily`.
    function refundVoluntarily(uint256 tradeId, uint256 amount) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        if (terms.mode != ITradeEscrowTypes.PaymentMode.Direct)
            revert ITradeEscrowErrors.EscrowInvalidTermsForMode(terms.mode);
        if (msg.sender != terms.seller)
            revert ITradeEscrowErrors.EscrowUnauthorized(tradeId, msg.sender);
        // `released` is what the buyer paid and has not had back.
        if (amount == 0 || amount > t.released)
            revert ITradeEscrowErrors.EscrowRefundTooLarge(tradeId, amount, t.released);
        t.released -= uint96(amount);
        emit ITradeEscrowEvents.VoluntaryRefund(tradeId, msg.sender, amount);
        TradeFlow.credit($, terms.buyer, terms.token, tradeId, amount);
        TradeFlow.pull(terms.token, amount);
    }

    /// @notice See `ITradeEscrow.confirmReceipt`.
    function confirmReceipt(uint256 tradeId) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        (EscrowStorage.Trade storage t, EscrowStorage.Terms storage terms) = TradeFlow.load(
            $,
            tradeId
        );
        ITradeEscrowTypes.TradeState awaiting;
        if (terms.mode == ITradeEscrowTypes.PaymentMode.Direct) {
            awaiting = ITradeEscrowTypes.TradeState.Shipped;
        } else if (terms.mode == ITradeEscrowTypes.PaymentMode.PayAfterUse) {
            awaiting = ITradeEscrowTypes.TradeState.Delivered;
        } else {
            revert ITradeEscrowErrors.EscrowInvalidTermsForMode(terms.mode);
        }
        if (t.state != awaiting) revert ITradeEscrowErrors.EscrowInvalidState(tradeId, t.state);
        if (msg.sender != terms.buyer) {
            // Anyone may confirm on the buyer's behalf once the automatic confirmation is due.
            uint256 due = uint256(t.stageAt) + terms.collectAfter;
            if (terms.collectAfter == 0 || block.timestamp <= due)
                revert ITradeEscrowErrors.EscrowDeadlineNotReached(tradeId, due);
        }
        emit ITradeEscrowEvents.ReceiptConfirmed(tradeId, msg.sender);
        TradeFlow.setState(tradeId, t, ITradeEscrowTypes.TradeState.Completed);
        if (terms.mode == ITradeEscrowTypes.PaymentMode.PayAfterUse) _collect($, tradeId, terms, t);
        TradeFlow.close($, tradeId, terms, t);
    }

    /// @notice See `ITradeEscrow.recordCreditScore`. Returns the oracle (the signer, or the caller), whose
    /// accreditation the escrow checks afterwards (a refusal reverts this write too).
    function recordCreditScore(
        bytes32 domainSeparator,
        ITradeEscrowTypes.CreditScore calldata score,
        bytes calldata signature
    ) external returns (address oracle) {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        oracle = msg.sender;
        if (signature.length != 0) {
            // Oracles sign with a key, not a contract wallet; a bad signature recovers an address that is
            // not accredited. The nonce makes each attestation single use.
            bytes32 digest = MessageHashUtils.toTypedDataHash(
                domainSeparator,
                TradeTerms.hashCreditScore(score)
            );
            (oracle, , ) = ECDSA.tryRecoverCalldata(digest, signature);
            TradeFlow.useNonce($, oracle, score.nonce);
        }
        if (block.timestamp > score.expiresAt)
            revert ITradeEscrowErrors.EscrowSignatureExpired(oracle, score.expiresAt);
        EscrowStorage.CreditRecord storage record = $.creditScores[score.buyer];
        if (score.issuedAt <= record.issuedAt || score.issuedAt > block.timestamp) {
            revert ITradeEscrowErrors.EscrowCreditStale(
                score.buyer,
                score.issuedAt,
                record.issuedAt
            );
        }
        // Both times are checked against now or the expiry deadline, so they fit 40 bits for ages.
        record.score = score.score;
        record.issuedAt = uint40(score.issuedAt);
        record.expiresAt = uint40(score.expiresAt);
        record.oracle = oracle;
        emit ITradeEscrowEvents.CreditScoreRecorded(
            score.buyer,
            oracle,
            score.score,
            score.issuedAt,
            score.expiresAt,
            score.nonce
        );
    }

    /// @notice See `ITradeEscrow.repayDebt`.
    function repayDebt(address token, uint256 amount) external {
        EscrowStorage.Layout storage $ = EscrowStorage.layout();
        uint256 owed = $.debts[msg.sender][token];
        if (amount == 0 || amount > owed)
            revert ITradeEscrowErrors.EscrowNothingOwed(msg.sender, token, owed);
        uint256 remaining = owed - amount;
        $.debts[msg.sender][token] = remaining;
        EscrowStorage.Pool storage p = $.pools[token];
        // The pool paid at least `owed` out, so its balance has room for it again below 2**128.
        p.balance += uint128(amount);
        emit ITradeEscrowEvents.DebtRepaid(msg.sender, token, amount, remaining);
        emit ITradeEscrowEvents.PoolChanged(token, msg.sender, int256(amount), p.balance);
        TradeFlow.pull(token, amount);
    }

    /// @notice See `ITradeEscrow.fundPool`.
    function fundPool(address token, uint256 amount) external {
        EscrowStorage.Pool storage p = EscrowStorage.layout().pools[token];
        uint256 balance = uint256(p.balance) + amount;
        if (amount == 0 || balance > type(uint96).max)
            revert ITradeEscrowErrors.EscrowInvalidAmount(amount);
        p.balance = uint128(balance);
        emit ITradeEscrowEvents.PoolChanged(token, msg.sender, int256(amount), balance);
        TradeFlow.pull(token, amount);
    }

    /// @notice See `ITradeEscrow.withdrawPool`; the escrow checked the admin role. Only the uncommitted
    /// part of the pool can leave: guarantees of open trades stay.
    function withdrawPool(address token, uint256 amount, address to) external {
        if (to == address(0)) revert ITradeEscrowErrors.EscrowZeroAddress();
        EscrowStorage.Pool storage p = EscrowStorage.layout().pools[token];
        uint256 available = uint256(p.balance) - p.committed;
        if (amount == 0 || amount > available)
            revert ITradeEscrowErrors.EscrowPoolInsufficient(token, available, amount);
        p.balance -= uint128(amount);
        // amount <= balance < 2**96, so the cast to int256 is exact.
        emit ITradeEscrowEvents.PoolChanged(token, to, -int256(amount), p.balance);
        TradeFlow.push(token, to, amount);
    }

    /// @dev Collects the price from the buyer; whatever the transfer misses (no allowance, no balance, a
    /// token that delivers less) the guarantor pool pays and the buyer owes. Either way the seller is paid.
    function _collect(
        EscrowStorage.Layout storage $,
        uint256 tradeId,
        EscrowStorage.Terms storage terms,
        EscrowStorage.Trade storage t
    ) private {
        uint256 price = terms.price;
        TradeFlow.releaseGuarantee($, tradeId, terms);
        IERC20 token = IERC20(terms.token);
        uint256 before = token.balanceOf(address(this));
        uint256 received;
        // The buyer's token was agreed by both parties; a failed transfer is what the pool is for.
        if (token.trySafeTransferFrom(terms.buyer, address(this), price)) {
            received = token.balanceOf(address(this)) - before;
            if (received > price) {
                // A token that delivered more than asked: the surplus is the buyer's.
                TradeFlow.credit($, terms.buyer, terms.token, tradeId, received - price);
                received = price;
            }
        }
        if (received != 0) emit ITradeEscrowEvents.PaymentCollected(tradeId, terms.buyer, received);
        uint256 shortfall = price - received;
        if (shortfall != 0) {
            EscrowStorage.Pool storage p = $.pools[terms.token];
            // The guarantee reserved the whole price, so the pool holds at least the shortfall.
            p.balance -= uint128(shortfall);
            $.debts[terms.buyer][terms.token] += shortfall;
            emit ITradeEscrowEvents.CollectionFailed(tradeId, terms.buyer, terms.token, shortfall);
            emit ITradeEscrowEvents.PoolChanged(
                terms.token,
                terms.buyer,
                -int256(shortfall),
                p.balance
            );
        }
        // price < 2**96 (checked with the terms).
        t.escrowed = uint96(price);
        TradeFlow.releaseFunds($, tradeId, terms, t, price);
    }
}
