package dev.flowline.uiconfig;

import io.quarkus.test.common.QuarkusTestResource;

import dev.flowline.testkit.OidcTestResource;
import dev.flowline.testkit.PostgresTestResource;

/**
 * Real PostgreSQL and OIDC issuer for every @QuarkusTest of this module (this service uses no Kafka channel yet), and
 * stand-ins for the two task-service reads it makes and for catalog-service's list.
 */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(TaskServiceStandIn.class)
@QuarkusTestResource(CatalogStandIn.class)
public final class TestInfrastructure {

    private TestInfrastructure() {
    }
}
