"""The step contract: ``{"input", "context"}`` in, ``{"output"}`` or ``{"error": {"code", "message", "data"}}`` out.

``@step`` turns a function ``(input, ctx) -> dict`` into a :class:`Step`: call it as an AWS Lambda handler
(``handler(event, context)``), serve it over HTTP with :func:`flowline_sdk.http.serve`, or call
:meth:`Step.handle` in a test. The function raises :class:`~flowline_sdk.errors.StepError` for a declared error;
any other exception becomes the system error ``flowline.step-exception`` with the exception's type and message,
never its stack trace (that goes to the log, for whoever runs the step).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Union, overload

from .errors import INVALID_INPUT, INVALID_OUTPUT, INVALID_REQUEST, STEP_EXCEPTION, StepError
from .schema import Schema

log = logging.getLogger("flowline_sdk")

#: The header an HTTP step receives the idempotency key in (also in ``context.idempotencyKey``).
IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class StepContext:
    """Where this call belongs: the run, the step's id in the workflow, which execution of it (a step in a loop runs
    more than once) and which attempt. ``idempotency_key`` is the same for every delivery of one attempt: use it to
    make side effects happen once (a payment, a ledger line)."""

    run_id: str
    step_id: str
    attempt: int
    execution: int
    workflow: Optional[str]
    version: Optional[int]
    idempotency_key: str

    @staticmethod
    def from_contract(context: Mapping[str, Any], header_key: Optional[str] = None) -> "StepContext":
        missing = [name for name in ("runId", "stepId") if not isinstance(context.get(name), str)]
        if missing:
            raise _BadRequest(f"context.{missing[0]} must be a string")
        attempt = context.get("attempt", 0)
        execution = context.get("execution", 0)
        if not isinstance(attempt, int) or isinstance(attempt, bool) or not isinstance(execution, int):
            raise _BadRequest("context.attempt and context.execution must be integers")
        key = context.get("idempotencyKey") or header_key or \
            f"{context['runId']}:{context['stepId']}:{execution}:{attempt}"
        version = context.get("version")
        return StepContext(run_id=context["runId"], step_id=context["stepId"], attempt=attempt,
                           execution=execution, workflow=context.get("workflow"),
                           version=version if isinstance(version, int) else None, idempotency_key=key)


class _BadRequest(Exception):
    pass


StepFunction = Callable[[Any, StepContext], Any]


class Step:
    """A step function with the contract around it."""

    def __init__(self, function: StepFunction, name: Optional[str] = None,
                 input_schema: Optional[Mapping[str, Any]] = None,
                 output_schema: Optional[Mapping[str, Any]] = None) -> None:
        self.function = function
        self.name = name or function.__name__
        # Compiled now: an unsupported keyword is an error when the module loads, not on the first call.
        self.input_schema = Schema(input_schema) if input_schema is not None else None
        self.output_schema = Schema(output_schema) if output_schema is not None else None
        self.__doc__ = function.__doc__

    def handle(self, request: Any, idempotency_key: Optional[str] = None) -> dict:
        """One call by the contract: answers the response document (never raises)."""
        try:
            if not isinstance(request, Mapping) or "input" not in request:
                raise _BadRequest('the request must be an object with "input" and "context"')
            ctx = StepContext.from_contract(request.get("context") or {}, idempotency_key)
        except _BadRequest as e:
            return _system(INVALID_REQUEST, str(e))
        payload = request["input"]
        if self.input_schema is not None:
            violations = self.input_schema.violations(payload)
            if violations:
                return _system(INVALID_INPUT, f"the input of {self.name} does not match its schema",
                               {"violations": [v.to_json() for v in violations]})
        try:
            output = self.function(payload, ctx)
        except StepError as e:
            return e.to_contract()
        except Exception as e:  # noqa: BLE001 - the contract turns every other failure into a system error
            log.exception("step %s failed in run %s (attempt %s)", self.name, ctx.run_id, ctx.attempt)
            return _system(STEP_EXCEPTION, f"{type(e).__name__}: {e}", {"type": type(e).__name__})
        if output is None:
            output = {}
        if self.output_schema is not None:
            violations = self.output_schema.violations(output)
            if violations:
                return _system(INVALID_OUTPUT, f"the output of {self.name} does not match its schema",
                               {"violations": [v.to_json() for v in violations]})
        return {"output": output}

    def __call__(self, event: Any, context: Any = None) -> dict:
        """The AWS Lambda handler: the runner's Invoke payload is the request document."""
        return self.handle(event)


def _system(code: str, message: str, data: Optional[dict] = None) -> dict:
    error: dict = {"code": code, "message": message}
    if data is not None:
        error["data"] = data
    return {"error": error}


@overload
def step(function: StepFunction) -> Step: ...


@overload
def step(*, name: Optional[str] = None, input_schema: Optional[Mapping[str, Any]] = None,
         output_schema: Optional[Mapping[str, Any]] = None) -> Callable[[StepFunction], Step]: ...


def step(function: Optional[StepFunction] = None, *, name: Optional[str] = None,
         input_schema: Optional[Mapping[str, Any]] = None,
         output_schema: Optional[Mapping[str, Any]] = None) -> Union[Step, Callable[[StepFunction], Step]]:
    """``@step`` or ``@step(name=..., input_schema=..., output_schema=...)``."""
    if function is not None:
        return Step(function)

    def wrap(f: StepFunction) -> Step:
        return Step(f, name=name, input_schema=input_schema, output_schema=output_schema)

    return wrap
