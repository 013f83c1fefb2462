package dev.flowline.servicekit.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;

class ParsingLimitsTest {

    private final ObjectMapper mapper = ParsingLimits.apply(new ObjectMapper(), 10);

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    @Test
    void aDocumentAtTheDepthLimitIsRead() throws Exception {
        assertThat(mapper.readTree(nested(10)).at("/a/a/a/a/a/a/a/a/a").isObject()).isTrue();
    }

    @Test
    void aDocumentOneLevelDeeperFailsWhileItIsParsedNamingTheLimit() {
        assertThatThrownBy(() -> mapper.readTree(nested(11))).isInstanceOf(StreamConstraintsException.class)
                .hasMessageContaining("10");
        assertThatThrownBy(() -> mapper.readTree("[".repeat(11) + "]".repeat(11))).isInstanceOf(
                StreamConstraintsException.class);
    }
}
