import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/api/index.js";
import { createStore } from "../src/store/index.js";
import { openDatabase } from "./helpers.js";

// The seller reputation's 180-day average (issue 21): it counts the SellerRated events the contract
// accepted, each dated by the event's own `ratedAt`, over the 180 days up to the newest indexed block's
// time, `since` included. Rows are written straight into the ratings table so both sides of the window's
// edge can be placed to the second; the chain tests (api.test.ts) check the rows the sync writes.

const DAY = 86_400;
const NOW = 1_800_000_000;
const SINCE = NOW - 180 * DAY;
const SELLER = "0x00000000000000000000000000000000000000a1";
const OTHER = "0x00000000000000000000000000000000000000b2";

type Json = Record<string, unknown>;

describe("GET /sellers/{address}/reputation", () => {
  let database: Awaited<ReturnType<typeof openDatabase>>;
  let reputation: (seller: string) => Promise<Json>;

  beforeAll(async () => {
    database = await openDatabase("pglite");
    const { db } = database;
    await createStore({ db }).migrate();
    await db.query(
      "INSERT INTO blocks (number, hash, parent_hash, timestamp) VALUES (10, '0x0a', '0x09', $1)",
      [NOW],
    );
    let n = 0;
    const rate = (
      seller: string,
      ratedAt: number,
      scores: [number, number, number],
      blockTimestamp = ratedAt,
    ) => {
      n += 1;
      return db.query(
        `INSERT INTO ratings (block_number, log_index, seller, trade_id, buyer, service, speed, accuracy,
           rated_at, block_timestamp, transaction_hash)
         VALUES ($1, 0, $2, $3, '0x00000000000000000000000000000000000000c3', $4, $5, $6, $7, $8, '0x01')`,
        [n, seller, n, ...scores, ratedAt, blockTimestamp],
      );
    };
    await rate(SELLER, SINCE, [5, 5, 5]); // the window's first second: counted
    await rate(SELLER, NOW, [3, 4, 2]); // now: counted
    // One second before the window: all time only, even filed in a block dated inside the window.
    await rate(SELLER, SINCE - 1, [1, 1, 1], NOW);
    await rate(OTHER, NOW, [1, 2, 3]); // another seller's
    const app = createApiApp({ db });
    reputation = async (seller) => {
      const response = await app.request(`/sellers/${seller}/reputation`);
      expect(response.status).toBe(200);
      return (await response.json()) as Json;
    };
  });
  afterAll(async () => {
    await database.drop();
  });

  it("averages every rating from the window's first second to now, and none from before it", async () => {
    const body = await reputation(SELLER);
    expect(body).toMatchObject({ windowDays: 180, since: SINCE, lastRatedAt: NOW });
    expect(body.recent).toEqual({ count: 2, service: 4, speed: 4.5, accuracy: 3.5, overall: 4 });
  });

  it("keeps the rating from before the window in the all-time average", async () => {
    const body = await reputation(SELLER);
    expect(body.allTime).toEqual({ count: 3, service: 3, speed: 3.33, accuracy: 2.67 });
  });

  it("counts no other seller's ratings, and answers with each rating's time", async () => {
    const other = await reputation(OTHER);
    expect(other.recent).toMatchObject({ count: 1, service: 1, speed: 2, accuracy: 3 });
    expect(other.allTime).toMatchObject({ count: 1 });
    const mine = await reputation(SELLER);
    expect((mine.ratings as Json[]).map((r) => r.ratedAt).sort()).toEqual(
      [SINCE - 1, SINCE, NOW].sort(),
    );
  });
});
