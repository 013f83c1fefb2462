package dev.flowline.expression;

/** RFC 6901 helpers for building the pointers errors carry. */
public final class JsonPointers {

    private JsonPointers() {
    }

    public static String append(String pointer, String token) {
        return pointer + "/" + token.replace("~", "~0").replace("/", "~1");
    }

    public static String append(String pointer, int index) {
        return pointer + "/" + index;
    }
}
