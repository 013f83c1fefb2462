package dev.flowline.uiconfig.domain;

import java.util.List;

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

import dev.flowline.contracts.DefinitionSchemaFiles;
import dev.flowline.servicekit.json.JsonSchemaValidation;
import dev.flowline.servicekit.problem.Problem.FieldError;

/** The view language's JSON Schema (in libs/contracts) and the meta-schema a view's data schema must satisfy. */
@ApplicationScoped
public class ViewSchemas {

    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    private final Validator viewValidator;
    private final Validator metaValidator;

    @Inject
    public ViewSchemas(Vertx vertx) {
        JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(
                DefinitionSchemaFiles.BASE_URI).setOutputFormat(OutputFormat.Basic);
        SchemaRepository repository = SchemaRepository.create(options).preloadMetaSchema(vertx.fileSystem());
        java.util.Map<String, JsonNode> byUri = new java.util.HashMap<>();
        for (String file : List.of("common.schema.json", DefinitionSchemaFiles.TASK_VIEW)) {
            JsonObject schema = load(file);
            repository.dereference(DefinitionSchemaFiles.BASE_URI + file, JsonSchema.of(schema));
            byUri.put(DefinitionSchemaFiles.BASE_URI + file,
                    JsonSchemaValidation.parse(DefinitionSchemaFiles.read(file)));
        }
        // Errors quote the view language's own constraints (patterns and their descriptions, allowed values).
        viewValidator = JsonSchemaValidation.described(repository.validator(DefinitionSchemaFiles.BASE_URI
                + DefinitionSchemaFiles.TASK_VIEW), byUri);
        metaValidator = repository.validator(META_SCHEMA);
    }

    /** Errors of a view document against the view language, each at its pointer. */
    public List<FieldError> validateView(JsonNode document) {
        return JsonSchemaValidation.validate(viewValidator, document, "");
    }

    /** Errors of a view's data schema against the JSON Schema meta-schema, below {@code pointer}. */
    public List<FieldError> validateSchema(JsonNode schema, String pointer) {
        return JsonSchemaValidation.validate(metaValidator, schema, pointer);
    }

    private static JsonObject load(String file) {
        return new JsonObject(DefinitionSchemaFiles.read(file));
    }
}
