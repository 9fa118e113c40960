package io.github.emballoc.cli;

import io.github.emballoc.api.CriticalSectionProvider;
import io.github.emballoc.api.CriticalSections;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code emballoc providers}: the critical-section providers found and the one chosen. */
@Command(name = "providers",
        header = "List the critical-section providers found and which one is chosen.",
        description = {
                "Lists the critical-section providers found through java.util.ServiceLoader (class path and "
                        + "module path), their priorities, which one is chosen and why: named by the system "
                        + "property " + CriticalSections.PROPERTY + ", or the highest priority (ties broken by "
                        + "name). A provider that failed to load, or whose name or priority could not be read, "
                        + "is listed as skipped, with the cause.",
                "",
                "With the launcher: EMBALLOC_JAVA_OPTS=-D" + CriticalSections.PROPERTY + "=NAME ./emballoc providers"})
final class ProvidersCommand implements Callable<Integer> {

    @ParentCommand
    Emballoc root;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        CriticalSections.Selection selection;
        try {
            selection = CriticalSections.select();
        } catch (IllegalStateException e) {
            throw CliException.usage(e.getMessage());
        }
        StringBuilder out = new StringBuilder();
        out.append("critical-section providers found (ServiceLoader, class path and module path), "
                + "highest priority first:\n\n");
        int nameWidth = "NAME".length();
        for (CriticalSectionProvider provider : selection.available()) {
            nameWidth = Math.max(nameWidth, provider.name().length());
        }
        row(out, " ", "NAME", nameWidth, "PRIORITY", "CLASS");
        for (CriticalSectionProvider provider : selection.available()) {
            row(out, provider == selection.chosen() ? "*" : " ", provider.name(), nameWidth,
                    Integer.toString(provider.priority()), provider.getClass().getName());
        }
        out.append('\n');
        CriticalSectionProvider chosen = selection.chosen();
        if (selection.reason() == CriticalSections.Reason.PROPERTY) {
            out.append("chosen: ").append(chosen.name()).append(", named by the system property ")
                    .append(CriticalSections.PROPERTY).append('\n');
        } else {
            out.append("chosen: ").append(chosen.name()).append(", the highest priority (")
                    .append(chosen.priority()).append("; ties go to the name first in alphabetical order)\n");
            out.append("to choose another: -D").append(CriticalSections.PROPERTY)
                    .append("=NAME (with the launcher: EMBALLOC_JAVA_OPTS=-D").append(CriticalSections.PROPERTY)
                    .append("=NAME ./emballoc ...)\n");
        }
        for (String skipped : selection.skipped()) {
            out.append("skipped: ").append(skipped).append('\n');
        }
        root.out().append(out);
        return Emballoc.OK;
    }

    private static void row(StringBuilder out, String mark, String name, int nameWidth, String priority,
                            String className) {
        out.append(mark).append(' ').append(name);
        for (int i = name.length(); i < nameWidth + 2; i++) {
            out.append(' ');
        }
        for (int i = priority.length(); i < "PRIORITY".length(); i++) {
            out.append(' ');
        }
        out.append(priority).append("  ").append(className).append('\n');
    }
}
