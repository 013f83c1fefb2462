package dev.flowline.testkit.nativeimage;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.FieldInfo;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.MethodParameterInfo;
import org.jboss.jandex.RecordComponentInfo;
import org.jboss.jandex.Type;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The native build cannot silently break: every Flowline class that Jackson reads or writes by reflection must be
 * registered for reflection. A service's {@code ReflectionRegistrationIT} extends this class; failsafe runs it after
 * the service's tests, so it sees what they serialised.
 * <p>
 * The classes serialised through Jackson are those {@link JacksonTypeRecorder} saw during the tests, plus those found
 * without running anything: classes carrying Jackson annotations and the types of REST resource methods (with the
 * Flowline types their fields and record components hold). Registered means annotated
 * {@code @RegisterForReflection}, named in the {@code targets} or {@code classNames} of one, or listed in a
 * {@code META-INF/native-image/.../reflect-config.json} of the library that holds the class (for the libraries that do
 * not depend on Quarkus).
 */
public abstract class ReflectionRegistrationCheck {

    private static final DotName REGISTER = DotName
            .createSimple("io.quarkus.runtime.annotations.RegisterForReflection");
    private static final Set<String> HTTP_METHODS = Set.of("jakarta.ws.rs.GET", "jakarta.ws.rs.POST",
            "jakarta.ws.rs.PUT", "jakarta.ws.rs.DELETE", "jakarta.ws.rs.PATCH");
    private static final String FLOWLINE = "dev.flowline.";

    @Test
    void everyClassSerialisedThroughJacksonIsRegisteredForReflection() throws IOException {
        assertTrue(Files.exists(JacksonTypeRecorder.FILE),
                JacksonTypeRecorder.FILE + " is missing: the service's tests did not run before this check");
        List<Path> roots = classRoots();
        IndexView index = index(roots);

        Map<String, String> serialised = new TreeMap<>();
        for (String name : Files.readAllLines(JacksonTypeRecorder.FILE)) {
            if (!name.isBlank()) {
                serialised.put(name.strip(), "serialised during the tests");
            }
        }
        // Every service answers problem details through Jackson: a run that recorded nothing has no recorder, and
        // would check the statically found classes only.
        assertTrue(!serialised.isEmpty(), JacksonTypeRecorder.FILE + " is empty: JacksonTypeRecorder did not run "
                + "in the service's tests (is libs/test-kit's index missing?)");
        staticallyFound(index, serialised);

        Set<String> registered = registered(index, roots);
        List<String> missing = new ArrayList<>();
        serialised.forEach((name, why) -> {
            ClassInfo info = index.getClassByName(DotName.createSimple(name));
            boolean abstractOnly = info != null && (info.isInterface() || java.lang.reflect.Modifier.isAbstract(
                    info.flags())) && !info.hasDeclaredAnnotation(DotName.createSimple(
                            "com.fasterxml.jackson.annotation.JsonTypeInfo"));
            if (!registered.contains(name) && !abstractOnly && !name.contains("$$")) {
                missing.add(name + " (" + why + ")");
            }
        });
        if (!missing.isEmpty()) {
            fail("Not registered for reflection, so a native build would fail to (de)serialise them. Annotate each "
                    + "with @RegisterForReflection, or list it in its library's "
                    + "src/main/resources/META-INF/native-image/dev.flowline/<artifact>/reflect-config.json:\n  "
                    + String.join("\n  ", missing));
        }
    }

    /** The service's own classes and every Flowline library with a Jandex index. */
    private static List<Path> classRoots() throws IOException {
        List<Path> roots = new ArrayList<>();
        roots.add(Path.of("target", "classes"));
        for (URL url : Collections.list(ReflectionRegistrationCheck.class.getClassLoader()
                .getResources("META-INF/jandex.idx"))) {
            Path root = rootOf(url);
            if (Files.isDirectory(root.resolve("dev/flowline"))) {
                roots.add(root);
            }
        }
        return roots;
    }

    private static Path rootOf(URL indexUrl) throws IOException {
        URI uri = URI.create(indexUrl.toString());
        if ("jar".equals(uri.getScheme())) {
            FileSystem fs;
            try {
                fs = FileSystems.getFileSystem(uri);
            } catch (FileSystemNotFoundException e) {
                fs = FileSystems.newFileSystem(uri, Map.of());
            }
            return fs.getPath("/");
        }
        return Path.of(uri).getParent().getParent();
    }

    private static IndexView index(List<Path> roots) throws IOException {
        Indexer indexer = new Indexer();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    try (InputStream in = Files.newInputStream(file)) {
                        indexer.index(in);
                    }
                }
            }
        }
        return indexer.complete();
    }

    private static void staticallyFound(IndexView index, Map<String, String> serialised) {
        List<String> pending = new ArrayList<>();
        for (ClassInfo type : index.getKnownClasses()) {
            String name = type.name().toString();
            if (!name.startsWith(FLOWLINE)) {
                continue;
            }
            boolean jackson = type.annotations().stream()
                    .anyMatch(a -> a.name().toString().startsWith("com.fasterxml.jackson."));
            if (jackson && serialised.putIfAbsent(name, "carries Jackson annotations") == null) {
                pending.add(name);
            }
            for (MethodInfo method : type.methods()) {
                if (method.annotations().stream().noneMatch(a -> HTTP_METHODS.contains(a.name().toString())
                        && a.target() != null && a.target().kind() == org.jboss.jandex.AnnotationTarget.Kind.METHOD)) {
                    continue;
                }
                String why = "used by REST resource " + type.simpleName() + "." + method.name();
                addFlowlineTypes(method.returnType(), why, serialised, pending);
                for (MethodParameterInfo parameter : method.parameters()) {
                    boolean bound = parameter.annotations().stream().anyMatch(a -> a.name().toString()
                            .startsWith("jakarta.ws.rs.") || a.name().toString().startsWith("org.jboss.resteasy."));
                    if (!bound) {
                        addFlowlineTypes(parameter.type(), why, serialised, pending);
                    }
                }
            }
        }
        // What a serialised class holds is serialised too.
        while (!pending.isEmpty()) {
            String name = pending.remove(pending.size() - 1);
            ClassInfo type = index.getClassByName(DotName.createSimple(name));
            if (type == null) {
                continue;
            }
            String why = "held by " + type.simpleName();
            if (type.isRecord()) {
                for (RecordComponentInfo component : type.recordComponents()) {
                    addFlowlineTypes(component.type(), why, serialised, pending);
                }
            } else {
                for (FieldInfo field : type.fields()) {
                    if (!java.lang.reflect.Modifier.isStatic(field.flags())
                            && !java.lang.reflect.Modifier.isTransient(field.flags())) {
                        addFlowlineTypes(field.type(), why, serialised, pending);
                    }
                }
            }
        }
    }

    private static void addFlowlineTypes(Type type, String why, Map<String, String> serialised, List<String> pending) {
        switch (type.kind()) {
            case CLASS -> {
                String name = type.name().toString();
                if (name.startsWith(FLOWLINE) && serialised.putIfAbsent(name, why) == null) {
                    pending.add(name);
                }
            }
            case PARAMETERIZED_TYPE -> {
                addFlowlineTypes(Type.create(type.name(), Type.Kind.CLASS), why, serialised, pending);
                type.asParameterizedType().arguments().forEach(a -> addFlowlineTypes(a, why, serialised, pending));
            }
            case ARRAY -> addFlowlineTypes(type.asArrayType().constituent(), why, serialised, pending);
            case WILDCARD_TYPE -> addFlowlineTypes(type.asWildcardType().extendsBound(), why, serialised, pending);
            default -> {
            }
        }
    }

    private static Set<String> registered(IndexView index, List<Path> roots) throws IOException {
        Set<String> names = new TreeSet<>();
        for (AnnotationInstance registration : index.getAnnotations(REGISTER)) {
            AnnotationValue targets = registration.value("targets");
            AnnotationValue classNames = registration.value("classNames");
            if (targets == null && classNames == null) {
                String registeredClass = registration.target().asClass().name().toString();
                names.add(registeredClass);
                AnnotationValue ignoreNested = registration.value("ignoreNested");
                if (ignoreNested == null || !ignoreNested.asBoolean()) {
                    // Quarkus registers the nested classes of a registered class too.
                    for (ClassInfo nested : index.getKnownClasses()) {
                        if (nested.name().toString().startsWith(registeredClass + "$")) {
                            names.add(nested.name().toString());
                        }
                    }
                }
            }
            if (targets != null) {
                for (Type target : targets.asClassArray()) {
                    names.add(target.name().toString());
                }
            }
            if (classNames != null) {
                names.addAll(List.of(classNames.asStringArray()));
            }
        }
        ObjectMapper json = new ObjectMapper();
        for (Path root : roots) {
            Path nativeImage = root.resolve("META-INF/native-image");
            if (!Files.isDirectory(nativeImage)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(nativeImage)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName() != null
                        && f.getFileName().toString().equals("reflect-config.json"))::iterator) {
                    for (JsonNode entry : json.readTree(Files.readString(file))) {
                        names.add(entry.path("name").asText());
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return names;
    }
}
