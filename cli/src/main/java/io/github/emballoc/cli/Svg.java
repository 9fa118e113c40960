package io.github.emballoc.cli;

import java.util.Locale;

/**
 * Writes a self-contained SVG picture: no scripts, no external references, no fonts but the generic
 * {@code sans-serif}, so that any browser (or {@code rsvg-convert}) shows it from the file alone. Shapes carry
 * a {@code class} naming what they stand for (the tests read pictures by it) and explicit colours.
 *
 * <p>Threads: one picture is written by one thread.
 */
final class Svg {

    private final StringBuilder out = new StringBuilder(1 << 14);

    /** Starts a picture of {@code width} by {@code height} user units, with a title shown by viewers. */
    Svg(int width, int height, String title) {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<rect class=\"background\" x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" fill=\"#ffffff\"/>\n");
    }

    /** A rectangle; {@code tooltip} (may be {@code null}) is shown when the pointer rests on it. */
    Svg rect(String cssClass, double x, double y, double width, double height, String fill, String tooltip) {
        out.append("<rect class=\"").append(cssClass).append("\" x=\"").append(num(x)).append("\" y=\"")
                .append(num(y)).append("\" width=\"").append(num(width)).append("\" height=\"").append(num(height))
                .append("\" fill=\"").append(fill).append('"');
        return close(tooltip, "rect");
    }

    /** A straight line. */
    Svg line(String cssClass, double x1, double y1, double x2, double y2, String stroke, double strokeWidth) {
        out.append("<line class=\"").append(cssClass).append("\" x1=\"").append(num(x1)).append("\" y1=\"")
                .append(num(y1)).append("\" x2=\"").append(num(x2)).append("\" y2=\"").append(num(y2))
                .append("\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(num(strokeWidth))
                .append("\"/>\n");
        return this;
    }

    /** A polyline through {@code count} points, {@code xs[i], ys[i]}; {@code dash} may be {@code null}. */
    Svg polyline(String cssClass, double[] xs, double[] ys, int count, String stroke, String dash) {
        out.append("<polyline class=\"").append(cssClass).append("\" fill=\"none\" stroke=\"").append(stroke)
                .append("\" stroke-width=\"1.5\" stroke-linejoin=\"round\"");
        if (dash != null) {
            out.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        out.append(" points=\"");
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : " ").append(num(xs[i])).append(',').append(num(ys[i]));
        }
        out.append("\"/>\n");
        return this;
    }

    /** A closed shape through {@code count} points, {@code xs[i], ys[i]}. */
    Svg polygon(String cssClass, double[] xs, double[] ys, int count, String fill, String tooltip) {
        out.append("<polygon class=\"").append(cssClass).append("\" fill=\"").append(fill).append("\" points=\"");
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : " ").append(num(xs[i])).append(',').append(num(ys[i]));
        }
        out.append('"');
        return close(tooltip, "polygon");
    }

    /** Text; {@code anchor} is {@code start}, {@code middle} or {@code end}. */
    Svg text(String cssClass, double x, double y, String anchor, String text) {
        return text(cssClass, x, y, anchor, text, "#222222", 12);
    }

    /** Text of a given colour and size. */
    Svg text(String cssClass, double x, double y, String anchor, String text, String fill, int size) {
        out.append("<text class=\"").append(cssClass).append("\" x=\"").append(num(x)).append("\" y=\"")
                .append(num(y)).append("\" text-anchor=\"").append(anchor).append("\" fill=\"").append(fill)
                .append('"');
        if (size != 12) {
            out.append(" font-size=\"").append(size).append('"');
        }
        out.append('>').append(escape(text)).append("</text>\n");
        return this;
    }

    /** Ends the picture and returns it. */
    String finish() {
        return out.append("</svg>\n").toString();
    }

    private Svg close(String tooltip, String element) {
        if (tooltip == null) {
            out.append("/>\n");
        } else {
            out.append("><title>").append(escape(tooltip)).append("</title></").append(element).append(">\n");
        }
        return this;
    }

    /** Escapes text for XML content and attributes. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c < 0x20 && c != '\t' && c != '\n' ? '?' : c);
            }
        }
        return escaped.toString();
    }

    /** A coordinate with at most two decimals, without trailing zeros. */
    static String num(double value) {
        long hundredths = Math.round(value * 100);
        if (hundredths % 100 == 0) {
            return Long.toString(hundredths / 100);
        }
        String text = String.format(Locale.ROOT, "%.2f", hundredths / 100.0);
        return text.endsWith("0") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * The step between axis ticks for values from 0 to {@code max}: 1, 2 or 5 times a power of ten, so that
     * there are at most {@code ticks} steps.
     */
    static long tickStep(double max, int ticks) {
        double raw = Math.max(1, max / ticks);
        long power = 1;
        while (power * 10 <= raw) {
            power *= 10;
        }
        for (long factor : new long[] {1, 2, 5, 10}) {
            if (power * factor >= raw) {
                return power * factor;
            }
        }
        return power * 10;
    }

    /** The step between byte ticks from 0 to {@code max}: a power of two, so that there are at most {@code ticks}. */
    static long byteTickStep(long max, int ticks) {
        long step = 1;
        while (step * ticks < max) {
            step *= 2;
        }
        return step;
    }

    /** A byte count for an axis: {@code 512}, {@code 16 KiB}, {@code 1.5 MiB}. */
    static String bytes(long value) {
        if (value < 10 * 1024 || value % 1024 != 0 && value < 1024 * 1024) {
            return Long.toString(value);
        }
        String[] units = {"KiB", "MiB", "GiB"};
        double scaled = value;
        int unit = -1;
        while (scaled >= 1024 && unit < units.length - 1) {
            scaled /= 1024;
            unit++;
        }
        String number = scaled == Math.rint(scaled) ? Long.toString((long) scaled)
                : String.format(Locale.ROOT, "%.1f", scaled);
        return number + " " + units[unit];
    }
}
