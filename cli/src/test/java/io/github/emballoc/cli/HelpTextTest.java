package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code --help} wraps at spaces only: every description, option and parameter text appears in the help
 * whole (a break inside {@code ./emballoc} or {@code FILE:LINE} would put a space into it), and no line is
 * wider than 80 columns unless it is one word.
 */
class HelpTextTest {

    private static final Class<?>[] COMMANDS = {DemoCommand.class, ReplayCommand.class, SizeCommand.class,
        InspectCommand.class, ProvidersCommand.class};

    private static String normalised(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    /** The texts a command's help must show whole: its description, and each option's and parameter's. */
    private static List<String> texts(Class<?> command) {
        List<String> texts = new ArrayList<>();
        Command annotation = command.getAnnotation(Command.class);
        for (String paragraph : annotation.description()) {
            if (!paragraph.isEmpty()) {
                texts.add(paragraph);
            }
        }
        collect(command, texts);
        return texts;
    }

    private static void collect(Class<?> type, List<String> texts) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                Option option = field.getAnnotation(Option.class);
                Parameters parameters = field.getAnnotation(Parameters.class);
                String[] description = option != null ? option.description()
                        : parameters != null ? parameters.description() : new String[0];
                for (String text : description) {
                    // ${DEFAULT-VALUE} is replaced by the value: check the parts on each side of it.
                    for (String part : text.split("\\$\\{DEFAULT-VALUE\\}")) {
                        if (!part.isBlank()) {
                            texts.add(part);
                        }
                    }
                }
                if (field.getAnnotation(Mixin.class) != null) {
                    collect(field.getType(), texts);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void everyTextOfEveryCommandAppearsWholeAndNoLineIsWiderThan80Columns(int index) {
        Class<?> command = COMMANDS[index];
        String name = command.getAnnotation(Command.class).name();
        Cli.Result help = Cli.run(name, "--help");
        assertEquals(0, help.status, help::toString);
        String shown = normalised(help.out);
        for (String text : texts(command)) {
            assertTrue(shown.contains(normalised(text)), () -> "not whole in the help of " + name + ": " + text
                    + "\n" + help.out);
        }
        for (String line : help.out.split("\n")) {
            assertTrue(line.length() <= HelpText.WIDTH || !line.strip().contains(" "), () -> "too wide: " + line);
        }
    }

    @Test
    void theTokensUsersCopyStayOnOneLine() {
        assertTrue(Cli.run("providers", "--help").out.contains("./emballoc providers"));
        assertTrue(Cli.run("replay", "--help").out.contains("FILE:LINE: problem"));
        assertTrue(normalised(Cli.run("--help").out).contains("Run 'emballoc COMMAND --help' for the options of a"
                + " command. Start with 'emballoc demo'."));
    }

    @Test
    void wrappingBreaksAtSpacesOnlyAndIndentsRowsUnderTheirDescription() {
        String paragraph = "word ".repeat(10) + "./emballoc FILE:LINE http://example.invalid/a/b/c " + "more ".repeat(8);
        String wrapped = HelpText.wrap(paragraph.strip(), 40);
        for (String line : wrapped.split("\n")) {
            assertTrue(line.length() <= 40, line);
        }
        assertEquals(normalised(paragraph), normalised(wrapped));
        assertTrue(wrapped.contains("./emballoc") && wrapped.contains("FILE:LINE")
                && wrapped.contains("http://example.invalid/a/b/c"), wrapped);

        String row = "  -x, --example=N    " + "a description that goes on and on ".repeat(3).strip();
        String under = " ".repeat(23); // the description column (21), two further in
        assertEquals("  -x, --example=N    a description that goes\n"
                + under + "on and on a\n"
                + under + "description that goes\n"
                + under + "on and on a\n"
                + under + "description that goes\n"
                + under + "on and on", HelpText.wrap(row, 44));
        assertEquals("short\nlines stay", HelpText.wrap("short\nlines stay", 40));
        String token = "x".repeat(60);
        assertEquals(token, HelpText.wrap(token, 40), "a word longer than the width stays whole");
    }

    @Test
    void longValuesInMessagesAreCutToAnExcerptThatSaysHowLongTheyWere() {
        String huge = "1234567890".repeat(1 << 20);
        Cli.Result heap = Cli.run("replay", "--heap", huge, "x.trace");
        assertEquals(2, heap.status);
        assertEquals("emballoc: Invalid value for option '--heap': '12345678901234567890123456789012...'"
                + " (10485760 characters) is out of range\n"
                + "Run 'emballoc replay --help' for usage.\n", heap.err);
        Cli.Result extra = Cli.run("replay", "x.trace", "y".repeat(100));
        assertEquals(2, extra.status);
        assertTrue(extra.err.startsWith("emballoc: Unmatched argument at index 2: 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy...'"
                + " (100 characters)\n"), extra::toString);
        Cli.Result fit = Cli.run("replay", "--fit", "f".repeat(50), "x.trace");
        assertTrue(fit.err.contains("'ffffffffffffffffffffffffffffffff...' (50 characters) is not a fit"), fit::toString);
    }
}
