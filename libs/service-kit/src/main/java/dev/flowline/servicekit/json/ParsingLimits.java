package dev.flowline.servicekit.json;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Bounds what the JSON parser accepts while it reads, for request bodies and Kafka records alike: a document nested
 * deeper than {@code flowline.json.max-nesting-depth} (default 100) fails at the first level too many, before it is
 * built as a tree, and answers 400 {@code malformed-json}. Definitions and events nest far less; the services' own
 * semantic limits (an event's data at most 64 deep) stay where they are and are checked after.
 */
@Singleton
public class ParsingLimits implements ObjectMapperCustomizer {

    public static final int DEFAULT_MAX_NESTING_DEPTH = 100;

    @ConfigProperty(name = "flowline.json.max-nesting-depth", defaultValue = "" + DEFAULT_MAX_NESTING_DEPTH)
    int maxNestingDepth;

    @Override
    public void customize(ObjectMapper mapper) {
        apply(mapper, maxNestingDepth);
    }

    /** Sets the parsing limits of {@code mapper}'s factory. */
    public static ObjectMapper apply(ObjectMapper mapper, int maxNestingDepth) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth)
                .build());
        return mapper;
    }
}
