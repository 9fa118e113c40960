package io.github.emballoc.benchmarks;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.benchmarks.subject.EmballocSubject;
import io.github.emballoc.benchmarks.subject.ForwardingHeap;
import io.github.emballoc.benchmarks.subject.Heaps;
import io.github.emballoc.benchmarks.subject.Sharing;
import io.github.emballoc.benchmarks.subject.Subjects;
import io.github.emballoc.benchmarks.subject.UserArrayHeap;
import io.github.emballoc.benchmarks.workload.ChurnWork;
import io.github.emballoc.benchmarks.workload.Churner;
import io.github.emballoc.benchmarks.workload.SizeDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Param;

/**
 * {@link ChurnBenchmark}'s churn in a JVM that has used three {@link RawHeap} classes, as a program with several
 * kinds of heaps does: before measuring, the same allocator churns in turns over the {@code byte[]} heap, the
 * direct heap and a {@link UserArrayHeap}, each bare and each behind a {@link ForwardingHeap}, so that every call
 * site that reads headers through {@code RawHeap} has seen all three classes when the JIT compiles it.
 *
 * <p>Then it measures one allocator over one heap, its headers read one of two ways ({@code path}):
 * <ul>
 *   <li>{@code header-access}: over the standard heap itself, so the allocator reads headers through the
 *       {@link io.github.emballoc.api.image.HeaderAccess} it chose for that heap (the array or the buffer,
 *       read directly): what the allocators do now, the "after";</li>
 *   <li>{@code rawheap-call}: over a {@link ForwardingHeap} around the same heap, so every header read is an
 *       interface call to {@code RawHeap.getInt} from a call site that has seen three classes (megamorphic:
 *       not inlined, the heap's own bounds check included), which is how the allocators read headers before
 *       {@code HeaderAccess}: the "before".</li>
 * </ul>
 */
public class MegamorphicChurnBenchmark extends AbstractChurnBenchmark {

    /** Live blocks in each warm-up churn. */
    private static final int POLLUTION_LIVE = 200;
    /** Operations each heap gets per round of the warm-up churn, and the rounds. */
    private static final int POLLUTION_STEPS = 4_000;
    private static final int POLLUTION_ROUNDS = 8;

    /** This project's allocator. */
    @Param({"indexed-best", "indexed-first", "firstfit-best", "firstfit-first"})
    public String allocator;

    /** The standard heap measured: {@code array} or {@code direct}. */
    @Param({"array", "direct"})
    public String heap;

    /** How headers are read: {@code header-access} (after) or {@code rawheap-call} (before). */
    @Param({"header-access", "rawheap-call"})
    public String path;

    /** How many blocks are live. */
    @Param({"2000"})
    public int live;

    /** The request sizes. */
    @Param({"uniform"})
    public String sizes;

    /** Makes the parameters' subject, after the warm-up over three heap classes. */
    public MegamorphicChurnBenchmark() {
    }

    /** Uses all three heap classes, then makes the measured subject and allocates its initial blocks. */
    @Override
    protected Churner start() {
        boolean forwarding;
        switch (path) {
            case "header-access":
                forwarding = false;
                break;
            case "rawheap-call":
                forwarding = true;
                break;
            default:
                throw new IllegalArgumentException("unknown path '" + path + "'; known: header-access, rawheap-call");
        }
        Function<RawHeap, Allocator> build = Subjects.emballoc(allocator, Sharing.CONFINED);
        if (build == null) {
            throw new IllegalArgumentException("'" + allocator + "' is not one of this project's allocators "
                    + Subjects.EMBALLOC);
        }
        SizeDistribution distribution = SizeDistribution.named(sizes);
        pollute(build, distribution);
        ChurnWork work = ChurnWork.draw(live, distribution, ChurnWork.SEED);
        return Churner.start(subject(Heaps.open(heap, ChurnWork.regionFor(live, distribution)), forwarding,
                build, live), work);
    }

    /**
     * Runs churns in turns over the {@code byte[]}, direct and user heaps, bare and forwarded, so that the
     * allocator's code and the forwarding call site see all three heap classes before they are compiled.
     */
    private static void pollute(Function<RawHeap, Allocator> build, SizeDistribution distribution) {
        ChurnWork work = ChurnWork.draw(POLLUTION_LIVE, distribution, ChurnWork.SEED + 1);
        int region = ChurnWork.regionFor(POLLUTION_LIVE, distribution);
        List<Churner> churners = new ArrayList<>();
        for (boolean forwarding : new boolean[] {false, true}) {
            churners.add(Churner.start(subject(Heaps.open("array", region), forwarding, build, POLLUTION_LIVE), work));
            churners.add(Churner.start(subject(Heaps.open("direct", region), forwarding, build, POLLUTION_LIVE), work));
            churners.add(Churner.start(subject(new Heaps.Opened(new UserArrayHeap(region), null), forwarding, build,
                    POLLUTION_LIVE), work));
        }
        for (int round = 0; round < POLLUTION_ROUNDS; round++) {
            for (Churner churner : churners) {
                for (int i = 0; i < POLLUTION_STEPS; i++) {
                    if (!churner.step()) {
                        throw new IllegalStateException("the warm-up churn failed an allocation");
                    }
                }
            }
        }
        churners.forEach(Churner::close);
    }

    private static EmballocSubject subject(Heaps.Opened opened, boolean forwarding, Function<RawHeap, Allocator> build,
            int slots) {
        Heaps.Opened measured = forwarding
                ? new Heaps.Opened(new ForwardingHeap(opened.heap()), opened.file())
                : opened;
        return new EmballocSubject(measured, build, slots);
    }
}
