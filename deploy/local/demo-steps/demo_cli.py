"""deploy/local/demo: the payout demo from the command line (see that script for the commands)."""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Optional

BASE = int(os.environ.get("FLOWLINE_SERVICE_PORT_BASE", "8081"))
TRIGGERS = f"http://localhost:{BASE + 1}"
TASKS = f"http://localhost:{BASE + 2}"
RUNS = f"http://localhost:{BASE + 4}"
STEPS = f"http://localhost:{os.environ.get('FLOWLINE_DEMO_PORT', '8090')}"
OIDC = f"http://localhost:{os.environ.get('FLOWLINE_OIDC_PORT', '8180')}"


def token(user: str) -> str:
    body = urllib.parse.urlencode({"grant_type": "password", "username": user}).encode()
    with urllib.request.urlopen(f"{OIDC}/realms/flowline/protocol/openid-connect/token", body, timeout=10) as r:
        return json.load(r)["access_token"]


def call(method: str, url: str, user: Optional[str], body: Any = None) -> Any:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if user:
        headers["Authorization"] = "Bearer " + token(user)
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        sys.exit(f"demo: {method} {url} answered {e.code}: {e.read().decode(errors='replace')}")
    except urllib.error.URLError as e:
        sys.exit(f"demo: {url} did not answer ({e.reason}); is deploy/local/up running?")


def payout(payout_id: str = "P-1001") -> None:
    event = {"specversion": "1.0", "id": f"payout-{payout_id}-{time.time_ns()}", "type": "payout.received",
             "source": "/demo/bank-feed", "data": {"payout_id": payout_id}}
    print(json.dumps(call("POST", f"{TRIGGERS}/api/events", "operator", event), indent=2))


def runs() -> None:
    page = call("GET", f"{RUNS}/api/runs?workflow=process_payout&limit=20", "viewer")
    for run in page["items"]:
        waiting = f"  waiting for task {run['waitingFor']}" if run.get("waitingFor") else ""
        print(f"{run['runId']}  {run['status']:<9}  started {run['startedAt']}{waiting}")
    if not page["items"]:
        print("no process_payout runs yet: deploy/local/demo payout")


def run(run_id: str) -> None:
    detail = call("GET", f"{RUNS}/api/runs/{run_id}", "viewer")
    print(f"run {detail['runId']}: {detail['status']} (process_payout v{detail['version']})")
    for attempt in detail["steps"]:
        outcome = attempt.get("output") if attempt.get("error") is None else attempt["error"]
        print(f"  {attempt['stepId']:<10} #{attempt['execution']} attempt {attempt['attempt']}  {attempt['status']:<14} "
              f"{json.dumps(outcome)}")
    if detail.get("output") is not None:
        print(f"  output: {json.dumps(detail['output'])}")


def fix_xero_name(run_id: str, xero_name: str) -> None:
    """What a person does in the task inbox: claim the task, enter the Xero name, resolve it with retry.

    The task type's resolution step (update_rental_settings, configured by the seed) saves the name on the rental
    before the run retries the validation.
    """
    tasks = call("GET", f"{TASKS}/api/tasks?run={urllib.parse.quote(run_id)}&errorCode=MISSING_XERO_NAME", "viewer")
    open_tasks = [t for t in tasks["items"] if t["status"] in ("open", "claimed")]
    if not open_tasks:
        sys.exit(f"demo: run {run_id} has no open MISSING_XERO_NAME task (yet?); see deploy/local/demo run {run_id}")
    task = call("GET", f"{TASKS}/api/tasks/{open_tasks[0]['id']}", "viewer")
    if task["status"] == "open":
        call("POST", f"{TASKS}/api/tasks/{task['id']}/claim", "operator")
    resolved = call("POST", f"{TASKS}/api/tasks/{task['id']}/resolve", "operator",
                    {"action": "retry", "data": {"xero_name": xero_name}})
    print(f"demo: task {resolved['id']} ({resolved['title']}) {resolved['status']} with retry by "
          f"{resolved['resolvedBy']}")
    detail = call("GET", f"{TASKS}/api/tasks/{task['id']}", "viewer")
    step = detail["history"][-1].get("detail", {}).get("resolutionStep")
    if step:
        print(f"demo: {step['step']} set the Xero name of {task['errorData']['rental_name']} to "
              f"{step['output'].get('xero_name')}")


def ledger(payout_id: Optional[str] = None) -> None:
    query = f"?payout_id={urllib.parse.quote(payout_id)}" if payout_id else ""
    book = call("GET", f"{STEPS}/ledger{query}", None)
    for line in book["lines"]:
        print(f"  {line['line_id']:<50} {line['contact']:<15} {line['account']:<13} {line['amount']:>9.2f}  "
              f"{line['reference']}")
    print(f"  {len(book['lines'])} lines, total {book['total']:.2f}")


COMMANDS = {"payout": payout, "runs": runs, "run": run, "fix-xero-name": fix_xero_name, "ledger": ledger}

if __name__ == "__main__":
    name, args = sys.argv[1], sys.argv[2:]
    try:
        COMMANDS[name](*args)
    except TypeError:
        sys.exit(f"demo: wrong arguments for {name}; see deploy/local/demo --help")
