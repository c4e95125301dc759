/** The HTTP side: the API (Hono + zod + OpenAPI), and the one server mounting API, gateway and dApp. */
export { createApiApp } from "./app.js";
export type { CreateApiAppParameters } from "./app.js";
export { createRootApp, startServer } from "./server.js";
export type { CreateRootAppParameters, StartServerParameters } from "./server.js";
export { ApiError, errorSchema } from "./errors.js";
export type { ErrorCode } from "./errors.js";
