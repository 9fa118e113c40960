package io.github.emballoc.cli;

import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceFormatException;
import io.github.emballoc.api.Fit;
import java.nio.ByteOrder;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converters for option values; each error names the value and what was expected. */
final class Converters {

    private Converters() {
    }

    /**
     * Parses a non-negative number, decimal or {@code 0x} hexadecimal.
     *
     * @throws TypeConversionException naming the value if it is not one
     */
    static long number(String value) {
        String text = value.strip();
        boolean hex = text.startsWith("0x") || text.startsWith("0X");
        String digits = hex ? text.substring(2) : text;
        int radix = hex ? 16 : 10;
        if (digits.isEmpty()) {
            throw new TypeConversionException(quote(value) + " is not a number (decimal, or hexadecimal with 0x)");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0) {
                throw new TypeConversionException(quote(value) + " is not a "
                        + (hex ? "hexadecimal number" : "number of 0 or more (decimal, or hexadecimal with 0x)"));
            }
        }
        try {
            return Long.parseLong(digits, radix);
        } catch (NumberFormatException e) {
            throw new TypeConversionException(quote(value) + " is out of range");
        }
    }

    /** A byte count or offset: decimal or {@code 0x} hexadecimal, 0 or more. */
    static final class Number implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return number(value);
        }
    }

    /** A heap size: a multiple of 4 from 8 to 2,147,483,644, decimal or {@code 0x} hexadecimal. */
    static final class HeapSize implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long size = number(value);
            if (size < Trace.MIN_HEAP || size > Trace.MAX_HEAP || size % 4 != 0) {
                throw new TypeConversionException(quote(value) + " is not a heap size: a heap is a multiple of 4 from "
                        + Trace.MIN_HEAP + " to " + Trace.MAX_HEAP + " bytes");
            }
            return (int) size;
        }
    }

    /** {@code first} or {@code best}, in any case. */
    static final class FitName implements ITypeConverter<Fit> {
        @Override
        public Fit convert(String value) {
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "first":
                    return Fit.FIRST;
                case "best":
                    return Fit.BEST;
                default:
                    throw new TypeConversionException(quote(value) + " is not a fit: use first or best");
            }
        }
    }

    /** {@code linear} or {@code indexed}, in any case. */
    static final class StrategyName implements ITypeConverter<Strategy> {
        @Override
        public Strategy convert(String value) {
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "linear":
                    return Strategy.LINEAR;
                case "indexed":
                    return Strategy.INDEXED;
                default:
                    throw new TypeConversionException(quote(value) + " is not a strategy: use linear or indexed");
            }
        }
    }

    /** {@code forward} or {@code both}, in any case. */
    static final class CoalescingName implements ITypeConverter<Coalescing> {
        @Override
        public Coalescing convert(String value) {
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "forward":
                    return Coalescing.FORWARD;
                case "both":
                    return Coalescing.BOTH;
                default:
                    throw new TypeConversionException(quote(value) + " is not a coalescing: use forward or both");
            }
        }
    }

    /** {@code little} or {@code big}, in any case. */
    static final class Order implements ITypeConverter<ByteOrder> {
        @Override
        public ByteOrder convert(String value) {
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "little":
                    return ByteOrder.LITTLE_ENDIAN;
                case "big":
                    return ByteOrder.BIG_ENDIAN;
                default:
                    throw new TypeConversionException(quote(value) + " is not a byte order: use little or big");
            }
        }
    }

    /** The word the command line uses for a fit. */
    static String name(Fit fit) {
        return fit.name().toLowerCase(Locale.ROOT);
    }

    /** The word the command line uses for a coalescing. */
    static String name(Coalescing coalescing) {
        return coalescing.name().toLowerCase(Locale.ROOT);
    }

    /** Quotes a value from the command line for a message, cut to an excerpt when long. */
    static String quote(String value) {
        return TraceFormatException.quote(value);
    }

    /** The word the command line uses for a byte order. */
    static String name(ByteOrder order) {
        return order == ByteOrder.BIG_ENDIAN ? "big-endian" : "little-endian";
    }
}
