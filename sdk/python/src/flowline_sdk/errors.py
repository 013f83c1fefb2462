"""The errors a step reports: declared ones (``StepError``) and the reserved system codes."""

from __future__ import annotations

from typing import Any, Mapping, Optional

#: Codes in this namespace are Flowline's own; a step's declared codes look like ``MISSING_XERO_NAME``.
SYSTEM_PREFIX = "flowline."
#: An exception the step did not turn into a StepError: the runner retries it with the step's retry policy.
STEP_EXCEPTION = "flowline.step-exception"
#: The step's input does not match the input schema given to the SDK.
INVALID_INPUT = "flowline.invalid-input"
#: The step returned an output that does not match the output schema given to the SDK.
INVALID_OUTPUT = "flowline.invalid-output"
#: The request is not ``{"input": ..., "context": {...}}``.
INVALID_REQUEST = "flowline.invalid-request"


class StepError(Exception):
    """A declared error of the step: its ``code`` (as in the step definition's ``errors``), a message and the data
    its declared schema describes. The workflow's ``onError`` decides what happens next (retry, skip, a task)."""

    def __init__(self, code: str, message: str = "", data: Optional[Mapping[str, Any]] = None) -> None:
        if not isinstance(code, str) or not code:
            raise ValueError("a StepError needs a non-empty code")
        super().__init__(message or code)
        self.code = code
        self.message = message
        self.data = dict(data) if data is not None else None

    def to_contract(self) -> dict:
        error: dict = {"code": self.code, "message": self.message or self.code}
        if self.data is not None:
            error["data"] = self.data
        return {"error": error}
