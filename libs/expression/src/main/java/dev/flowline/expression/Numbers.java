package dev.flowline.expression;

import java.math.BigDecimal;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON numbers as the expression language compares them: as decimals, within bounds. A number outside them (an
 * exponent like {@code 1e999999999}, or infinity) compares with nothing and equals only the same text: no amount,
 * count or time needs one, and its decimal expansion alone would be a billion digits.
 */
final class Numbers {

    /** The largest decimal exponent, either way, a number may have to be compared. */
    static final int MAX_EXPONENT = 1_000;

    private Numbers() {
    }

    /** The decimal value of a JSON number, or null when it is not finite or outside {@link #MAX_EXPONENT}. */
    static BigDecimal decimal(JsonNode number) {
        BigDecimal value;
        if (number.isBigDecimal()) {
            value = number.decimalValue();
        } else if (number.isInt() || number.isLong() || number.isShort()) {
            return BigDecimal.valueOf(number.longValue());
        } else {
            // Text form, not the double: an amount read as a double would already have lost precision.
            try {
                value = new BigDecimal(number.asText().toUpperCase(Locale.ROOT));
            } catch (NumberFormatException e) {
                // Infinity or NaN: a double that overflowed.
                return null;
            }
        }
        if (value.signum() == 0) {
            return BigDecimal.ZERO;
        }
        long exponent = (long) value.precision() - value.scale() - 1;
        return Math.abs(exponent) > MAX_EXPONENT ? null : value;
    }
}
