package io.github.emballoc.firstfit;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.EntryVisitor;
import java.util.ArrayList;
import java.util.List;

/** Records a walk as model entries, for comparison with {@link EntryListModel}. */
final class WalkRecorder implements EntryVisitor {
    final List<EntryListModel.Entry> entries = new ArrayList<>();

    @Override
    public void visit(int offset, boolean used, int size) {
        entries.add(new EntryListModel.Entry(offset, used, size));
    }

    static List<EntryListModel.Entry> walk(Allocator allocator) {
        WalkRecorder recorder = new WalkRecorder();
        allocator.walk(recorder);
        return recorder.entries;
    }

    static boolean sameEntries(List<EntryListModel.Entry> expected, List<EntryListModel.Entry> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            EntryListModel.Entry a = expected.get(i);
            EntryListModel.Entry b = actual.get(i);
            if (a.offset != b.offset || a.used != b.used || a.size != b.size) {
                return false;
            }
        }
        return true;
    }

    static String describe(List<EntryListModel.Entry> entries) {
        return entries.toString();
    }
}
