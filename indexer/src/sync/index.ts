/** The sync engine: follows the chain and writes what the events say to the store. */
export { createSyncer } from "./syncer.js";
export type { CreateSyncerParameters, SyncEvent, SyncStatus, Syncer } from "./syncer.js";
export { createLogDecoder } from "./decode.js";
export type { ChainEvent, ContractName, Contracts, LogDecoder } from "./decode.js";
export { projectBlocks, tradeRow } from "./project.js";
export type { BlockInput, LoadRows, Projection } from "./project.js";
export { createChainReader, isRangeTooLarge } from "./rpc.js";
export type { BlockHeader, ChainReader, CreateChainReaderParameters } from "./rpc.js";
export { createDocumentVerifier, createMediaTypeLookup } from "./documents.js";
export type { CreateDocumentVerifierParameters, DocumentVerifier } from "./documents.js";
