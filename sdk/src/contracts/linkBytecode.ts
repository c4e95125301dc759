import { LinkBytecodeError } from "./errors.js";

type Hex = `0x${string}`;
type Address = `0x${string}`;

/** Where a contract's bytecode holds a library's address: byte offsets, as solc reports them. */
export type LinkReferences = {
  readonly [sourceName: string]: {
    readonly [libraryName: string]: readonly { readonly start: number; readonly length: number }[];
  };
};

/** The names of the libraries `linkReferences` needs. */
export type LibraryNames<linkReferences extends LinkReferences> = {
  [source in keyof linkReferences]: keyof linkReferences[source] & string;
}[keyof linkReferences];

export type LinkBytecodeParameters<linkReferences extends LinkReferences> = {
  [name in LibraryNames<linkReferences>]: Address;
};

const addressPattern = /^0x[0-9a-fA-F]{40}$/;

/**
 * Fills the library placeholders (`__$<34 hex>$__`) of creation bytecode with the libraries'
 * addresses. `libraries` maps each library name (or `source:Name`) to its deployed address; every
 * library the link references name must be there.
 *
 * @throws {LinkBytecodeError} when a library is missing, an address is malformed, or the bytecode
 * has no placeholder where a link reference points.
 *
 * @example
 * const bytecode = linkBytecode(tradeEscrowBytecode.bytecode, tradeEscrowBytecode.linkReferences, {
 *   AmendmentLogic: "0x…", AttestationLogic: "0x…", ...
 * });
 * await walletClient.deployContract({ abi: tradeEscrowAbi, bytecode, args });
 */
export function linkBytecode<const linkReferences extends LinkReferences>(
  bytecode: Hex,
  linkReferences: linkReferences,
  libraries: LinkBytecodeParameters<linkReferences>,
): Hex {
  const given = libraries as Record<string, string | undefined>;
  let code = bytecode.slice(2);
  for (const [source, byName] of Object.entries(linkReferences)) {
    for (const [name, references] of Object.entries(byName)) {
      const address = given[`${source}:${name}`] ?? given[name];
      if (address === undefined) {
        throw new LinkBytecodeError(name, `The bytecode links library ${name}; give its address.`);
      }
      if (!addressPattern.test(address)) {
        throw new LinkBytecodeError(name, `"${address}" is not an address (library ${name}).`);
      }
      const hex = address.slice(2).toLowerCase();
      for (const { start, length } of references) {
        const from = start * 2;
        const placeholder = code.slice(from, from + length * 2);
        if (length !== 20 || !placeholder.startsWith("__$") || !placeholder.endsWith("$__")) {
          throw new LinkBytecodeError(
            name,
            `The bytecode has no placeholder of library ${name} at byte ${start}.`,
            { details: `Found "${placeholder}".` },
          );
        }
        code = code.slice(0, from) + hex + code.slice(from + length * 2);
      }
    }
  }
  return `0x${code}`;
}
