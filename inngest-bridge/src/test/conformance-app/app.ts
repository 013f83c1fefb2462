// The conformance scenarios with the official SDK: the same functions as ConformanceFunctions.java, so the same
// assertions (Scenarios.java) hold for both. Started by TypeScriptConformanceTest with PORT and INNGEST_DEV set.
import http from "node:http";
import { Inngest, NonRetriableError } from "inngest";
import { serve } from "inngest/node";

const inngest = new Inngest({ id: "conformance-ts", isDev: true, checkpointing: false });

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

const port = Number(process.env.PORT ?? 3939);
http
  .createServer(serve({ client: inngest, functions: [steps, wait, send, flaky, refusing] }))
  .listen(port, () => console.log(`conformance app on ${port}`));
