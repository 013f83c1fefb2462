package dev.flowline.k8s;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's configuration is made of, read from the sources: the properties it names (its
 * application.properties, the shared libraries' defaults, every {@code @ConfigProperty} of its code and of the
 * libraries), and their environment-variable forms, the keys a ConfigMap may set.
 */
record ServiceConfiguration(String service, Set<String> properties) {

    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");

    /** The services: every module with container images (src/main/docker). */
    static List<String> services() throws IOException {
        try (Stream<Path> dirs = Files.list(RenderedOverlay.ROOT)) {
            return dirs.filter(d -> Files.exists(d.resolve("src/main/docker/Dockerfile.jvm")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        }
    }

    static ServiceConfiguration of(String service) throws IOException {
        Set<String> names = new TreeSet<>();
        Path module = RenderedOverlay.ROOT.resolve(service);
        names.addAll(keys(module.resolve("src/main/resources/application.properties")));
        names.addAll(configProperties(module.resolve("src/main/java")));
        try (Stream<Path> libs = Files.list(RenderedOverlay.ROOT.resolve("libs"))) {
            for (Path lib : libs.toList()) {
                names.addAll(keys(lib.resolve("src/main/resources/META-INF/microprofile-config.properties")));
                names.addAll(configProperties(lib.resolve("src/main/java")));
            }
        }
        return new ServiceConfiguration(service, names);
    }

    /** The property's name in the environment (MicroProfile Config: non-alphanumerics to '_', upper case). */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    boolean reads(String environmentVariable) {
        return properties.stream().anyMatch(p -> environmentName(p).equals(environmentVariable));
    }

    String property(String name) throws IOException {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(RenderedOverlay.ROOT.resolve(service)
                .resolve("src/main/resources/application.properties"))) {
            file.load(in);
        }
        return file.getProperty(name);
    }

    private static Set<String> keys(Path file) throws IOException {
        Set<String> keys = new TreeSet<>();
        if (Files.exists(file)) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            }
            for (String key : properties.stringPropertyNames()) {
                // %dev.x, %test.x: the property is x in every profile's eyes
                keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
            }
        }
        return keys;
    }

    private static Set<String> configProperties(Path sources) throws IOException {
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(sources)) {
            return names;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = CONFIG_PROPERTY.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
