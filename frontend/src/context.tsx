import { createContext, useContext } from "react";
import type { AppConfig } from "./config.js";
import type { Api } from "./lib/api.js";

export type AppContextValue = { config: AppConfig; api: Api };

export const AppContext = createContext<AppContextValue | undefined>(undefined);

/** The chain, contracts and indexer client the dApp runs with. */
export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (value === undefined) throw new Error("useApp needs an <AppContext.Provider>.");
  return value;
}
