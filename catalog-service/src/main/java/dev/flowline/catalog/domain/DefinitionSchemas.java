package dev.flowline.catalog.domain;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;

import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.DefinitionSchemaFiles;
import dev.flowline.servicekit.json.JsonSchemaValidation;
import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * Validates definitions against the definition language's JSON Schemas (from libs/contracts), and embedded JSON
 * Schemas against the draft 2020-12 meta-schema.
 */
@ApplicationScoped
public class DefinitionSchemas {

    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    private final Map<CatalogKind, Validator> validators = new EnumMap<>(CatalogKind.class);
    private final Validator metaValidator;
    private final JsonSchemaOptions instanceOptions = JsonSchemaValidation.options("https://flowline.dev/instances/");

    @Inject
    public DefinitionSchemas(Vertx vertx) {
        JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
                .setBaseUri(DefinitionSchemaFiles.BASE_URI).setOutputFormat(OutputFormat.Basic);
        SchemaRepository repository = SchemaRepository.create(options).preloadMetaSchema(vertx.fileSystem());
        Map<String, JsonNode> byUri = new java.util.HashMap<>();
        for (String file : DefinitionSchemaFiles.ALL) {
            JsonObject schema = load(file);
            repository.dereference(DefinitionSchemaFiles.BASE_URI + file, JsonSchema.of(schema));
            byUri.put(DefinitionSchemaFiles.BASE_URI + file,
                    JsonSchemaValidation.parse(DefinitionSchemaFiles.read(file)));
        }
        // Errors quote the definition language's own constraints (patterns and their descriptions, allowed values).
        DefinitionSchemaFiles.BY_KIND.forEach((kind, file) -> validators.put(kind, JsonSchemaValidation.described(
                repository.validator(DefinitionSchemaFiles.BASE_URI + file), byUri)));
        metaValidator = repository.validator(META_SCHEMA);
    }

    private static JsonObject load(String file) {
        return new JsonObject(DefinitionSchemaFiles.read(file));
    }

    /** Errors of {@code document} against the schema of {@code kind}, each at its JSON pointer. */
    public List<FieldError> validate(CatalogKind kind, JsonNode document) {
        return JsonSchemaValidation.validate(validators.get(kind), document, "");
    }

    /** Errors of an embedded JSON Schema against the meta-schema, below {@code pointer}. */
    public List<FieldError> validateSchema(JsonNode schema, String pointer) {
        return JsonSchemaValidation.validate(metaValidator, schema, pointer);
    }

    /** Errors of {@code instance} against a user's JSON Schema (an event example against its event's schema). */
    public List<FieldError> validateInstance(JsonNode schema, JsonNode instance, String pointer) {
        return JsonSchemaValidation.validate(JsonSchemaValidation.compile(schema, instanceOptions), instance, pointer);
    }
}
