package dev.flowline.catalog;

import io.quarkus.test.junit.QuarkusTest;

import dev.flowline.testkit.ServiceContractTests;

@QuarkusTest
class ServiceContractTest extends ServiceContractTests {
}
