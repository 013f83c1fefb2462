package dev.flowline.testkit;

import java.lang.management.ManagementFactory;
import java.util.Map;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.flowline.embedded.EmbeddedPostgresServer;

/**
 * A throw-away PostgreSQL server for one test JVM; each service migrates its own schema into it. A test can take it
 * away and bring it back ({@link #stopServer}, {@link #restartServer}) to check what the service does meanwhile.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** What a test can do to the server; an MBean, so that it is reached by name from any class loader. */
    public interface ServerControlMBean {
        void stop();

        void restart();
    }

    /*
     * The resource and the tests may be loaded by different class loaders (a static field would not be shared), so the
     * controls are registered with the JVM's platform MBean server and invoked by name.
     */
    private static final String CONTROL = "dev.flowline.testkit:type=PostgresTestResource";

    private EmbeddedPostgresServer postgres;

    @Override
    public Map<String, String> start() {
        postgres = EmbeddedPostgresServer.start(null, 0);
        EmbeddedPostgresServer server = postgres;
        try {
            MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(CONTROL);
            if (beans.isRegistered(name)) {
                beans.unregisterMBean(name);
            }
            beans.registerMBean(new StandardMBean(new ServerControlMBean() {
                @Override
                public void stop() {
                    server.stop();
                }

                @Override
                public void restart() {
                    server.restart();
                }
            }, ServerControlMBean.class), name);
        } catch (JMException e) {
            throw new IllegalStateException("could not register the test database's controls", e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(),
                "quarkus.datasource.username", EmbeddedPostgresServer.USER,
                "quarkus.datasource.password", EmbeddedPostgresServer.PASSWORD);
    }

    /** Stops this JVM's test database, keeping its data. */
    public static void stopServer() {
        invoke("stop");
    }

    /** Starts this JVM's test database again, on the same port and data. */
    public static void restartServer() {
        invoke("restart");
    }

    private static void invoke(String operation) {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(CONTROL), operation, null, null);
        } catch (JMException e) {
            throw new IllegalStateException("no PostgresTestResource to " + operation + " in this JVM", e);
        }
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(CONTROL));
            } catch (JMException e) {
                // already gone: nothing to undo
            }
            postgres.close();
        }
    }
}
