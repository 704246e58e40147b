package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.ErrorInfo;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A frame written by hand ({@link PlainFrames}, no Jackson) is byte for byte the frame of the
 * store's Jackson writers, which {@code FileFrameTest} holds to the shared mapper's JSON; a frame
 * with a value that is not plain is left to those writers.
 */
class PlainFramesTest {
  /** A map of the application's: it may carry Jackson annotations, so it is not plain. */
  static final class OwnMap extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    OwnMap(Map<String, Object> m) {
      super(m);
    }
  }

  /** A list of the application's (not plain either). */
  static final class OwnList extends ArrayList<Object> {
    private static final long serialVersionUID = 1L;

    OwnList(List<Object> l) {
      super(l);
    }
  }

  private static String jackson(RunRecord run, List<WorkflowEvent> events) {
    return new String(FileRecords.jacksonFrame(run, events).copy(), StandardCharsets.UTF_8);
  }

  private static String plain(RunRecord run, List<WorkflowEvent> events) {
    FileRecords.FrameBytes frame = PlainFrames.frame(run, events);
    return frame == null ? null : new String(frame.copy(), StandardCharsets.UTF_8);
  }

  private static RunRecord withContext(Map<String, Object> context) {
    RunRecord r = StoreSamples.run("r1", T0);
    return r.withProgress(RunState.RUNNING, r.steps(), context, Map.of(), null, T0).withVersion(2);
  }

  @Test
  void aTypicalRunAndItsEventsAreWrittenByHandAsJacksonWritesThem() {
    RunRecord r = StoreSamples.run("r1", T0).withVersion(3);
    List<WorkflowEvent> events = StoreSamples.events("r1", 1, T0);
    assertThat(plain(r, events)).isNotNull().isEqualTo(jackson(r, events));
    assertThat(plain(r, List.of())).isNotNull().isEqualTo(jackson(r, List.of()));
    RunRecord done = StoreSamples.finished(r, RunState.COMPLETED, T0.plusSeconds(5));
    assertThat(plain(done, events)).isNotNull().isEqualTo(jackson(done, events));
    RunRecord keyed = StoreSamples.run("r2", "deploy", "key-1", RunState.PENDING, T0);
    assertThat(plain(keyed, List.of())).isNotNull().isEqualTo(jackson(keyed, List.of()));
  }

  @Test
  void everyCharacterInAKeyOrAStringIsWrittenAsJacksonWritesIt() {
    int byHand = 0;
    for (int c = 0; c <= 0xFFFF; c++) {
      String s = "a" + (char) c + "z";
      var context = new LinkedHashMap<String, Object>();
      context.put(s, s);
      RunRecord r = withContext(context);
      String plain = plain(r, List.of());
      boolean control = c < 0x20;
      boolean surrogate = Character.isSurrogate((char) c);
      if (control || surrogate) {
        // Escaped (or combined) by Jackson: left to it.
        assertThat(plain).as("U+%04X", c).isNull();
      } else {
        assertThat(plain).as("U+%04X", c).isEqualTo(jackson(r, List.of()));
        byHand++;
      }
      assertThat(FileRecords.frame(r, List.of()).copy())
          .as("U+%04X", c)
          .isEqualTo(FileRecords.jacksonFrame(r, List.of()).copy());
    }
    assertThat(byHand).isEqualTo(0x10000 - 0x20 - 0x800);
  }

  @Test
  void plainMapValuesNestedMapsAndNullsAreWrittenByHand() {
    var nested = new LinkedHashMap<String, Object>();
    nested.put("absent", null);
    nested.put("long", Long.MIN_VALUE);
    nested.put("int", -7);
    nested.put("yes", Boolean.TRUE);
    nested.put("no", Boolean.FALSE);
    nested.put("empty", Map.of());
    nested.put("tree", new java.util.TreeMap<>(Map.of("z", 1, "a", "x")));
    nested.put("quote", "\"\\/ d\u00e9j\u00e0 \u65e5\u672c");
    nested.put("list", java.util.Arrays.asList("a", null, 1, 2L, true, List.of(), Map.of("k", 3)));
    nested.put("lists", List.of(List.of("x"), new ArrayList<>(List.of(false))));
    nested.put("concurrent", new java.util.concurrent.ConcurrentSkipListMap<>(Map.of("b", "c")));
    var outer = new LinkedHashMap<String, Object>(nested);
    outer.put("inner", nested);
    RunRecord r = withContext(outer);
    assertThat(plain(r, List.of())).isNotNull().isEqualTo(jackson(r, List.of()));
  }

  @Test
  void aValueThatIsNotPlainLeavesTheFrameToJackson() {
    var values = new ArrayList<Map<String, Object>>();
    values.add(Map.of("double", 1.5));
    values.add(Map.of("list", List.of("a", 2.5)));
    values.add(Map.of("instant", T0));
    values.add(Map.of("control", "line\nbreak"));
    values.add(Map.of("emoji", "\ud83d\ude00"));
    values.add(Map.of("other", new OwnMap(Map.of("a", "b"))));
    values.add(Map.of("own list", new OwnList(List.of("a"))));
    var odd = new java.util.HashMap<Object, Object>();
    odd.put(1, "one");
    values.add(Map.of("keys", odd));
    for (Map<String, Object> context : values) {
      RunRecord r = withContext(context);
      assertThat(plain(r, List.of())).as("%s", context).isNull();
      assertThat(new String(FileRecords.frame(r, List.of()).copy(), StandardCharsets.UTF_8))
          .isEqualTo(jackson(r, List.of()));
    }
    RunRecord r = StoreSamples.run("r3", T0);
    var error = new ErrorInfo(null, "boom", null, null, null, null, false);
    var failed =
        new WorkflowResult(
            "r3", "wf", 1, false, RunState.FAILED, "m", Map.of(), r.steps(), error, false, T0, T0);
    RunRecord withError =
        r.withProgress(RunState.FAILED, r.steps(), Map.of(), Map.of(), failed, T0);
    assertThat(plain(withError, List.of())).isNull();
    RunRecord farFuture = r.withLease("o", Instant.ofEpochSecond(253_402_300_800L));
    assertThat(plain(farFuture, List.of())).isNull();
    assertThat(FileRecords.frame(farFuture, List.of()).copy())
        .isEqualTo(FileRecords.jacksonFrame(farFuture, List.of()).copy());
  }

  @Test
  void aFrameLeftToJacksonHalfWayLeavesNothingBehindForTheNextPlainFrame() {
    RunRecord big = withContext(Map.of("blob", "x".repeat(200_000), "d", 2.5));
    assertThat(plain(big, List.of())).isNull();
    RunRecord small = StoreSamples.run("r4", T0).withVersion(1);
    assertThat(plain(small, List.of())).isNotNull().isEqualTo(jackson(small, List.of()));
    RunRecord large = withContext(Map.of("blob", "y".repeat(200_000)));
    assertThat(plain(large, List.of())).isNotNull().isEqualTo(jackson(large, List.of()));
    assertThat(plain(small, List.of())).isEqualTo(jackson(small, List.of()));
  }

  /**
   * Every component of every event type and of a step's outcome, given a value: a field that the
   * Jackson writers write and the hand writer forgot (or the other way round) shows here, even
   * where the samples leave it null.
   */
  @Test
  void everyEventTypeAndEveryStepFieldIsWrittenByHandAsJacksonWritesItOrLeftToJackson() {
    RunRecord r = StoreSamples.run("r5", T0);
    var full = (StepOutcome) sample(StepOutcome.class);
    RunRecord withFullStep =
        r.withProgress(RunState.RUNNING, List.of(full), r.context(), Map.of(), null, T0)
            .withVersion(2);
    assertThat(plain(withFullStep, List.of()))
        .isNotNull()
        .isEqualTo(jackson(withFullStep, List.of()));
    int byHand = 0;
    for (Class<?> type : WorkflowEvent.class.getPermittedSubclasses()) {
      var event = (WorkflowEvent) sample(type);
      String plain = plain(r, List.of(event));
      if (plain != null) {
        assertThat(plain).as("%s", type.getSimpleName()).isEqualTo(jackson(r, List.of(event)));
        byHand++;
      }
      assertThat(FileRecords.frame(r, List.of(event)).copy())
          .as("%s", type.getSimpleName())
          .isEqualTo(FileRecords.jacksonFrame(r, List.of(event)).copy());
    }
    // The nine types the hand writer knows; the others (abandoned attempts, circuits) go to
    // Jackson.
    assertThat(byHand).isEqualTo(9);
  }

  /** A record of {@code type} whose every component has a value (none null). */
  private static Object sample(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    var types = new Class<?>[components.length];
    var values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      Class<?> t = components[i].getType();
      types[i] = t;
      String name = components[i].getName();
      if (t == String.class) {
        values[i] = name + " \u00e9 value";
      } else if (t == long.class) {
        values[i] = 1000L + i;
      } else if (t == int.class) {
        values[i] = 10 + i;
      } else if (t == boolean.class) {
        values[i] = true;
      } else if (t == Instant.class) {
        values[i] = T0.plusMillis(1234 + i);
      } else if (t.isEnum()) {
        Object[] constants = t.getEnumConstants();
        values[i] = constants[constants.length - 1];
      } else {
        throw new AssertionError("no sample value for " + type.getSimpleName() + "." + name);
      }
    }
    try {
      return type.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
