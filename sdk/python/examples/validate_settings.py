"""An example step: run it with `python3 examples/validate_settings.py` and call it with

    curl -X POST localhost:8091/steps/validate_settings -H 'Content-Type: application/json' \\
         -d '{"input": {"payout_id": "P-1"}, "context": {"runId": "r1", "stepId": "VALIDATE"}}'

On AWS Lambda, set the handler to `validate_settings.handler`.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))

from flowline_sdk import StepError, step  # noqa: E402
from flowline_sdk.http import serve  # noqa: E402

RENTALS = {"P-1": [{"id": "8f1e2d3c-4b5a-4968-8776-a1b2c3d4e502", "name": "Old Mill Cottage", "xero_name": None}]}


@step(input_schema={"type": "object", "properties": {"payout_id": {"type": "string"}}, "required": ["payout_id"]},
      output_schema={"type": "object", "properties": {"success": {"type": "boolean"}}, "required": ["success"]})
def validate_settings(input, ctx):
    for rental in RENTALS.get(input["payout_id"], []):
        if not rental["xero_name"]:
            # A declared error: the workflow's onError decides what happens (here, a task for a person).
            raise StepError("MISSING_XERO_NAME", f"Missing Xero name for {rental['name']}",
                            {"rental_id": rental["id"], "rental_name": rental["name"]})
    return {"success": True}


handler = validate_settings

if __name__ == "__main__":
    serve({"validate_settings": validate_settings}, port=int(os.environ.get("PORT", "8091"))).serve_forever()
