import logging
import unittest

from flowline_sdk import STEP_EXCEPTION, StepContext, StepError, UnsupportedSchema, step

CONTEXT = {"runId": "run-1", "stepId": "VALIDATE", "attempt": 2, "execution": 1, "workflow": "process_payout",
           "version": 3, "idempotencyKey": "run-1:VALIDATE:1:2"}


@step
def echo(input, ctx):
    return {"seen": input, "run": ctx.run_id, "attempt": ctx.attempt, "key": ctx.idempotency_key}


@step
def declared_failure(input, ctx):
    raise StepError("MISSING_XERO_NAME", "Missing Xero name for rental",
                    {"rental_id": "r-1", "rental_name": "Seaside Villa"})


@step
def broken(input, ctx):
    return {}["no such key"]


@step(input_schema={"type": "object", "properties": {"payout_id": {"type": "string"}}, "required": ["payout_id"]},
      output_schema={"type": "object", "properties": {"count": {"type": "integer"}}, "required": ["count"]})
def checked(input, ctx):
    return {"count": input.get("count_to_return", 1)}


class StepContractTest(unittest.TestCase):

    def test_a_returned_dict_becomes_the_output_and_the_context_is_the_callers(self):
        response = echo.handle({"input": {"payout_id": "p1"}, "context": CONTEXT})
        self.assertEqual(response, {"output": {"seen": {"payout_id": "p1"}, "run": "run-1", "attempt": 2,
                                               "key": "run-1:VALIDATE:1:2"}})

    def test_a_step_error_becomes_the_error_contract_with_its_code_message_and_data(self):
        response = declared_failure.handle({"input": {}, "context": CONTEXT})
        self.assertEqual(response, {"error": {"code": "MISSING_XERO_NAME", "message": "Missing Xero name for rental",
                                              "data": {"rental_id": "r-1", "rental_name": "Seaside Villa"}}})

    def test_any_other_exception_is_a_system_error_with_its_type_and_message_and_no_stack_trace(self):
        with self.assertLogs("flowline_sdk", level=logging.ERROR) as logged:
            response = broken.handle({"input": {}, "context": CONTEXT})
        self.assertEqual(response["error"]["code"], STEP_EXCEPTION)
        self.assertEqual(response["error"]["message"], "KeyError: 'no such key'")
        self.assertEqual(response["error"]["data"], {"type": "KeyError"})
        self.assertNotIn("Traceback", repr(response))
        # The trace is for whoever runs the step: in its log.
        self.assertIn("Traceback", "\n".join(logged.output))

    def test_the_idempotency_key_falls_back_to_the_header_and_then_to_run_step_execution_attempt(self):
        context = {k: v for k, v in CONTEXT.items() if k != "idempotencyKey"}
        self.assertEqual(echo.handle({"input": {}, "context": context}, "from-header")["output"]["key"],
                         "from-header")
        self.assertEqual(echo.handle({"input": {}, "context": context})["output"]["key"], "run-1:VALIDATE:1:2")

    def test_a_request_outside_the_contract_is_answered_as_invalid_request(self):
        for request in (None, [], {"context": CONTEXT}, {"input": {}, "context": {"stepId": "X"}},
                        {"input": {}, "context": {"runId": "r", "stepId": "X", "attempt": "2"}}):
            with self.subTest(request=request):
                self.assertEqual(echo.handle(request)["error"]["code"], "flowline.invalid-request")

    def test_the_input_schema_is_checked_before_the_function_runs(self):
        response = checked.handle({"input": {}, "context": CONTEXT})
        self.assertEqual(response["error"]["code"], "flowline.invalid-input")
        self.assertEqual(response["error"]["data"]["violations"],
                         [{"pointer": "/payout_id", "message": "is required"}])

    def test_the_output_schema_is_checked_after_it(self):
        response = checked.handle({"input": {"payout_id": "p1", "count_to_return": "one"}, "context": CONTEXT})
        self.assertEqual(response["error"]["code"], "flowline.invalid-output")
        self.assertEqual(response["error"]["data"]["violations"][0]["pointer"], "/count")
        self.assertEqual(checked.handle({"input": {"payout_id": "p1"}, "context": CONTEXT}), {"output": {"count": 1}})

    def test_the_step_is_a_lambda_handler(self):
        self.assertEqual(declared_failure({"input": {}, "context": CONTEXT}, object())["error"]["code"],
                         "MISSING_XERO_NAME")
        self.assertEqual(echo({"input": {"a": 1}, "context": CONTEXT}, None)["output"]["seen"], {"a": 1})

    def test_a_schema_with_a_keyword_the_sdk_cannot_check_is_refused_when_the_step_is_defined(self):
        with self.assertRaisesRegex(UnsupportedSchema, r"#/properties/a: keyword '\$ref'"):
            step(input_schema={"properties": {"a": {"$ref": "#/$defs/x"}}})(lambda i, c: {})

    def test_a_step_error_needs_a_code(self):
        with self.assertRaises(ValueError):
            StepError("")

    def test_the_context_reads_the_runners_names(self):
        ctx = StepContext.from_contract(CONTEXT)
        self.assertEqual((ctx.run_id, ctx.step_id, ctx.attempt, ctx.execution, ctx.workflow, ctx.version),
                         ("run-1", "VALIDATE", 2, 1, "process_payout", 3))


if __name__ == "__main__":
    unittest.main()
