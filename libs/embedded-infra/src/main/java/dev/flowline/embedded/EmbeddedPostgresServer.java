package dev.flowline.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from the binaries packaged in {@code io.zonky.test.postgres}. With a data directory it keeps
 * its state across restarts (the local run); without one it is throw-away (tests). It can be stopped and restarted
 * with its data, to test what services do while their database is away.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "flowline";
    public static final String USER = "postgres";
    // Not a secret (the embedded server trusts local connections), but distinctive, so that the services' contract
    // test can tell that no log line prints the database password.
    public static final String PASSWORD = "embedded-flowline-pw";

    private final Path dataDirectory;
    private final boolean temporary;
    private final int port;
    private EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDirectory, boolean temporary, int port) {
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
        this.port = port;
    }

    /**
     * @param dataDirectory where the cluster lives, kept between runs; {@code null} for a temporary cluster (deleted on
     *        {@link #close})
     * @param port the port, or 0 for any free port
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        try {
            boolean temporary = dataDirectory == null;
            Path directory = temporary ? Files.createTempDirectory("flowline-postgres") : dataDirectory;
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(directory, temporary, port == 0
                    ? Ports.free()
                    : port);
            server.launch();
            server.createDatabaseIfMissing();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** Starts the server on its data directory; an existing cluster is reused (zonky runs initdb only for a new one). */
    private void launch() throws IOException {
        Files.createDirectories(dataDirectory);
        postgres = EmbeddedPostgres.builder().setPort(port).setServerConfig("max_connections", "200")
                .setDataDirectory(dataDirectory).setCleanDataDirectory(false).start();
    }

    /** Stops the server, keeping its data: clients see their connections drop and new ones refused (outage tests). */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    /** Starts a stopped server again on the same port and data, as after an outage. */
    public synchronized void restart() {
        if (postgres != null) {
            return;
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not restart", e);
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            try (PreparedStatement query = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
                query.setString(1, DATABASE);
                try (ResultSet rs = query.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + DATABASE);
            }
            try (Statement password = connection.createStatement()) {
                password.execute("alter user " + USER + " with password '" + PASSWORD + "'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + DATABASE, e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public String reactiveUrl() {
        return "postgresql://localhost:" + port() + "/" + DATABASE;
    }

    @Override
    public void close() {
        stop();
        if (temporary) {
            try (var paths = Files.walk(dataDirectory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
