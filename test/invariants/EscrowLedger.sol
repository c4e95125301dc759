// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ITradeEscrow} from "../../contracts/interfaces/ITradeEscrow.sol";
import {ITradeEscrowTypes} from "../../contracts/interfaces/ITradeEscrowTypes.sol";
import {TradeTerms} from "../../contracts/libraries/TradeTerms.sol";
import {vm} from "./Vm.sol";

/// @title EscrowLedger
/// @notice What the invariant campaign knows besides the escrow: the fixed actors and their keys, the
/// terms of every trade the handlers opened (the escrow stores only their hash), the campaign's clock,
/// and the ghost accounts of money, measured as balance changes of the parties themselves: what each
/// party paid into the escrow and took out of it, per token, and per trade what the buyer paid, what
/// bond the seller posted and what bond went to the buyer. Never a fuzz target; the handlers and the
/// test write it.
contract EscrowLedger {
    /// @notice The native coin, as the escrow names it.
    address internal constant NATIVE = address(0);

    ITradeEscrow public immutable escrow;
    address public immutable usd;
    address public immutable court;
    address public immutable treasury;
    address public immutable keeper;
    address public immutable agency;
    bytes32 public immutable domainSeparator;

    address[] private _buyers;
    address[] private _sellers;
    address[] private _operators;
    mapping(address account => uint256 privateKey) public keyOf;

    /// @notice The campaign's time: every handler call starts at it, `KeeperHandler.warp` moves it.
    uint256 public clock;

    /// @dev Terms by trade id (the escrow keeps their EIP-712 hash only).
    mapping(uint256 tradeId => ITradeEscrowTypes.Terms) private _terms;
    uint256 public tradeCount;
    /// @notice The parts of a trade's terms amendments never change, for cheap look-ups.
    mapping(uint256 tradeId => address) public tokenOf;
    mapping(uint256 tradeId => address) public buyerOf;
    mapping(uint256 tradeId => address) public sellerOf;

    // --- Ghost money, per party and token, measured on the party's own balance ---
    mapping(address party => mapping(address token => uint256)) public paidIn;
    mapping(address party => mapping(address token => uint256)) public paidOut;
    mapping(address token => uint256) public totalIn;
    mapping(address token => uint256) public totalOut;

    // --- Ghost money, per trade ---
    /// @notice Deposits and balances the buyer paid into the trade.
    mapping(uint256 tradeId => uint256) public buyerPaid;
    /// @notice Bond the seller posted for the trade.
    mapping(uint256 tradeId => uint256) public bondPosted;
    /// @notice Bond that went to the buyer when the seller defaulted (cancellation by the buyer).
    mapping(uint256 tradeId => uint256) public bondForfeited;
    /// @notice The buyer filed a material-damage claim: its costs come out of the seller's bond.
    mapping(uint256 tradeId => bool) public materialClaim;

    /// @notice Successful handler steps by name, reported at the end of a run.
    mapping(bytes32 step => uint256) public steps;
    bytes32[] private _stepNames;

    uint256 private _nonce = 1;

    /// @notice Calls to a handler selector it does not have (stale artifacts), and the last such selector.
    uint256 public unknownCalls;
    bytes4 public lastUnknownSelector;

    constructor(
        ITradeEscrow escrow_,
        address usd_,
        address court_,
        address treasury_,
        address keeper_,
        address agency_,
        uint256[] memory buyerKeys,
        uint256[] memory sellerKeys,
        uint256[] memory operatorKeys
    ) {
        escrow = escrow_;
        usd = usd_;
        court = court_;
        treasury = treasury_;
        keeper = keeper_;
        agency = agency_;
        domainSeparator = keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256("TradeEscrow"),
                keccak256("1"),
                block.chainid,
                address(escrow_)
            )
        );
        for (uint256 i; i < buyerKeys.length; ++i) _buyers.push(_remember(buyerKeys[i]));
        for (uint256 i; i < sellerKeys.length; ++i) _sellers.push(_remember(sellerKeys[i]));
        for (uint256 i; i < operatorKeys.length; ++i) _operators.push(_remember(operatorKeys[i]));
        clock = block.timestamp;
    }

    // ------------------------------------------------------------------------------------------------
    // Actors and tokens
    // ------------------------------------------------------------------------------------------------

    function buyers() external view returns (address[] memory) {
        return _buyers;
    }

    function sellers() external view returns (address[] memory) {
        return _sellers;
    }

    function operators() external view returns (address[] memory) {
        return _operators;
    }

    function buyer(uint256 seed) external view returns (address) {
        return _buyers[seed % _buyers.length];
    }

    function seller(uint256 seed) external view returns (address) {
        return _sellers[seed % _sellers.length];
    }

    function operator(uint256 seed) external view returns (address) {
        return _operators[seed % _operators.length];
    }

    /// @notice Every account that can hold a credit at the escrow.
    function accounts() external view returns (address[] memory all) {
        uint256 n = _buyers.length + _sellers.length + _operators.length;
        all = new address[](n + 3);
        uint256 k;
        for (uint256 i; i < _buyers.length; ++i) all[k++] = _buyers[i];
        for (uint256 i; i < _sellers.length; ++i) all[k++] = _sellers[i];
        for (uint256 i; i < _operators.length; ++i) all[k++] = _operators[i];
        all[k++] = treasury;
        all[k++] = keeper;
        all[k++] = agency;
    }

    /// @notice The trades' tokens: the stablecoin and the native coin (also the operators' bond token).
    function tokens() external view returns (address[] memory list) {
        list = new address[](2);
        list[0] = usd;
        list[1] = NATIVE;
    }

    function balanceOf(address token, address account) public view returns (uint256) {
        return token == NATIVE ? account.balance : IERC20(token).balanceOf(account);
    }

    // ------------------------------------------------------------------------------------------------
    // Trades
    // ------------------------------------------------------------------------------------------------

    function terms(uint256 tradeId) external view returns (ITradeEscrowTypes.Terms memory) {
        return _terms[tradeId];
    }

    /// @notice Records a new trade; its id must be the escrow's next.
    function recordTrade(uint256 tradeId, ITradeEscrowTypes.Terms memory t) external {
        require(tradeId == tradeCount + 1, "ledger: trade ids out of step");
        tradeCount = tradeId;
        _terms[tradeId] = t;
        tokenOf[tradeId] = t.token;
        buyerOf[tradeId] = t.buyer;
        sellerOf[tradeId] = t.seller;
    }

    function recordAmendment(uint256 tradeId, ITradeEscrowTypes.Terms memory t) external {
        _terms[tradeId] = t;
    }

    // ------------------------------------------------------------------------------------------------
    // Ghost money
    // ------------------------------------------------------------------------------------------------

    function recordIn(address party, address token, uint256 amount) public {
        paidIn[party][token] += amount;
        totalIn[token] += amount;
    }

    function recordOut(address party, address token, uint256 amount) external {
        paidOut[party][token] += amount;
        totalOut[token] += amount;
    }

    function recordBuyerPaid(
        uint256 tradeId,
        address party,
        address token,
        uint256 amount
    ) external {
        buyerPaid[tradeId] += amount;
        recordIn(party, token, amount);
    }

    function recordBondPosted(
        uint256 tradeId,
        address party,
        address token,
        uint256 amount
    ) external {
        bondPosted[tradeId] += amount;
        recordIn(party, token, amount);
    }

    function recordBondForfeited(uint256 tradeId, uint256 amount) external {
        bondForfeited[tradeId] += amount;
    }

    function recordMaterialClaim(uint256 tradeId) external {
        materialClaim[tradeId] = true;
    }

    // ------------------------------------------------------------------------------------------------
    // Clock, nonces, signatures, statistics
    // ------------------------------------------------------------------------------------------------

    function setClock(uint256 timestamp) external {
        require(timestamp >= clock, "ledger: time runs forward");
        clock = timestamp;
    }

    function nextNonce() external returns (uint256) {
        return _nonce++;
    }

    /// @notice `signer`'s EIP-712 signature of `structHash` in the escrow's domain.
    function sign(address signer, bytes32 structHash) public view returns (bytes memory) {
        uint256 key = keyOf[signer];
        require(key != 0, "ledger: no key for signer");
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @notice `party`'s signed consent to open a trade on `termsHash`.
    function signOpen(
        address party,
        bytes32 termsHash
    ) external returns (ITradeEscrowTypes.PartySignature memory sig) {
        sig.nonce = _nonce++;
        sig.deadline = block.timestamp + 1 days;
        sig.signature = sign(party, TradeTerms.hashOpenTrade(termsHash, sig.nonce, sig.deadline));
    }

    /// @notice `party`'s signed consent to amend trade `tradeId` to `version` with `termsHash`.
    function signAmendment(
        address party,
        uint256 tradeId,
        uint16 version,
        bytes32 termsHash
    ) external returns (ITradeEscrowTypes.PartySignature memory sig) {
        sig.nonce = _nonce++;
        sig.deadline = block.timestamp + 1 days;
        sig.signature = sign(
            party,
            TradeTerms.hashAmendment(tradeId, version, termsHash, sig.nonce, sig.deadline)
        );
    }

    function recordUnknownCall(bytes4 selector) external {
        ++unknownCalls;
        lastUnknownSelector = selector;
    }

    function count(bytes32 step) external {
        if (steps[step] == 0) _stepNames.push(step);
        ++steps[step];
    }

    function stepNames() external view returns (bytes32[] memory) {
        return _stepNames;
    }

    function _remember(uint256 key) private returns (address account) {
        account = vm.addr(key);
        keyOf[account] = key;
    }
}
