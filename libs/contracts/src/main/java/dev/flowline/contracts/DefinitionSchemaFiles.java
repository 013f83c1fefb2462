package dev.flowline.contracts;

import java.util.List;
import java.util.Map;

/**
 * Where the JSON Schemas (draft 2020-12) of the definition language live on the classpath. Services validate with
 * these files; {@code docs/schemas.md} documents them.
 */
public final class DefinitionSchemaFiles {

    public static final String BASE = "dev/flowline/contracts/schemas/";
    public static final String BASE_URI = "https://flowline.dev/schemas/";

    /** The schema file of each kind. */
    public static final Map<CatalogKind, String> BY_KIND = Map.of(
            CatalogKind.STEP, "step-definition.schema.json",
            CatalogKind.WORKFLOW, "workflow-definition.schema.json",
            CatalogKind.EVENT_TYPE, "event-type.schema.json");

    /** The view language: a task's screen (ui-config-service). */
    public static final String TASK_VIEW = "task-view.schema.json";

    /** Every file, including the shared definitions the others refer to. */
    public static final List<String> ALL = List.of("common.schema.json", "step-definition.schema.json",
            "workflow-definition.schema.json", "event-type.schema.json", TASK_VIEW);

    private DefinitionSchemaFiles() {
    }

    /** The text of one schema file from the classpath. */
    public static String read(String file) {
        String path = BASE + file;
        try (java.io.InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
