/** What a gateway request asks for. */
export type GatewayRequestFormat =
  { format: "raw" } | { format: "car"; dups: boolean; scope: DagScope } | { format: "bytes" };

export type DagScope = "all" | "entity" | "block";

export type GatewayRequestError = { status: 400 | 406; code: string; message: string };

export type NegotiateParameters = {
  /** The `Accept` header, if any. */
  accept?: string | null | undefined;
  /** The query parameters (`format`, `dag-scope`, `car-version`, `car-order`, `car-dups`, `entity-bytes`). */
  query: Readonly<Record<string, string | undefined>>;
};

export const rawMediaType = "application/vnd.ipld.raw";
export const carMediaType = "application/vnd.ipld.car";

type MediaRange = { type: string; params: Record<string, string>; q: number; index: number };

/**
 * Parses an `Accept` header into media ranges, most preferred first (by `q`, then by order).
 *
 * @example
 * parseAccept("text/html, application/vnd.ipld.car;version=1;q=0.9")[0].type // "text/html"
 */
export function parseAccept(header: string | null | undefined): MediaRange[] {
  if (header === null || header === undefined || header.trim() === "") return [];
  return header
    .split(",")
    .map((part, index) => {
      const [type = "", ...rest] = part.split(";").map((piece) => piece.trim());
      const params: Record<string, string> = {};
      let q = 1;
      for (const piece of rest) {
        const eq = piece.indexOf("=");
        if (eq <= 0) continue;
        const name = piece.slice(0, eq).trim().toLowerCase();
        const value = piece
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, "$1");
        if (name === "q") q = Number.isFinite(Number(value)) ? Number(value) : 0;
        else params[name] = value.toLowerCase();
      }
      return { type: type.toLowerCase(), params, q, index };
    })
    .filter((range) => range.type !== "" && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
}

/**
 * Decides the response format of a trustless gateway request: `?format=` first (the trustless
 * gateway spec: it takes precedence), then the most preferred `application/vnd.ipld.raw` or
 * `application/vnd.ipld.car` in `Accept`, otherwise the file's bytes (a browser).
 *
 * @example
 * negotiate({ accept: "application/vnd.ipld.raw", query: {} }) // { format: "raw" }
 * negotiate({ accept: "text/html", query: { format: "car" } }) // { format: "car", dups: false, scope: "all" }
 */
export function negotiate(
  parameters: NegotiateParameters,
): GatewayRequestFormat | GatewayRequestError {
  const { query } = parameters;
  const ranges = parseAccept(parameters.accept);
  let chosen: "raw" | "car" | "bytes" = "bytes";
  const format = query.format?.trim().toLowerCase();
  if (format !== undefined && format !== "") {
    if (format !== "raw" && format !== "car") {
      return bad(
        400,
        "unsupported_format",
        `Format ${JSON.stringify(query.format)} is not served; use raw or car.`,
      );
    }
    chosen = format;
  } else {
    const first = ranges.find(
      (range) => range.type === rawMediaType || range.type === carMediaType,
    );
    if (first !== undefined) chosen = first.type === rawMediaType ? "raw" : "car";
  }
  if (chosen === "raw") {
    if (query["dag-scope"] !== undefined || query["entity-bytes"] !== undefined) {
      return bad(
        400,
        "unsupported_parameter",
        "dag-scope and entity-bytes apply to CAR responses only.",
      );
    }
    return { format: "raw" };
  }
  if (chosen === "bytes") return { format: "bytes" };

  const accepted = ranges.find((range) => range.type === carMediaType)?.params ?? {};
  const version = query["car-version"] ?? accepted.version;
  if (version !== undefined && version !== "1") {
    return bad(
      406,
      "not_acceptable",
      `CAR version ${JSON.stringify(version)} is not served; only version 1.`,
    );
  }
  const order = query["car-order"] ?? accepted.order;
  if (order !== undefined && order !== "dfs" && order !== "unk") {
    return bad(
      406,
      "not_acceptable",
      `CAR order ${JSON.stringify(order)} is not served; only dfs.`,
    );
  }
  const dups = query["car-dups"] ?? accepted.dups;
  if (dups !== undefined && dups !== "y" && dups !== "n") {
    return bad(400, "invalid_parameter", `CAR dups ${JSON.stringify(dups)} must be y or n.`);
  }
  if (query["entity-bytes"] !== undefined) {
    return bad(
      400,
      "unsupported_parameter",
      "entity-bytes is not supported; request the whole document.",
    );
  }
  const scope = query["dag-scope"] ?? "all";
  if (scope !== "all" && scope !== "entity" && scope !== "block") {
    return bad(
      400,
      "invalid_parameter",
      `dag-scope ${JSON.stringify(scope)} must be all, entity or block.`,
    );
  }
  return { format: "car", dups: dups === "y", scope };
}

export function isRequestError(
  value: GatewayRequestFormat | GatewayRequestError,
): value is GatewayRequestError {
  return "status" in value;
}

function bad(status: 400 | 406, code: string, message: string): GatewayRequestError {
  return { status, code, message };
}
