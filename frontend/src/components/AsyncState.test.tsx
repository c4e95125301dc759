import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithApp } from "../test/render.js";
import { TradeList } from "./TradeList.js";

const json = (body: unknown, status = 200) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }),
  );

describe("TradeList (the list states)", () => {
  it("shows loading, then the empty state", async () => {
    let answer: (r: Response) => void = () => {};
    const fetchFn = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    renderWithApp(<TradeList title="Trades" query={{}} empty="No trade yet." />, fetchFn as never);
    expect(screen.getByRole("status").textContent).toBe("Loading trades…");
    answer(new Response(JSON.stringify({ items: [], nextCursor: null })));
    expect(await screen.findByText("No trade yet.")).toBeTruthy();
    expect(fetchFn).toHaveBeenCalledWith("/api/trades", expect.anything());
  });

  it("shows the API's error message and retries on request", async () => {
    const fetchFn = vi
      .fn()
      .mockImplementationOnce(() =>
        json({ error: { code: "not_ready", message: "The indexer is catching up." } }, 503),
      )
      .mockImplementationOnce(() => json({ items: [], nextCursor: null }));
    renderWithApp(
      <TradeList title="Trades" query={{ role: "buyer" }} empty="Nothing." />,
      fetchFn as never,
    );
    expect((await screen.findByRole("alert")).textContent).toContain(
      "Could not load trades: The indexer is catching up.",
    );
    await userEvent.setup().click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Nothing.")).toBeTruthy();
  });

  it("lists trades with a link to each trade page", async () => {
    const trade = {
      id: "4",
      state: 9,
      stateName: "Completed",
      mode: 0,
      modeName: "Protected",
      buyer: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
      seller: "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
      token: "0x0000000000000000000000000000000000000000",
      price: "2500000000000000000",
      stageDeadline: null,
    };
    renderWithApp(<TradeList title="Trades" query={{}} empty="No trade." />, (() =>
      json({ items: [trade], nextCursor: null })) as never);
    const link = await screen.findByRole("link", { name: "#4" });
    expect(link.getAttribute("href")).toBe("/trades/4");
    expect(screen.getByText("2.5 ETH")).toBeTruthy();
    expect(screen.getByText("Completed")).toBeTruthy();
  });
});
