package dev.flowline.task.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Titles and descriptions from the error's data with no code: {@code "Missing Xero name for {{rental_name}}"}.
 * Only {@code {{field}}} (a top-level member of the error data) is understood; anything else is text. A field the
 * data lacks renders as {@code ?}.
 */
public final class TitleTemplate {

    static final Pattern FIELD = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    private TitleTemplate() {
    }

    /** The fields the template names, in order. */
    public static List<String> fields(String template) {
        List<String> fields = new ArrayList<>();
        Matcher m = FIELD.matcher(template);
        while (m.find()) {
            fields.add(m.group(1));
        }
        return fields;
    }

    public static String render(String template, JsonNode data) {
        Matcher m = FIELD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = data == null ? null : data.get(m.group(1));
            String text = value == null || value.isNull()
                    ? "?"
                    : value.isTextual()
                            ? value.asText()
                            : value
                                    .toString();
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }
}
