package dev.flowline.inngest.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Request signing of the Inngest protocol: {@code X-Inngest-Signature: t=<unix seconds>&s=<hex HMAC-SHA256>}, where the
 * HMAC key is the signing key without its {@code signkey-<env>-} prefix and the message is the raw body followed by
 * the timestamp. Requests older or newer than five minutes are refused, so a captured request cannot be replayed.
 */
public final class Signatures {

    public static final Duration WINDOW = Duration.ofMinutes(5);
    private static final Pattern PREFIX = Pattern.compile("^signkey-\\w+-");

    private Signatures() {
    }

    /** Why a signature was not accepted. */
    public static final class Rejected extends Exception {
        public Rejected(String message) {
            super(message);
        }
    }

    public static String header(byte[] body, String signingKey, Instant now) {
        long t = now.getEpochSecond();
        return "t=" + t + "&s=" + hmac(body, signingKey, Long.toString(t));
    }

    /** A signature header that is well formed and fresh; its HMAC is not yet checked against the body. */
    public record Stamp(String timestamp, String hmac) {
    }

    /**
     * What can be checked of a signature before the body is read: present, well formed and within the window. The
     * serve endpoint refuses a request that fails this before it buffers the body.
     */
    public static Stamp stamp(String header, Instant now) throws Rejected {
        if (header == null || header.isBlank()) {
            throw new Rejected("no X-Inngest-Signature header");
        }
        String t = null;
        String s = null;
        for (String part : header.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String name = part.substring(0, eq);
                String value = part.substring(eq + 1);
                if (name.equals("t")) {
                    t = value;
                } else if (name.equals("s")) {
                    s = value;
                }
            }
        }
        if (t == null || s == null) {
            throw new Rejected("the signature header needs t and s");
        }
        long seconds;
        try {
            seconds = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new Rejected("the signature timestamp is not a number");
        }
        if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(WINDOW) > 0) {
            throw new Rejected("the signature has expired");
        }
        return new Stamp(t, s);
    }

    /**
     * Checks {@code header} against each key in turn (the current key, then the fallback during a rotation).
     *
     * @return the key that matched
     */
    public static String verify(String header, byte[] body, List<String> keys, Instant now) throws Rejected {
        Stamp stamp = stamp(header, now);
        byte[] given = stamp.hmac().getBytes(StandardCharsets.US_ASCII);
        for (String key : keys) {
            if (key != null && !key.isBlank() && MessageDigest.isEqual(
                    hmac(body, key, stamp.timestamp()).getBytes(StandardCharsets.US_ASCII), given)) {
                return key;
            }
        }
        throw new Rejected("the signature does not match");
    }

    /**
     * What introspection may show of a signing key: the first 12 hex characters of its hash, without the prefix (as
     * the official SDK shows it). The full hash is the bearer token of the Inngest API and is never shown.
     */
    public static String signingKeyFingerprint(String signingKey) {
        String hashed = hashedSigningKey(signingKey);
        String hex = hashed.substring(Optional.of(PREFIX.matcher(hashed)).filter(m -> m.find()).map(m -> m.group()
                .length()).orElse(0));
        return hex.substring(0, Math.min(12, hex.length()));
    }

    /** The bearer token sent to the Inngest API: the prefix kept, the hex key replaced by its SHA-256. */
    public static String hashedSigningKey(String signingKey) {
        String prefix = Optional.of(PREFIX.matcher(signingKey)).filter(m -> m.find()).map(m -> m.group())
                .orElse("");
        String key = signingKey.substring(prefix.length());
        byte[] raw;
        try {
            raw = HexFormat.of().parseHex(key);
        } catch (IllegalArgumentException e) {
            raw = key.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return prefix + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(byte[] body, String signingKey, String timestamp) {
        String key = PREFIX.matcher(signingKey).replaceFirst("");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(body);
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
