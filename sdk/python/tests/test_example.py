import importlib.util
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def load_example():
    spec = importlib.util.spec_from_file_location("validate_settings",
                                                  os.path.join(HERE, "..", "examples", "validate_settings.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ExampleTest(unittest.TestCase):

    def test_the_example_answers_its_declared_error_and_its_output_as_a_lambda_handler(self):
        example = load_example()
        failed = example.handler({"input": {"payout_id": "P-1"}, "context": {"runId": "r", "stepId": "V"}}, None)
        self.assertEqual(failed["error"]["code"], "MISSING_XERO_NAME")
        self.assertEqual(failed["error"]["data"]["rental_name"], "Old Mill Cottage")
        self.assertEqual(example.handler({"input": {"payout_id": "P-2"}, "context": {"runId": "r", "stepId": "V"}},
                                         None), {"output": {"success": True}})


if __name__ == "__main__":
    unittest.main()
