// Prints step-id hashes computed by the installed official SDK, one JSON pair per line, for the golden test.
import { _internals } from "./node_modules/inngest/components/execution/engine.js";
for (const id of process.argv.slice(2)) {
  console.log(JSON.stringify([id, _internals.hashId(id)]));
}
