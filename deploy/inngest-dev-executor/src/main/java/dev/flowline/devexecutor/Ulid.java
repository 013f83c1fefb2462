package dev.flowline.devexecutor;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * ULIDs, the ids Inngest gives runs and events: 48 bits of milliseconds and 80 random bits in Crockford's base 32
 * (26 characters), so that ids sort by creation time; its REST API refuses an id that is not one.
 */
final class Ulid {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int LENGTH = 26;

    private Ulid() {
    }

    static String next() {
        return at(Instant.now());
    }

    static String at(Instant time) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return of(time.toEpochMilli(), random);
    }

    /** The ULID of a time and ten random bytes. */
    static String of(long millis, byte[] random) {
        char[] out = new char[LENGTH];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // The 80 random bits, five at a time, most significant first.
        long high = 0;
        for (int i = 0; i < 5; i++) {
            high = (high << 8) | (random[i] & 0xff);
        }
        long low = 0;
        for (int i = 5; i < 10; i++) {
            low = (low << 8) | (random[i] & 0xff);
        }
        for (int i = 0; i < 8; i++) {
            out[10 + i] = ALPHABET[(int) ((high >>> (35 - 5 * i)) & 31)];
            out[18 + i] = ALPHABET[(int) ((low >>> (35 - 5 * i)) & 31)];
        }
        return new String(out);
    }

    /** Whether {@code text} reads as a ULID (case-insensitively, as the server's parser). */
    static boolean isValid(String text) {
        if (text == null || text.length() != LENGTH) {
            return false;
        }
        // The first character holds only the top 3 of 48 time bits (above that the value would overflow 128 bits).
        if (Character.digit(text.charAt(0), 10) < 0 || text.charAt(0) > '7') {
            return false;
        }
        for (char ch : text.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
            if (java.util.Arrays.binarySearch(ALPHABET, ch) < 0) {
                return false;
            }
        }
        return true;
    }
}
