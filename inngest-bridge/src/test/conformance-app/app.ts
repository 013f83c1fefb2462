// The conformance scenarios with the official SDK: the same functions as ConformanceFunctions.java, so the same
// assertions (Scenarios.java) hold for both. Started by TypeScriptConformanceTest with PORT and INNGEST_DEV set.
import http from "node:http";
import { Inngest, NonRetriableError } from "inngest";
import { serve } from "inngest/node";

// Checkpointing (the SDK's default) on or off, as TypeScriptConformanceTest's subclasses run it.
const inngest = new Inngest({
  id: "conformance-ts",
  isDev: true,
  checkpointing: process.env.CONFORMANCE_CHECKPOINTING === "on",
});

const executions = new Map<string, number>();
const count = (key: string): number => {
  const next = (executions.get(key) ?? 0) + 1;
  executions.set(key, next);
  return next;
};

const steps = inngest.createFunction(
  { id: "steps", triggers: [{ event: "conformance/steps" }] },
  async ({ event, step, runId }) => {
    const a = await step.run("a", () => "A" + count(`a-${runId}`));
    const b = await step.run("b", () => a + "B" + count(`b-${runId}`));
    await step.sleep("pause", `${event.data.pause ?? 1}s`);
    const c = await step.run("c", () => b + "C" + count(`c-${runId}`));
    return { result: c };
  },
);

const wait = inngest.createFunction(
  { id: "wait", triggers: [{ event: "conformance/wait" }] },
  async ({ event, step }) => {
    const approval = await step.waitForEvent("approval", {
      event: "conformance/approved",
      timeout: `${event.data.timeoutSeconds ?? 30}s`,
      if: "async.data.ref == event.data.ref",
    });
    return { approved: approval !== null, by: approval ? approval.data.by : "nobody" };
  },
);

const send = inngest.createFunction(
  { id: "send", triggers: [{ event: "conformance/send" }] },
  async ({ event, step }) => {
    const sent = await step.sendEvent("announce", {
      name: "conformance/announced",
      id: `announced-${event.data.ref}`,
      data: { ref: event.data.ref },
    });
    return { sent: sent.ids };
  },
);

const flaky = inngest.createFunction(
  { id: "flaky", retries: 2, triggers: [{ event: "conformance/flaky" }] },
  async ({ event, step }) => {
    const xero = await step.run("call-xero", () => {
      const attempt = count(`call-xero-${event.data.ref}`);
      if (attempt === 1) {
        throw new Error("Xero is down");
      }
      return `pushed on attempt ${attempt}`;
    });
    return { xero };
  },
);

const refusing = inngest.createFunction(
  { id: "refusing", triggers: [{ event: "conformance/refusing" }] },
  async ({ event, step }) => {
    await step.run("validate", () => {
      const attempt = count(`validate-${event.data.ref}`);
      throw new NonRetriableError(`booking does not exist (attempt ${attempt})`);
    });
    return { unreachable: true };
  },
);

const attemptsSeen = new Map<string, number[]>();
const exhausted = inngest.createFunction(
  { id: "exhausted", retries: 2, triggers: [{ event: "conformance/exhausted" }] },
  async ({ event, step, attempt }) => {
    await step.run("always-down", () => {
      const seen = attemptsSeen.get(event.data.ref) ?? [];
      seen.push(attempt);
      attemptsSeen.set(event.data.ref, seen);
      throw new Error(`down on call ${seen.length}, attempts ${seen.join(",")}`);
    });
    return { unreachable: true };
  },
);

const gate = inngest.createFunction(
  {
    id: "gate",
    triggers: [{ event: "conformance/gate", if: "event.data.amount > 1000 && event.data.currency == 'GBP'" }],
  },
  async ({ event }) => ({ ref: event.data.ref }),
);

const recovering = inngest.createFunction(
  { id: "recovering", retries: 1, triggers: [{ event: "conformance/recovering" }] },
  async ({ step }) => {
    try {
      await step.run("doomed", () => {
        throw new Error("Xero rejected the invoice");
      });
      return { recovered: false };
    } catch (err) {
      const fallback = await step.run("fallback", () => "queued for review");
      return { recovered: true, error: (err as Error).message, fallback };
    }
  },
);

const running = new Map<string, number>();
const most = new Map<string, number>();
const hold = async (group: string): Promise<number> => {
  const now = (running.get(group) ?? 0) + 1;
  running.set(group, now);
  most.set(group, Math.max(most.get(group) ?? 0, now));
  await new Promise((resolve) => setTimeout(resolve, 700));
  running.set(group, (running.get(group) ?? 1) - 1);
  return most.get(group) ?? 0;
};

const limited = inngest.createFunction(
  {
    id: "limited",
    concurrency: { limit: 1, key: "event.data.group" },
    triggers: [{ event: "conformance/limited" }],
  },
  async ({ event, step }) => {
    const a = await step.run("a", () => hold(event.data.group));
    await step.sleep("pause", "2s");
    const b = await step.run("b", () => hold(event.data.group));
    return { most: Math.max(a, b) };
  },
);

// Two functions whose env-scoped limits have different key expressions: runs of both whose keys evaluate to the same
// value share the one slot, as Inngest keys a scoped limit by its scope and the evaluated value.
const sharedGroup = inngest.createFunction(
  {
    id: "shared-group",
    concurrency: [{ limit: 1, key: "event.data.group", scope: "env" }],
    triggers: [{ event: "conformance/shared-group" }],
  },
  async ({ event, step }) => ({ most: await step.run("hold", () => hold(`shared-${event.data.group}`)) }),
);

const sharedTeam = inngest.createFunction(
  {
    id: "shared-team",
    concurrency: [{ limit: 1, key: "event.data.team", scope: "env" }],
    triggers: [{ event: "conformance/shared-team" }],
  },
  async ({ event, step }) => ({ most: await step.run("hold", () => hold(`shared-${event.data.team}`)) }),
);

const doomed = inngest.createFunction(
  {
    id: "doomed",
    triggers: [{ event: "conformance/doomed" }],
    onFailure: async ({ event, error }) => ({
      handled: error.message,
      ref: event.data.event.data.ref,
    }),
  },
  async ({ event, step }) => {
    await step.run("charge", () => {
      throw new NonRetriableError(`card declined for ${event.data.ref}`);
    });
    return { unreachable: true };
  },
);

const once = inngest.createFunction(
  { id: "once", idempotency: "event.data.ref", triggers: [{ event: "conformance/once" }] },
  async ({ event }) => ({ ref: event.data.ref }),
);

const cancellable = inngest.createFunction(
  {
    id: "cancellable",
    cancelOn: [{ event: "conformance/stop", match: "data.ref" }],
    triggers: [{ event: "conformance/cancellable" }],
  },
  async ({ step }) => {
    await step.waitForEvent("never", { event: "conformance/never", timeout: "60s" });
    return { finished: true };
  },
);

const superseding = inngest.createFunction(
  {
    id: "superseding",
    cancelOn: [{ event: "conformance/supersede", match: "data.user" }],
    triggers: [{ event: "conformance/supersede" }],
  },
  async ({ step }) => {
    await step.waitForEvent("never", { event: "conformance/never", timeout: "60s" });
    return { finished: true };
  },
);

const bounded = inngest.createFunction(
  { id: "bounded", timeouts: { finish: "2s" }, triggers: [{ event: "conformance/bounded" }] },
  async ({ step }) => {
    await step.run("a", () => "a");
    await step.sleep("long", "5s");
    await step.run("b", () => "b");
    return { finished: true };
  },
);

const rerunnable = inngest.createFunction(
  { id: "rerunnable", triggers: [{ event: "conformance/rerunnable" }] },
  async ({ event, step }) => {
    const fetched = await step.run("fetch", () => count(`fetch-${event.data.ref}`));
    const doubled = await step.run("double", (input: { value: number }) => input.value * 2, {
      value: event.data.value,
    });
    return { fetched, doubled };
  },
);

// Three steps in parallel, then one after them; each body takes a while and says when it ran, so the scenario can
// see whether the three overlap.
const fanOut = async ({ step, runId }: { step: any; runId: string }) => {
  const [a, b, c] = await Promise.all(
    ["a", "b", "c"].map((s) =>
      step.run(s, async () => {
        const start = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 500));
        return { value: s.toUpperCase() + count(`${s}-${runId}`), start, end: Date.now() };
      }),
    ),
  );
  const d = await step.run("d", () => a.value + b.value + c.value + "D" + count(`d-${runId}`));
  return { result: d, spans: [a, b, c] };
};

const fanout = inngest.createFunction({ id: "fanout", triggers: [{ event: "conformance/fanout" }] }, fanOut);

// The same, under a concurrency limit of 1: its parallel steps run one at a time.
const fanoutLimited = inngest.createFunction(
  { id: "fanout-limited", concurrency: { limit: 1 }, triggers: [{ event: "conformance/fanout-limited" }] },
  fanOut,
);

const doubler = inngest.createFunction(
  { id: "doubler", triggers: [{ event: "conformance/doubler" }] },
  async ({ event }) => ({ doubled: event.data.value * 2 }),
);

const invoker = inngest.createFunction(
  { id: "invoker", triggers: [{ event: "conformance/invoker" }] },
  async ({ event, step }) => {
    const result = await step.invoke("call", { function: doubler, data: { value: event.data.value }, timeout: "30s" });
    return { result: result.doubled };
  },
);

const typed = inngest.createFunction(
  { id: "typed", triggers: [{ event: "conformance/typed" }] },
  async ({ step }) => {
    try {
      await step.run("validate", () => {
        throw Object.assign(
          new NonRetriableError("rental r1 has no Xero name", { cause: new Error("xero lookup empty") }),
          { data: { code: "MISSING_XERO_NAME", rental_id: "r1" } },
        );
      });
      return { caught: false };
    } catch (err) {
      const e = err as Error & { cause?: { message?: string } };
      return { name: e.name, message: e.message, cause: e.cause?.message ?? null };
    }
  },
);

const port = Number(process.env.PORT ?? 3939);
http
  .createServer(
    serve({
      client: inngest,
      functions: [
        steps, wait, send, flaky, refusing, exhausted, gate, recovering, limited, doomed, once, cancellable, bounded,
        rerunnable, fanout, fanoutLimited, doubler, sharedGroup, sharedTeam, invoker, typed, superseding,
      ],
    }),
  )
  .listen(port, () => console.log(`conformance app on ${port}`));
