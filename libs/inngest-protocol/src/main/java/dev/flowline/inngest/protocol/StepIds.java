package dev.flowline.inngest.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Step ids as the protocol hashes them: hex SHA-1 of the developer's id; the n-th repeat of an id within one execution
 * (a step in a loop) is hashed as {@code id:n}, the first without a suffix. One instance per call request.
 */
public final class StepIds {

    private final Map<String, Integer> seen = new HashMap<>();

    /** The hashed id of the next step named {@code id} in this execution. */
    public String next(String id) {
        int count = seen.merge(id, 1, Integer::sum) - 1;
        return hash(count == 0 ? id : id + ":" + count);
    }

    public static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
