package dev.flowline.benchmarks;

import java.util.Random;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.Validator;

/**
 * The cost of validating a 1 KB event's data against its event type's schema with vertx-json-schema (compiled once,
 * as trigger-service does), on the intake's hot path.
 */
@State(Scope.Benchmark)
public class EventValidationBenchmark {

    private static final String SCHEMA = """
            {"type": "object", "required": ["booking_id", "rental_id", "status", "amount"],
             "properties": {
               "booking_id": {"type": "string"}, "rental_id": {"type": "string", "pattern": "^r-[0-9]+$"},
               "status": {"enum": ["confirmed", "pending", "cancelled"]}, "amount": {"type": "number", "minimum": 0},
               "source": {"type": "string"},
               "metadata": {"type": "object", "properties": {"channel": {"type": "string"},
                            "timestamp": {"type": "string"}}},
               "guest": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"},
                         "email": {"type": "string"}}},
               "lines": {"type": "array", "items": {"type": "object", "required": ["sku", "price"],
                         "properties": {"sku": {"type": "string"}, "price": {"type": "number"},
                                        "currency": {"type": "string", "minLength": 3, "maxLength": 3},
                                        "note": {"type": "string"}}}}}}""";

    private Validator validator;
    private JsonObject[] data;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        validator = Validator.create(JsonSchema.of(new JsonObject(SCHEMA)), new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012).setBaseUri("https://flowline.dev/bench/")
                .setOutputFormat(OutputFormat.Basic));
        Random random = new Random(3);
        data = new JsonObject[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = new JsonObject(TriggerMatchingBenchmark.event(random, i)).getJsonObject("data");
            if (!validator.validate(data[i]).getValid()) {
                throw new IllegalStateException("benchmark event is invalid: " + data[i]);
            }
        }
    }

    @Benchmark
    public boolean vertxJsonSchema() {
        return validator.validate(data[next++ & 255]).getValid();
    }
}
