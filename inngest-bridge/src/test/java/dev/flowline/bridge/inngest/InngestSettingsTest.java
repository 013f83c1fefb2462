package dev.flowline.bridge.inngest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class InngestSettingsTest {

    private static InngestSettings settings(String dev, String serveOrigin) {
        InngestSettings settings = new InngestSettings();
        settings.dev = Optional.ofNullable(dev);
        settings.serveOrigin = Optional.ofNullable(serveOrigin);
        settings.servePath = "/api/inngest";
        settings.signingKey = Optional.of("signkey-test-0123");
        return settings;
    }

    @Test
    void inCloudModeTheServeUrlNeverComesFromTheRequest() {
        assertThat(settings(null, "https://bridge.example.com/").serveUrl("http://attacker.example"))
                .isEqualTo("https://bridge.example.com/api/inngest");
        assertThatThrownBy(() -> settings(null, null).serveUrl("http://attacker.example"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("INNGEST_SERVE_ORIGIN");
    }

    @Test
    void cloudModeWithoutAServeOriginIsRefusedAtStartUp() {
        assertThatThrownBy(() -> settings("0", " ").check(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("INNGEST_SERVE_ORIGIN");
        settings("1", null).check(null);
    }

    @Test
    void cloudModeWithoutASigningKeyIsRefusedAtStartUpAndDevModeNeedsNone() {
        InngestSettings cloud = settings(null, "https://bridge.example.com");
        cloud.check(null);
        cloud.signingKey = Optional.of(" ");
        assertThatThrownBy(() -> cloud.check(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("INNGEST_SIGNING_KEY");
        InngestSettings dev = settings("1", null);
        dev.signingKey = Optional.empty();
        dev.check(null);
    }

    @Test
    void inDevModeTheSyncRequestsOriginIsUsedWhenNoneIsConfigured() {
        assertThat(settings("1", null).serveUrl("http://localhost:8085")).isEqualTo(
                "http://localhost:8085/api/inngest");
    }
}
