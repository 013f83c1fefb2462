package dev.flowline.uiconfig.domain;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The components of the view language by type: which members each takes (the JSON Schema in libs/contracts says
 * the same; this table also refuses members a type does not take, which the schema's conditional parts cannot), and
 * a walk over a layout tree in document order.
 */
public final class ViewComponents {

    public static final Set<String> INPUTS = Set.of("text", "textarea", "number", "money", "date", "datetime",
            "select", "multiselect", "checkbox", "switch", "lookup");
    public static final String BUTTON = "button";
    /** The rule members: each a condition over {"data": …, "task": …}. */
    public static final List<String> RULES = List.of("show", "hide", "enable", "disable", "require");

    static final Set<String> COMMON = Set.of("type", "id", "label", "help", "show", "hide", "enable", "disable",
            "require");
    static final Map<String, Set<String>> MEMBERS = new HashMap<>();

    static {
        for (String layout : List.of("section", "columns", "group")) {
            MEMBERS.put(layout, Set.of("title", "children"));
        }
        MEMBERS.put("tabs", Set.of("tabs"));
        for (String input : INPUTS) {
            MEMBERS.put(input, Set.of("bind", "placeholder"));
        }
        MEMBERS.put("number", Set.of("bind", "placeholder", "min", "max", "step"));
        MEMBERS.put("money", Set.of("bind", "placeholder", "currency", "currencyPath"));
        MEMBERS.put("select", Set.of("bind", "placeholder", "options", "dataSource"));
        MEMBERS.put("multiselect", Set.of("bind", "placeholder", "options", "dataSource"));
        MEMBERS.put("lookup", Set.of("bind", "placeholder", "dataSource", "pageSize"));
        MEMBERS.put("field", Set.of("path"));
        MEMBERS.put("keyValue", Set.of("items"));
        MEMBERS.put("table", Set.of("dataSource", "path", "columns", "selection", "bind", "pageSize",
                "searchable"));
        MEMBERS.put("alert", Set.of("level", "text"));
        MEMBERS.put("markdown", Set.of("text"));
        MEMBERS.put("link", Set.of("href"));
        MEMBERS.put(BUTTON, Set.of("action"));
    }

    private ViewComponents() {
    }

    /** The members a component of {@code type} may have; empty for an unknown type. */
    public static Set<String> members(String type) {
        Set<String> own = MEMBERS.get(type);
        if (own == null) {
            return Set.of();
        }
        Set<String> all = new HashSet<>(COMMON);
        all.addAll(own);
        return all;
    }

    /** Whether a component binds a value of the form data. */
    public static boolean binds(JsonNode component) {
        String type = component.path("type").asText();
        return INPUTS.contains(type) || ("table".equals(type) && component.has("bind"));
    }

    /** Visits a component with where it is and what its ancestors were. */
    public interface Visitor<S> {
        /** Answers the state its children are visited with. */
        S visit(JsonNode component, String pointer, S parent);
    }

    /** Walks {@code children} (a layout list) depth first, children after their parent. */
    public static <S> void walk(JsonNode children, String pointer, S state, Visitor<S> visitor) {
        if (children == null || !children.isArray()) {
            return;
        }
        for (int i = 0; i < children.size(); i++) {
            JsonNode component = children.get(i);
            String at = pointer + "/" + i;
            S own = visitor.visit(component, at, state);
            walk(component.get("children"), at + "/children", own, visitor);
            JsonNode tabs = component.get("tabs");
            if (tabs != null && tabs.isArray()) {
                for (int t = 0; t < tabs.size(); t++) {
                    walk(tabs.get(t).get("children"), at + "/tabs/" + t + "/children", own, visitor);
                }
            }
        }
    }
}
