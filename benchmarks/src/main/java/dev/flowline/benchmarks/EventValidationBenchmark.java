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
 * The cost of validating a 1 KB event's data against its event type's schema (compiled once, as trigger-service does),
 * on the intake's hot path: vertx-json-schema as used today (Basic output, from the Jackson tree the intake holds, which
 * JsonSchemaValidation.toVertx converts by printing and re-parsing it), its parts, and networknt json-schema-validator
 * as the alternative (on the Jackson tree directly).
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
    private Validator flagValidator;
    private com.networknt.schema.Schema networknt;
    private JsonObject[] data;
    private com.fasterxml.jackson.databind.JsonNode[] jackson;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        validator = Validator.create(JsonSchema.of(new JsonObject(SCHEMA)), new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012).setBaseUri("https://flowline.dev/bench/")
                .setOutputFormat(OutputFormat.Basic));
        flagValidator = Validator.create(JsonSchema.of(new JsonObject(SCHEMA)), new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012).setBaseUri("https://flowline.dev/bench/")
                .setOutputFormat(OutputFormat.Flag));
        networknt = com.networknt.schema.SchemaRegistry
                .withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12).getSchema(SCHEMA);
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Random random = new Random(3);
        data = new JsonObject[256];
        jackson = new com.fasterxml.jackson.databind.JsonNode[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = new JsonObject(TriggerMatchingBenchmark.event(random, i)).getJsonObject("data");
            try {
                jackson[i] = mapper.readTree(data[i].encode());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            if (!networknt.validate(jackson[i]).isEmpty()) {
                throw new IllegalStateException("networknt finds the benchmark event invalid: " + data[i]);
            }
            if (!validator.validate(data[i]).getValid()) {
                throw new IllegalStateException("benchmark event is invalid: " + data[i]);
            }
        }
    }

    /** The validation alone, on a Vert.x tree. */
    @Benchmark
    public boolean vertxJsonSchema() {
        return validator.validate(data[next++ & 255]).getValid();
    }

    /** What the intake pays today: the Jackson tree printed and re-parsed (JsonSchemaValidation.toVertx), validated. */
    @Benchmark
    public boolean vertxJsonSchemaFromJackson() {
        return validator.validate(io.vertx.core.json.Json.decodeValue(jackson[next++ & 255].toString())).getValid();
    }

    /** The Flag output format: valid or not, no error list. */
    @Benchmark
    public boolean vertxJsonSchemaFlag() {
        return flagValidator.validate(data[next++ & 255]).getValid();
    }

    /** The alternative: networknt json-schema-validator on the Jackson tree. */
    @Benchmark
    public boolean networkntFromJackson() {
        return networknt.validate(jackson[next++ & 255]).isEmpty();
    }
}
