package dev.flowline.uiconfig.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.uiconfig.domain.DataSources;
import dev.flowline.uiconfig.domain.TaskScreens;
import dev.flowline.uiconfig.domain.ViewValidation;
import dev.flowline.uiconfig.persistence.ViewVersionEntity;

/** What the views API reads and answers. */
public final class ViewDtos {

    private ViewDtos() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record ViewVersionView(String name, int version, String status, List<String> taskTypes, JsonNode view,
            Instant createdAt, String createdBy, Instant updatedAt, Instant publishedAt) {
        static ViewVersionView of(ViewVersionEntity e) {
            return new ViewVersionView(e.key.name(), e.key.version(), e.status.word(), e.taskTypeList(), e.document,
                    e.createdAt, e.createdBy, e.updatedAt, e.publishedAt);
        }
    }

    /** A validation request: the form data, and the task its rules read ({@code $.task…}), if any. */
    @RegisterForReflection
    public record ValidateRequest(JsonNode data, JsonNode task) {
    }

    @RegisterForReflection
    public record Message(String pointer, String message) {
        static Message of(FieldError error) {
            return new Message(error.pointer(), error.detail());
        }
    }

    /** The outcome: valid or not, the messages per JSON pointer, the data as it would be submitted. */
    @RegisterForReflection
    public record Validation(boolean valid, List<Message> errors, JsonNode data) {
        static Validation of(ViewValidation.Result result) {
            return new Validation(result.valid(), result.errors().stream().map(Message::of).toList(), result.data());
        }
    }

    /**
     * A task's screen; {@code lookups} by the pointer of each component fed by a data source within the view
     * ({@code /layout/0/children/2}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record ScreenView(String name, Integer version, boolean generated, JsonNode view, JsonNode task,
            JsonNode data, Map<String, LookupView> lookups) {
        static ScreenView of(TaskScreens.Screen screen) {
            Map<String, LookupView> lookups = new LinkedHashMap<>();
            screen.lookups().forEach((at, lookup) -> lookups.put(at, LookupView.of(lookup)));
            return new ScreenView(screen.name(), screen.version(), screen.generated(), screen.view(), screen.task(),
                    screen.data(), lookups);
        }
    }

    /** A fed component's first page and bound item, or the error of its source. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record LookupView(String source, List<DataSources.Item> items, boolean next, DataSources.Item selected,
            String error) {
        static LookupView of(TaskScreens.Lookup lookup) {
            return new LookupView(lookup.source(), lookup.items(), lookup.next(), lookup.selected(), lookup.error());
        }
    }
}
