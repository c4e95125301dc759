// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";

/// @title MockERC1271Wallet
/// @notice TEST-ONLY. A minimal smart-contract wallet: a signature is valid (ERC-1271) iff its
/// owner's key signed the given hash as is (e.g. an EIP-712 digest, no extra prefix). The owner
/// makes calls through `execute`. Never deploy it outside tests.
contract MockERC1271Wallet is IERC1271, Ownable {
    // --- Constants and immutables ---

    bytes4 private constant _INVALID_SIGNATURE = 0xffffffff;

    // --- Constructor ---

    /// @notice Creates the wallet.
    /// @param initialOwner The EOA whose signatures the wallet accepts and who may `execute`.
    constructor(address initialOwner) Ownable(initialOwner) {}

    // --- Receive ---

    /// @notice Accepts native coin.
    receive() external payable {}

    // --- External writes ---

    /// @notice Calls `target` with `data` and `value` wei from this wallet's balance (which
    /// includes `msg.value`). Only the owner may call. Bubbles the callee's revert data.
    /// @param target The contract or account to call.
    /// @param value The wei to send.
    /// @param data The calldata.
    /// @return What the call returned.
    function execute(
        address target,
        uint256 value,
        bytes calldata data
    ) external payable onlyOwner returns (bytes memory) {
        if (!LowLevelCall.callNoReturn(target, value, data)) LowLevelCall.bubbleRevert();
        return LowLevelCall.returnData();
    }

    // --- External views ---

    /// @notice Returns the ERC-1271 magic value iff `signature` is the owner's ECDSA signature of
    /// `hash`; `0xffffffff` otherwise. Never reverts, even on malformed signatures.
    /// @param hash The signed hash.
    /// @param signature A 65-byte ECDSA signature.
    /// @return magicValue `IERC1271.isValidSignature.selector` if valid.
    function isValidSignature(
        bytes32 hash,
        bytes calldata signature
    ) external view returns (bytes4 magicValue) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == owner()) {
            return IERC1271.isValidSignature.selector;
        }
        return _INVALID_SIGNATURE;
    }
}
