package dev.flowline.task;

import io.quarkus.test.junit.QuarkusTest;

import dev.flowline.testkit.ServiceContractTests;

@QuarkusTest
class ServiceContractTest extends ServiceContractTests {
}
