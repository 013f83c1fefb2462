#!/usr/bin/env python3
"""Seeds the local run with the payout demo, idempotently: run it twice and the second run changes nothing.

Imports the legacy ``process_payout`` workflow (``process_payout.legacy.json``, the legacy fixture), binds its six
steps to the demo step server over HTTP, maps each step's input from the run's ``payout_id``, publishes it all with
the resolution step ``update_rental_settings``, registers the event type ``payout.received`` and a trigger that
starts the workflow for it. Needs ``FLOWLINE_TOKEN`` (an admin token) and the URLs below in the environment.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional, Tuple

HERE = Path(__file__).resolve().parent
CATALOG = os.environ.get("FLOWLINE_CATALOG_URL", "http://localhost:8081")
TRIGGERS = os.environ.get("FLOWLINE_TRIGGER_URL", "http://localhost:8082")
TASKS = os.environ.get("FLOWLINE_TASKS_URL", "http://localhost:8083")
UI = os.environ.get("FLOWLINE_UI_URL", "http://localhost:8084")
STEPS = os.environ.get("FLOWLINE_DEMO_STEPS_URL", "http://localhost:8090")
WORKFLOW = "process_payout"
EVENT_TYPE = "payout.received"
STEP_VERSION = "1.0.0"

RESOLUTION_STEP = {
    "name": "update_rental_settings", "version": STEP_VERSION,
    "displayName": "Update rental settings",
    "description": "Sets a rental's Xero name or host: the fix behind MISSING_XERO_NAME and MISSING_HOST",
    "input": {"type": "object", "properties": {
        "rental_id": {"type": "string", "format": "uuid"},
        "xero_name": {"type": "string", "minLength": 1, "maxLength": 100},
        "host_id": {"type": "string", "format": "uuid"}}, "required": ["rental_id"]},
    "output": {"type": "object", "properties": {"rental_id": {"type": "string"}, "xero_name": {"type": ["string",
               "null"]}, "host_id": {"type": ["string", "null"]}}, "required": ["rental_id"]},
    "errors": [{"code": "UNKNOWN_RENTAL", "message": "No such rental",
                "data": {"type": "object", "properties": {"rental_id": {"type": "string"}},
                         "required": ["rental_id"]}}],
}
# The task type of MISSING_XERO_NAME: its title and description, and update_rental_settings as its resolution step, so
# the person only types the name and resolves; task-service sets it on the rental before the run retries.
TASK_TYPE = "validate_settings:MISSING_XERO_NAME"
TASK_TYPE_OVERRIDE = {
    "title": "Missing Xero name for {{rental_name}}",
    "description": "{{rental_name}} has no Xero contact name, so its payout lines cannot be pushed. Enter the name "
                   "Xero knows it by and retry: the name is saved on the rental, then the validation runs again.",
    "resolutionStep": {"uses": "update_rental_settings@^1.0.0",
                       "with": {"rental_id": "$.error.rental_id", "xero_name": "$.data.xero_name"}},
}
# The task's screen: a configured view (ui-config-service) with a rental lookup, backed by the step server's rental
# search as the data source "rentals", and the Xero name required.
RENTALS_SOURCE = {"kind": "http", "url": STEPS + "/lookups/rentals?name={q}&page={page}&size={size}",
                  "items": "$.items", "value": "rental_id", "label": "name"}
# The published workflows, for screens that pick one: listed by catalog-service with the caller's own token.
WORKFLOWS_SOURCE = {"kind": "catalog", "collection": "workflows"}
VIEW_NAME = "fix-xero-name"
VIEW = {
    "title": "Set the rental's Xero name", "taskTypes": [TASK_TYPE],
    "schema": {"type": "object", "required": ["xero_name"], "properties": {
        "xero_name": {"type": "string", "minLength": 1, "maxLength": 100}, "rental_id": {"type": "string"}}},
    "initial": {"rental_id": "$.task.errorData.rental_id"},
    "layout": [
        {"type": "alert", "level": "warning",
         "text": "This rental has no Xero contact name, so its payout lines cannot be pushed."},
        {"type": "keyValue", "items": [{"label": "Rental", "path": "$.task.errorData.rental_name"},
                                       {"label": "Rental id", "path": "$.task.errorData.rental_id"}]},
        {"type": "lookup", "label": "Rental (search to check another)", "bind": "/rental_id",
         "dataSource": {"name": "rentals"}},
        {"type": "text", "label": "Xero contact name", "bind": "/xero_name"},
        {"type": "button", "action": "retry", "label": "Save the name and retry"},
        {"type": "button", "action": "abort", "label": "Abort the payout"}],
}
EVENT = {
    "type": EVENT_TYPE, "category": "entity", "version": STEP_VERSION,
    "description": "A payout arrived from the channel's bank feed and can be processed",
    "schema": {"type": "object", "properties": {"payout_id": {"type": "string", "minLength": 1}},
               "required": ["payout_id"]},
    "examples": [{"payout_id": "P-1001"}],
}
TRIGGER = {
    "eventType": EVENT_TYPE, "eventVersion": "^1", "workflow": WORKFLOW, "workflowVersion": None,
    "conditions": {}, "parameters": {"payout_id": "$.data.payout_id"}, "status": "active",
    "description": "Process every payout that arrives (payout demo)",
}


def call(method: str, url: str, body: Any = None) -> Tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": "Bearer " + os.environ["FLOWLINE_TOKEN"], "Content-Type": "application/json",
        "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw) if raw else None
        except json.JSONDecodeError:
            return e.code, raw.decode(errors="replace")


def expect(result: Tuple[int, Any], *ok: int) -> Any:
    status, body = result
    if status not in ok:
        raise SystemExit(f"seed: unexpected HTTP {status}: {json.dumps(body)[:2000]}")
    return body


def current(kind: str, name: str, version: str) -> Optional[dict]:
    status, body = call("GET", f"{CATALOG}/api/{kind}/{name}/versions/{version}")
    if status == 404:
        return None
    return expect((status, body), 200)


def publish(kind: str, name: str, version: str) -> None:
    expect(call("POST", f"{CATALOG}/api/{kind}/{name}/versions/{version}/publish"), 200)
    print(f"seed: published {kind[:-1]} {name}@{version}")


def main() -> None:
    legacy = json.loads((HERE / "process_payout.legacy.json").read_text())
    workflow = current("workflows", WORKFLOW, "1")
    if workflow is None:
        expect(call("POST", f"{CATALOG}/api/imports/legacy-workflow", legacy), 201)
        print(f"seed: imported the legacy {WORKFLOW} as drafts")
        workflow = current("workflows", WORKFLOW, "1")

    for state in legacy["states"]:
        name = state["name"]
        found = current("steps", name, STEP_VERSION)
        if found is None:
            raise SystemExit(f"seed: the import made no step {name}@{STEP_VERSION}")
        if found["status"].lower() == "draft":
            definition = found["definition"]
            definition["binding"] = {"type": "http", "url": f"{STEPS}/steps/{name}"}
            expect(call("PUT", f"{CATALOG}/api/steps/{name}/versions/{STEP_VERSION}", definition), 200, 201)
            publish("steps", name, STEP_VERSION)

    resolution = current("steps", RESOLUTION_STEP["name"], STEP_VERSION)
    if resolution is None or resolution["status"].lower() == "draft":
        definition = dict(RESOLUTION_STEP, binding={"type": "http", "url": f"{STEPS}/steps/update_rental_settings"})
        expect(call("PUT", f"{CATALOG}/api/steps/{RESOLUTION_STEP['name']}/versions/{STEP_VERSION}", definition),
               200, 201)
        publish("steps", RESOLUTION_STEP["name"], STEP_VERSION)

    if workflow["status"].lower() == "draft":
        definition = workflow["definition"]
        # The legacy states took the payout from the Lambda event; here each step's input is mapped from the run's.
        definition["input"] = EVENT["schema"]
        for workflow_step in definition["steps"].values():
            workflow_step["with"] = {"payout_id": "$.input.payout_id"}
        expect(call("PUT", f"{CATALOG}/api/workflows/{WORKFLOW}/versions/1", definition), 200, 201)
        publish("workflows", WORKFLOW, "1")

    event_type = current("event-types", EVENT_TYPE, STEP_VERSION)
    if event_type is None:
        expect(call("PUT", f"{CATALOG}/api/event-types/{EVENT_TYPE}/versions/{STEP_VERSION}", EVENT), 201)
        event_type = current("event-types", EVENT_TYPE, STEP_VERSION)
    if event_type["status"].lower() == "draft":
        publish("event-types", EVENT_TYPE, STEP_VERSION)

    # task-service knows the type once its catalog cache has the published step: retry a moment.
    for attempt in range(60):
        status, body = call("GET", f"{TASKS}/api/task-types/{TASK_TYPE}")
        if status == 200 and body.get("version", 0) > 0:
            break
        if status == 200:
            status, body = call("PUT", f"{TASKS}/api/task-types/{TASK_TYPE}/override", TASK_TYPE_OVERRIDE)
            if status == 201:
                print(f"seed: task type {TASK_TYPE} resolves through update_rental_settings")
                break
        if status not in (404, 422) or attempt == 59:
            expect((status, body), 200, 201)
        time.sleep(0.5)

    expect(call("PUT", f"{UI}/api/data-sources/rentals", RENTALS_SOURCE), 200)
    expect(call("PUT", f"{UI}/api/data-sources/workflows", WORKFLOWS_SOURCE), 200)
    status, view = call("GET", f"{UI}/api/views/{VIEW_NAME}/versions/1")
    if status == 404:
        expect(call("PUT", f"{UI}/api/views/{VIEW_NAME}/versions/1", VIEW), 201)
        status, view = 200, {"status": "draft"}
    if expect((status, view), 200)["status"] == "draft":
        expect(call("POST", f"{UI}/api/views/{VIEW_NAME}/versions/1/publish"), 200)
        print(f"seed: published view {VIEW_NAME}@1, the screen of {TASK_TYPE}")

    triggers = expect(call("GET", f"{TRIGGERS}/api/triggers?eventType={EVENT_TYPE}"), 200)
    if not any(t.get("workflow") == WORKFLOW for t in triggers):
        # trigger-service checks the event type and workflow against its cache, fed by Kafka: retry a moment.
        for attempt in range(60):
            status, body = call("POST", f"{TRIGGERS}/api/triggers", TRIGGER)
            if status in (200, 201):
                print(f"seed: trigger {body.get('id')} starts {WORKFLOW} on {EVENT_TYPE}")
                break
            if status != 422 or attempt == 59:
                expect((status, body), 201)
            time.sleep(0.5)
    print("seed: the payout demo is ready")


if __name__ == "__main__":
    if "FLOWLINE_TOKEN" not in os.environ:
        sys.exit("seed: FLOWLINE_TOKEN (an admin token) is required")
    main()
