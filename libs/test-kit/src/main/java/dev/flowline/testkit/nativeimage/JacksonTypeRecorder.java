package dev.flowline.testkit.nativeimage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Test scope only: writes down every Flowline class the service's {@code ObjectMapper} builds a bean serialiser or
 * deserialiser for, that is every class Jackson reads by reflection. A native image needs each of them registered;
 * {@link ReflectionRegistrationCheck} reads this file after the tests and fails on any that is not.
 */
@Singleton
public class JacksonTypeRecorder implements ObjectMapperCustomizer {

    /** Where the types go, relative to the module being tested. */
    public static final Path FILE = Path.of("target", "jackson-serialised-types.txt");

    // The file holds one test run: the first recorder of a JVM empties it. A system property, because each Quarkus
    // restart loads this class again in a new class loader.
    private static final String STARTED = "flowline.jackson-type-recorder.started";
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    @Override
    public void customize(ObjectMapper mapper) {
        synchronized (System.class) {
            if (System.getProperty(STARTED) == null) {
                System.setProperty(STARTED, "true");
                try {
                    Files.deleteIfExists(FILE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        SimpleModule module = new SimpleModule("flowline-jackson-type-recorder");
        module.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription bean,
                    List<BeanPropertyWriter> properties) {
                record(bean.getBeanClass());
                return properties;
            }
        });
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription bean,
                    JsonDeserializer<?> deserializer) {
                record(bean.getBeanClass());
                return deserializer;
            }
        });
        mapper.registerModule(module);
    }

    private static void record(Class<?> type) {
        String name = type.getName();
        if (!name.startsWith("dev.flowline.") || !SEEN.add(name)) {
            return;
        }
        synchronized (JacksonTypeRecorder.class) {
            try {
                Files.createDirectories(FILE.getParent());
                Files.writeString(FILE, name + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
