"""Flowline's step SDK: write a workflow step as a Python function, run it on AWS Lambda or behind HTTP.

    from flowline_sdk import StepError, step

    @step(output_schema={"type": "object", "required": ["matched"]})
    def match_bookings(input, ctx):
        if not input.get("payout_id"):
            raise StepError("UNMATCHED_BOOKING", "no payout", {"transaction_id": "..."})
        return {"matched": 3}

    handler = match_bookings          # AWS Lambda: handler(event, context)
"""

from .errors import INVALID_INPUT, INVALID_OUTPUT, INVALID_REQUEST, STEP_EXCEPTION, SYSTEM_PREFIX, StepError
from .schema import Schema, SchemaViolation, UnsupportedSchema
from .step import IDEMPOTENCY_HEADER, Step, StepContext, step

__all__ = ["IDEMPOTENCY_HEADER", "INVALID_INPUT", "INVALID_OUTPUT", "INVALID_REQUEST", "STEP_EXCEPTION",
           "SYSTEM_PREFIX", "Schema", "SchemaViolation", "Step", "StepContext", "StepError", "UnsupportedSchema",
           "step"]
__version__ = "0.1.0"
