package dev.flowline.devexecutor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class UlidTest {

    @Test
    void aUlidSpellsItsTimeAndRandomBitsInCrockfordsBase32() {
        byte[] ones = new byte[10];
        java.util.Arrays.fill(ones, (byte) 0xff);
        // The specification's example time 1469918176385 is 01ARYZ6S41; 80 set bits are sixteen Zs.
        assertThat(Ulid.of(1469918176385L, ones)).isEqualTo("01ARYZ6S41ZZZZZZZZZZZZZZZZ");
        assertThat(Ulid.of(0, new byte[10])).isEqualTo("00000000000000000000000000");
        byte[] last = new byte[10];
        last[9] = 1;
        assertThat(Ulid.of(0, last)).endsWith("0001");
    }

    @Test
    void ulidsSortByTime() {
        Instant earlier = Instant.ofEpochMilli(1_700_000_000_000L);
        String a = Ulid.at(earlier);
        String b = Ulid.at(earlier.plusMillis(1));
        assertThat(a.compareTo(b)).isNegative();
        assertThat(Ulid.isValid(a)).isTrue();
        assertThat(Ulid.isValid(a.toLowerCase())).isTrue();
    }

    @Test
    void textThatIsNoUlidIsRefused() {
        assertThat(Ulid.isValid("5f0e6f3c-9b8a-4c43-9e2b-1f6d2e1d3c4b")).isFalse();
        assertThat(Ulid.isValid("01ARYZ6S41ZZZZZZZZZZZZZZZ")).as("25 characters").isFalse();
        assertThat(Ulid.isValid("01ARYZ6S41ZZZZZZZZZZZZZZZU")).as("U is not in the alphabet").isFalse();
        assertThat(Ulid.isValid("81ARYZ6S41ZZZZZZZZZZZZZZZZ")).as("more than 128 bits").isFalse();
        assertThat(Ulid.isValid(null)).isFalse();
    }
}
