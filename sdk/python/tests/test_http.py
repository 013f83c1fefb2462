import json
import logging
import unittest
import urllib.error
import urllib.request

from flowline_sdk import StepError, step
from flowline_sdk.http import serve


@step
def match(input, ctx):
    if input.get("fail") == "declared":
        raise StepError("UNMATCHED_BOOKING", "no booking", {"transaction_id": "t-1"})
    if input.get("fail") == "crash":
        raise RuntimeError("database went away")
    return {"matched": 2, "key": ctx.idempotency_key}


def rentals(query):
    return 200, {"items": [{"name": n} for n in query.get("name", [])]}


class HttpServerTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = serve({"match_bookings": match}, port=0, routes={"/lookups/rentals": rentals})
        cls.server.start_background()
        cls.base = f"http://127.0.0.1:{cls.server.port}"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def post(self, path, body, headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST",
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    def test_an_output_is_200_and_the_idempotency_key_header_reaches_the_step(self):
        status, body = self.post("/steps/match_bookings", {"input": {}, "context": {"runId": "r", "stepId": "MATCH"}},
                                 {"Idempotency-Key": "r:MATCH:1:0"})
        self.assertEqual((status, body), (200, {"output": {"matched": 2, "key": "r:MATCH:1:0"}}))

    def test_a_declared_error_is_422_with_the_error_contract(self):
        status, body = self.post("/steps/match_bookings",
                                 {"input": {"fail": "declared"}, "context": {"runId": "r", "stepId": "MATCH"}})
        self.assertEqual(status, 422)
        self.assertEqual(body["error"]["code"], "UNMATCHED_BOOKING")
        self.assertEqual(body["error"]["data"], {"transaction_id": "t-1"})

    def test_an_unexpected_exception_is_500_with_a_system_error_and_no_trace(self):
        with self.assertLogs("flowline_sdk", level=logging.ERROR):
            status, body = self.post("/steps/match_bookings",
                                     {"input": {"fail": "crash"}, "context": {"runId": "r", "stepId": "MATCH"}})
        self.assertEqual(status, 500)
        self.assertEqual(body["error"], {"code": "flowline.step-exception",
                                         "message": "RuntimeError: database went away",
                                         "data": {"type": "RuntimeError"}})

    def test_a_body_that_is_not_json_and_an_unknown_step_are_problems(self):
        self.assertEqual(self.post("/steps/match_bookings", b"{nope")[0], 400)
        status, body = self.post("/steps/nothing", {"input": {}})
        self.assertEqual(status, 404)
        self.assertIn("match_bookings", body["detail"])

    def test_health_and_routes_answer_get(self):
        with urllib.request.urlopen(self.base + "/health", timeout=5) as response:
            self.assertEqual(json.load(response), {"status": "UP"})
        with urllib.request.urlopen(self.base + "/lookups/rentals?name=Villa", timeout=5) as response:
            self.assertEqual(json.load(response), {"items": [{"name": "Villa"}]})


if __name__ == "__main__":
    unittest.main()
