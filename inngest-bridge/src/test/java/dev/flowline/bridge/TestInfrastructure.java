package dev.flowline.bridge;

import io.quarkus.test.common.QuarkusTestResource;

import dev.flowline.testkit.OidcTestResource;
import dev.flowline.testkit.PostgresTestResource;

/** Real PostgreSQL and OIDC issuer for every @QuarkusTest of this module (this service uses no Kafka channel yet). */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
public final class TestInfrastructure {

    private TestInfrastructure() {
    }
}
