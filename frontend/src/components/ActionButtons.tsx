import { zeroAddress } from "viem";
import * as escrow from "../actions/escrow.js";
import type { ActionContext, TradeAction } from "./tradeActionTable.js";
import { tradeActions } from "./tradeActionTable.js";

/** Runs an action; one that pays an ERC-20 asks for an approval first when the allowance is short. */
async function runAction(action: TradeAction, c: ActionContext): Promise<boolean> {
  const amount = action.pays?.(c);
  if (amount !== undefined && c.terms.token !== zeroAddress) {
    const allowance = await escrow.allowanceOf(c.clients, c.terms.token);
    if (allowance < amount) {
      const approved = await c.tx.run(`Approve ${action.txLabel}`, () =>
        escrow.approveToken(c.clients, c.terms.token, amount),
      );
      if (!approved) return false;
    }
  }
  return c.tx.run(action.txLabel, () => action.send(c));
}

/** The buttons of one panel: the table's actions for it whose rule holds now. */
export function ActionButtons(props: { panel: TradeAction["panel"]; context: ActionContext }) {
  const { context } = props;
  return (
    <>
      {tradeActions
        .filter((a) => a.panel === props.panel && a.when(context))
        .map((action) => (
          <button
            key={action.key}
            type="button"
            disabled={context.tx.busy}
            onClick={() => void runAction(action, context)}
          >
            {action.label(context)}
          </button>
        ))}
    </>
  );
}

/** Whether a panel has any action now. */
export const hasActions = (panel: TradeAction["panel"], context: ActionContext) =>
  tradeActions.some((a) => a.panel === panel && a.when(context));
