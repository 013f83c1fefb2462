package dev.flowline.inngest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StepIdsTest {

    /**
     * Produced by the official SDK ({@code inngest} 4.24.0 from npm, {@code _internals.hashId} in
     * {@code components/execution/engine.js}); the conformance module checks the same ids against the installed SDK.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "my-step-id|e7d8a2f140845095749d60246ff1110c9d01d76a",
            "my-step-id:1|f47c6228c581af870aa285200cf95ec3ac59bb6a",
            "my-step-id:2|5fdb32cd3e6e3d62fa480ac2ad526b79c2682845",
            "complete|0737c22d3bfae812339732d14d8c7dbd6dc4e09c",
            "charge-card|b2ae8f272ea660900fca3aeefbd39695c43f5cc9",
            "wait-for-payout|4d5f4b38484453bcb1b85aa0a8296e12e32ef5fd",
            "Xero: push invoice ✓|52f1ffc7b2f5a770d1d484e670b13b5f729488f5"})
    void hashesLikeTheOfficialSdk(String id, String expected) {
        assertThat(StepIds.hash(id)).isEqualTo(expected);
    }

    @Test
    void repeatsAreNumberedFromTheSecond() {
        StepIds ids = new StepIds();
        assertThat(ids.next("my-step-id")).isEqualTo("e7d8a2f140845095749d60246ff1110c9d01d76a");
        assertThat(ids.next("other")).isEqualTo(StepIds.hash("other"));
        assertThat(ids.next("my-step-id")).isEqualTo("f47c6228c581af870aa285200cf95ec3ac59bb6a");
        assertThat(ids.next("my-step-id")).isEqualTo("5fdb32cd3e6e3d62fa480ac2ad526b79c2682845");
    }
}
