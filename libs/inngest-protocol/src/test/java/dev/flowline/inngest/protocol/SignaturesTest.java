package dev.flowline.inngest.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class SignaturesTest {

    private static final String KEY = "signkey-test-0123456789abcdef0123456789abcdef";
    private static final String FALLBACK = "signkey-test-fedcba9876543210fedcba9876543210";
    private static final byte[] BODY = "{\"event\":{\"name\":\"x\"}}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void theKeyWithoutItsPrefixSignsBodyAndTimestamp() throws Exception {
        String header = Signatures.header(BODY, KEY, NOW);
        assertThat(header).startsWith("t=" + NOW.getEpochSecond() + "&s=");
        // HMAC-SHA256 keyed by the text after "signkey-test-", over the body then the timestamp; computed with
        // printf '%s%s' "$BODY" 1795773600 | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef
        assertThat(header).isEqualTo("t=1795773600&s=5def92f48a867c7d30ca8f63f30bc122382ae20f0b70d98903f00009eaafc46a");
        assertThat(Signatures.verify(header, BODY, List.of(KEY), NOW.plusSeconds(30))).isEqualTo(KEY);
    }

    @Test
    void theHeaderAloneIsCheckedForShapeAndFreshnessWithoutTheBody() throws Exception {
        String header = Signatures.header(BODY, KEY, NOW);
        assertThat(Signatures.stamp(header, NOW.plusSeconds(30)).timestamp()).isEqualTo("1795773600");
        assertThatThrownBy(() -> Signatures.stamp(header, NOW.plus(Duration.ofMinutes(6))))
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> Signatures.stamp("t=soon&s=ab", NOW)).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Signatures.stamp("s=ab", NOW)).hasMessageContaining("t and s");
        assertThatThrownBy(() -> Signatures.stamp(" ", NOW)).hasMessageContaining("no X-Inngest-Signature");
    }

    @Test
    void aForgedStaleOrMissingSignatureIsRejected() {
        String header = Signatures.header(BODY, KEY, NOW);
        byte[] tampered = "{\"event\":{\"name\":\"y\"}}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Signatures.verify(header, tampered, List.of(KEY), NOW))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> Signatures.verify(Signatures.header(BODY, "signkey-test-00", NOW), BODY,
                List.of(KEY), NOW)).hasMessageContaining("does not match");
        assertThatThrownBy(() -> Signatures.verify(header, BODY, List.of(KEY), NOW.plus(Duration.ofMinutes(6))))
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> Signatures.verify(header, BODY, List.of(KEY), NOW.minus(Duration.ofMinutes(6))))
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> Signatures.verify(null, BODY, List.of(KEY), NOW)).hasMessageContaining("no");
        assertThatThrownBy(() -> Signatures.verify("t=1", BODY, List.of(KEY), NOW)).hasMessageContaining("t and s");
    }

    @Test
    void theFallbackKeyIsAcceptedDuringARotation() throws Exception {
        String header = Signatures.header(BODY, FALLBACK, NOW);
        assertThat(Signatures.verify(header, BODY, List.of(KEY, FALLBACK), NOW)).isEqualTo(FALLBACK);
        assertThatThrownBy(() -> Signatures.verify(header, BODY, List.of(KEY), NOW))
                .isInstanceOf(Signatures.Rejected.class);
    }

    @Test
    void theBearerTokenIsThePrefixAndTheSha256OfTheHexKey() {
        // From the protocol spec's example.
        assertThat(Signatures.hashedSigningKey("signkey-prod-12345678"))
                .isEqualTo("signkey-prod-b2ed992186a5cb19f6668aade821f502c1d00970dfd0e35128d51bac4649916c");
    }
}
