package dev.flowline.testkit;

import java.time.Duration;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.flowline.embedded.DevOidcIssuer;

/** A real OIDC issuer (discovery, JWKS, signed tokens) for one test JVM; mint tokens with {@link Tokens}. */
public class OidcTestResource implements QuarkusTestResourceLifecycleManager {

    private DevOidcIssuer issuer;

    @Override
    public Map<String, String> start() {
        issuer = DevOidcIssuer.start(0, null, Duration.ofHours(1));
        return Map.of("quarkus.oidc.auth-server-url", issuer.issuerUrl());
    }

    @Override
    public void stop() {
        if (issuer != null) {
            issuer.close();
        }
    }
}
