// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IArbitrator} from "./IArbitrator.sol";

/// @title IEvidence
/// @notice Evidence events in the shape of ERC-1497. Where ERC-1497 carries a URI string, these
/// carry the binary CID of the document on IPFS, which decodes to the same `ipfs://` URI off chain.
interface IEvidence {
    /// @notice The context of disputes about `metaEvidenceID`: here version `v` of trade `t`'s
    /// terms, id `(t << 16) | v`, with that version's manifest. Emitted when a trade that can reach
    /// a court is signed (version 0) and at each amendment.
    event MetaEvidence(uint256 indexed metaEvidenceID, bytes evidenceCid);

    /// @notice `party` submitted evidence to the group `evidenceGroupID` (here the trade id).
    event Evidence(
        IArbitrator indexed arbitrator,
        uint256 indexed evidenceGroupID,
        address indexed party,
        bytes evidenceCid
    );

    /// @notice A dispute was created at `arbitrator` about `metaEvidenceID`, with evidence in
    /// `evidenceGroupID`.
    event Dispute(
        IArbitrator indexed arbitrator,
        uint256 indexed disputeID,
        uint256 metaEvidenceID,
        uint256 evidenceGroupID
    );
}
