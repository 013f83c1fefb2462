package dev.flowline.task;

import io.quarkus.test.common.QuarkusTestResource;

import dev.flowline.testkit.KafkaTestResource;
import dev.flowline.testkit.OidcTestResource;
import dev.flowline.testkit.PostgresTestResource;

/** Real PostgreSQL, Kafka broker and OIDC issuer for every @QuarkusTest of this module . */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
public final class TestInfrastructure {

    private TestInfrastructure() {
    }
}
