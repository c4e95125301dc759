// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The cheatcodes these tests use, at the address Foundry and Hardhat 3's Solidity test runner
/// (EDR) answer them: address(uint160(uint256(keccak256("hevm cheat code")))). Only the few used here,
/// written out instead of depending on forge-std: npm's forge-std (version 1.1.2) is an old copy that
/// does not compile on its own and has no StdInvariant.
interface Vm {
    // Environment
    function warp(uint256 newTimestamp) external;
    function roll(uint256 newHeight) external;
    function deal(address account, uint256 newBalance) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function label(address account, string calldata newLabel) external;

    // Keys and signatures
    function addr(uint256 privateKey) external pure returns (address keyAddress);
    function sign(
        uint256 privateKey,
        bytes32 digest
    ) external pure returns (uint8 v, bytes32 r, bytes32 s);

    function toString(uint256 value) external pure returns (string memory);

    // State snapshots
    function snapshotState() external returns (uint256 snapshotId);
    function revertToState(uint256 snapshotId) external returns (bool success);

    // Assertions (they revert with a message naming both values)
    function assertTrue(bool condition, string calldata error) external pure;
    function assertEq(uint256 left, uint256 right, string calldata error) external pure;
    function assertLe(uint256 left, uint256 right, string calldata error) external pure;
    function assertGe(uint256 left, uint256 right, string calldata error) external pure;
    function assertGt(uint256 left, uint256 right, string calldata error) external pure;
}

/// @notice console.log at the address Hardhat and Foundry print from (shown with `-vv` and up).
library console {
    address private constant _CONSOLE = 0x000000000000000000636F6e736F6c652e6c6f67;

    function log(string memory label, uint256 value) internal view {
        _send(abi.encodeWithSignature("log(string,uint256)", label, value));
    }

    function log(string memory message) internal view {
        _send(abi.encodeWithSignature("log(string)", message));
    }

    function _send(bytes memory payload) private view {
        // A view call to the console address: the runner intercepts it; nothing is there on a real chain.
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, ) = _CONSOLE.staticcall(payload);
        ok;
    }
}

Vm constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

/// @notice `x` folded into [min, max] as forge-std's `bound` does: a value already in range is kept, and
/// small or huge inputs (the fuzzer's favourite edge values) land on the range's edges.
function bound(uint256 x, uint256 min, uint256 max) pure returns (uint256) {
    require(min <= max, "bound: min > max");
    if (x >= min && x <= max) return x;
    uint256 size = max - min + 1;
    // The whole uint256 range: every x is already in it (handled above); size wrapped to 0.
    if (x <= 3 && size > x) return min + x;
    if (x >= type(uint256).max - 3 && size > type(uint256).max - x)
        return max - (type(uint256).max - x);
    if (x > max) {
        uint256 rem = (x - max) % size;
        return rem == 0 ? max : min + rem - 1;
    }
    uint256 remBelow = (min - x) % size;
    return remBelow == 0 ? min : max - remBelow + 1;
}
