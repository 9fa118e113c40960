package io.github.emballoc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The layout of {@code --help}: text is wrapped at spaces only, never inside a word, so that
 * {@code ./emballoc}, {@code FILE:LINE}, {@code 0x} numbers and paths stay whole on one line. (picocli wraps
 * with the JDK's line break rules, which break after {@code /}, {@code :} and {@code .}.)
 *
 * <p>The description, footer, command list, option list and parameter list sections are rendered by picocli
 * without any wrapping (at a width no line reaches), then wrapped here at {@link #WIDTH} columns: a paragraph
 * continues at its own indentation, a row of a list continues under its description column, two further in,
 * as picocli indents. The synopsis keeps picocli's own wrapping, which breaks between options.
 *
 * <p>Threads: {@link #install} configures one command line; the renderers run on the thread that prints help.
 */
final class HelpText {

    /** The width help is wrapped to. */
    static final int WIDTH = 80;
    /** The width picocli renders at before the text is wrapped here: no line reaches it. */
    private static final int UNWRAPPED = 10_000;
    /** How much further than its description column a wrapped row of a list continues (as picocli does). */
    private static final int ROW_CONTINUATION = 2;
    private static final Pattern QUOTED = Pattern.compile("'([^']{" + (40 + 1) + ",})'");

    private static final List<String> WRAPPED_HERE = List.of(UsageMessageSpec.SECTION_KEY_DESCRIPTION,
            UsageMessageSpec.SECTION_KEY_FOOTER, UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
            UsageMessageSpec.SECTION_KEY_OPTION_LIST, UsageMessageSpec.SECTION_KEY_PARAMETER_LIST);

    private HelpText() {
    }

    /** Installs the layout on a command line and all its subcommands. */
    static void install(CommandLine commandLine) {
        commandLine.setUsageHelpWidth(WIDTH);
        Map<String, IHelpSectionRenderer> sections = commandLine.getHelpSectionMap();
        for (String key : WRAPPED_HERE) {
            IHelpSectionRenderer picocli = sections.get(key);
            if (picocli == null) {
                continue;
            }
            sections.put(key, help -> {
                UsageMessageSpec usage = help.commandSpec().usageMessage();
                int width = usage.width();
                usage.width(UNWRAPPED);
                try {
                    return wrap(picocli.render(help), width);
                } finally {
                    usage.width(width);
                }
            });
        }
        commandLine.setHelpSectionMap(sections);
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            install(sub);
        }
    }

    /** Wraps every line of {@code text} longer than {@code width} at spaces (see the class comment). */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            String line = end < 0 ? text.substring(start) : text.substring(start, end);
            boolean cr = line.endsWith("\r");
            if (cr) {
                line = line.substring(0, line.length() - 1);
            }
            for (String piece : wrapLine(line, width)) {
                out.append(piece).append(cr ? "\r\n" : "\n");
            }
            if (end < 0) {
                out.setLength(out.length() - (cr ? 2 : 1));
                break;
            }
            start = end + 1;
        }
        return out.toString();
    }

    private static List<String> wrapLine(String line, int width) {
        List<String> pieces = new ArrayList<>();
        if (line.length() <= width) {
            pieces.add(line);
            return pieces;
        }
        int lead = 0;
        while (lead < line.length() && line.charAt(lead) == ' ') {
            lead++;
        }
        int column = descriptionColumn(line, lead);
        String continuation = " ".repeat(column > 0 ? column + ROW_CONTINUATION : lead);
        int bodyStart = column > 0 ? column : lead;
        StringBuilder current = new StringBuilder(line.substring(0, bodyStart));
        boolean empty = true;
        for (String word : line.substring(bodyStart).split(" ", -1)) {
            if (word.isEmpty()) {
                if (!empty) {
                    current.append(' ');
                }
                continue;
            }
            if (!empty && current.length() + 1 + word.length() > width) {
                pieces.add(current.toString().stripTrailing());
                current = new StringBuilder(continuation);
                empty = true;
            }
            if (!empty && current.charAt(current.length() - 1) != ' ') {
                current.append(' ');
            }
            current.append(word);
            empty = false;
        }
        pieces.add(current.toString().stripTrailing());
        return pieces;
    }

    /**
     * The column where a row's description starts: after the first run of two or more spaces that follows the
     * row's first word; 0 for a paragraph (no such run).
     */
    private static int descriptionColumn(String line, int lead) {
        int i = lead;
        while (i < line.length() && line.charAt(i) != ' ') {
            i++;
        }
        while (i < line.length()) {
            if (line.startsWith("  ", i)) {
                int column = i;
                while (column < line.length() && line.charAt(column) == ' ') {
                    column++;
                }
                return column < line.length() && column <= WIDTH / 2 ? column : 0;
            }
            i++;
        }
        return 0;
    }

    /**
     * Cuts every value quoted in a message that is longer than 40 characters to an excerpt that says how
     * long it was (picocli quotes a bad argument whole).
     */
    static String cutLongValues(String message) {
        if (message == null) {
            return null;
        }
        Matcher matcher = QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(Converters.quote(matcher.group(1))));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
