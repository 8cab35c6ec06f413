import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import {
  contactDirectory,
  type EvalReport,
  type EvalTarget,
  evalHtml,
  formatEvalTable,
  parseSuite,
  runSuite,
} from "../../src/evaluation/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { seededRandom } from "../../src/shared/random.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import { llmTarget, settings } from "./eval-fixtures.ts";
import { supportModel } from "./fake-support-model.ts";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = resolve(import.meta.dirname, "../../docs/screenshots");

const suite = parseSuite(
  `
name: northwind llm support
cases:
  - name: return policy is looked up
    turns:
      - customer: What is your return policy?
        expect: { tool_called: search_knowledge_base, contains: 30 days, handoff: false }
  - name: refund timing
    turns:
      - customer: hi, quick question
      - customer: When will I get my refund?
        expect: { contains: 5 business days, not_contains: guarantee }
  - name: small talk
    turns:
      - customer: Good morning!
        expect: { handoff: false, max_latency_ms: 2000 }
`,
  "examples/evals/llm.yaml",
);

/** Replies take a seeded 40-400 ms on the manual clock: charts with a shape, still repeatable. */
function timed(target: EvalTarget, clock: ManualClock, seed: number): EvalTarget {
  const random = seededRandom(seed);
  const agent = target.agent;
  return {
    ...target,
    agent: {
      id: agent.id,
      version: agent.version,
      async respond(context, signal) {
        clock.advance(40 + Math.round(random.next() * 360));
        return agent.respond(context, signal);
      },
    },
  };
}

describe("the eval report", () => {
  let fake: FakeLlmServer;
  let report: EvalReport;
  let dir: string;

  before(async () => {
    fake = await startFakeOpenAI(supportModel);
    dir = mkdtempSync(join(tmpdir(), "mainstay-eval-report-"));
    const clock = new ManualClock();
    const contacts = contactDirectory();
    const result = await runSuite(suite, {
      settings: settings(clock),
      contacts,
      concurrency: 1,
      repeat: 4,
      candidate: timed(llmTarget(fake.url, "bad-model", "v_5e1f0c2a9d11", contacts), clock, 7),
      baseline: timed(llmTarget(fake.url, "good-model", "v_3a9c71b0e4f2", contacts), clock, 3),
    });
    report = {
      kind: "eval",
      suite: { name: suite.name!, file: "examples/evals/llm.yaml" },
      agent: { id: "northwind-support", candidate: "v_5e1f0c2a9d11", baseline: "v_3a9c71b0e4f2" },
      options: { concurrency: 1, repeat: 4 },
      judge: null,
      startedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      finishedAt: new Date(clock.now()).toISOString(),
      ...result,
    };
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints a table with each case, the regression and the gate", () => {
    const table = formatEvalTable(report);
    assert.match(table, /REGRESSED\s+return policy is looked up\s+0\/4\s+4\/4/);
    assert.match(
      table,
      /gate: FAIL \(pass rate 33\.3%, needs 100%; regressed: return policy is looked up, refund timing\)/,
    );
  });

  it("is one self-contained page: no script, no external resource", () => {
    const page = evalHtml(report);
    assert.doesNotMatch(page, /<script|<link|src=|href="http/);
    assert.match(page, /<svg[^>]*aria-label="Reply latency"/);
    // The candidate's words against the baseline's, word by word.
    assert.match(page, /<del>[^<]*reach your original/);
    assert.match(page, /<ins>[^<]*\b30\b/);
  });

  it("renders in headless Chromium; screenshots go to docs/screenshots/eval-report*.png", {
    skip: !existsSync(CHROMIUM) && "chromium is not installed",
  }, async () => {
    const file = join(dir, "eval-report.html");
    writeFileSync(file, evalHtml(report));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(`file://${file}`);
      assert.equal(await page.locator(".gate").textContent(), "Gate FAIL");
      assert.equal((await page.locator("svg rect").count()) > 10, true);
      assert.deepEqual(requests, [`file://${file}`]);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, "eval-report.png"), fullPage: false });
      // A regressed case opens on its transcript: the candidate's reply against the baseline's.
      await page
        .locator("details[open]")
        .nth(1)
        .screenshot({ path: join(SCREENSHOTS, "eval-report-transcript.png") });
    } finally {
      await browser.close();
    }
  });
});
