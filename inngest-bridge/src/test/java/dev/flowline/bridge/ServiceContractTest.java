package dev.flowline.bridge;

import io.quarkus.test.junit.QuarkusTest;

import dev.flowline.testkit.ServiceContractTests;

@QuarkusTest
class ServiceContractTest extends ServiceContractTests {
}
