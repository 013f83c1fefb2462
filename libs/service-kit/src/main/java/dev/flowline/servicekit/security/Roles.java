package dev.flowline.servicekit.security;

import java.util.Map;
import java.util.Set;

/**
 * The Flowline roles, as carried in the token's {@code groups} claim. Higher roles imply lower ones (see
 * {@link #IMPLIED}), so endpoints name the lowest role that may call them.
 */
public final class Roles {

    public static final String ADMIN = "flowline-admin";
    public static final String EDITOR = "flowline-editor";
    public static final String OPERATOR = "flowline-operator";
    public static final String VIEWER = "flowline-viewer";
    /** Other systems (machine clients) that send events. */
    public static final String SERVICE = "flowline-service";

    /**
     * What each role implies. Editors and operators are separate duties (definitions versus running things); both
     * can read. Admins can do everything.
     */
    public static final Map<String, Set<String>> IMPLIED = Map.of(
            ADMIN, Set.of(EDITOR, OPERATOR, VIEWER),
            EDITOR, Set.of(VIEWER),
            OPERATOR, Set.of(VIEWER));

    private Roles() {
    }
}
