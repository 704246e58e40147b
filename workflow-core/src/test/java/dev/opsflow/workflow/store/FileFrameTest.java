package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A commit's frame, serialised with one generator into a reused buffer by the store's own writers
 * (of runs, step outcomes, events and instants), is byte for byte the frame of the format built the
 * plain way: the header, the run as one line of JSON (as the shared mapper writes it), one event a
 * line.
 */
class FileFrameTest {
  @Test
  void theFrameIsTheRunLineAndOneLinePerEventUnderItsHeader() throws Exception {
    RunRecord r = StoreSamples.run("r1", T0).withVersion(3);
    List<WorkflowEvent> events = StoreSamples.events("r1", 1, T0);
    assertThat(FileRecords.frame(r, events).copy()).isEqualTo(reference(r, events));
    assertThat(FileRecords.frame(r, List.of()).copy()).isEqualTo(reference(r, List.of()));
    RunRecord done = StoreSamples.finished(r, RunState.PARTIAL, T0.plusSeconds(5));
    assertThat(FileRecords.frame(done, events.subList(0, 1)).copy())
        .isEqualTo(reference(done, events.subList(0, 1)));
  }

  @Test
  void aLargeFrameIsWholeAndTheNextFrameReusesNothingOfIt() throws Exception {
    RunRecord big =
        StoreSamples.run("r2", T0)
            .withProgress(
                RunState.RUNNING,
                List.of(),
                Map.of("blob", "x".repeat(3 << 20)),
                Map.of(),
                null,
                T0)
            .withVersion(2);
    assertThat(FileRecords.frame(big, List.of()).copy()).isEqualTo(reference(big, List.of()));
    RunRecord small = StoreSamples.run("r3", T0).withVersion(1);
    assertThat(FileRecords.frame(small, List.of()).copy()).isEqualTo(reference(small, List.of()));
  }

  @Test
  void stepOutcomesWrittenAgainAreWrittenTheSame() throws Exception {
    var odd =
        new StepOutcome(
            "d\u00e9ploy \u65e5\u672c \ud83d\ude00",
            StepStatus.FAILED,
            2,
            1500,
            T0,
            T0.plusMillis(1500),
            null,
            "a \"quoted\" \\ line\nbreak\u0001",
            "HTTP 503 \ud83d\udca5");
    var done = new StepOutcome("a", StepStatus.COMPLETED, 1, 10, T0, T0, null, null, null);
    RunRecord r = StoreSamples.run("r4", T0);
    for (int i = 0; i < 3; i++) {
      List<StepOutcome> steps =
          i == 0 ? List.of(done) : List.of(done, odd, StepOutcome.pending("b" + i));
      RunRecord next =
          r.withProgress(RunState.RUNNING, steps, r.context(), r.outputs(), null, T0)
              .withVersion(i + 1);
      assertThat(FileRecords.frame(next, List.of()).copy()).isEqualTo(reference(next, List.of()));
    }
  }

  @Test
  void instantsAreWrittenAsTheSharedMapperWritesThem() {
    var random = new java.util.Random(42);
    var instants = new java.util.ArrayList<java.time.Instant>();
    for (long s : new long[] {-1, 0, 59, 86_399, 86_400, 951_782_400, 253_402_300_799L}) {
      for (int n : new int[] {0, 1, 1000, 1_000_000, 999_999_999, 120_000_000, 123_456_000}) {
        instants.add(java.time.Instant.ofEpochSecond(s, n));
      }
    }
    instants.add(java.time.Instant.ofEpochSecond(253_402_300_800L));
    instants.add(java.time.Instant.MIN);
    instants.add(java.time.Instant.MAX);
    instants.add(T0);
    instants.add(java.time.Instant.now());
    for (int i = 0; i < 20_000; i++) {
      instants.add(
          java.time.Instant.ofEpochSecond(
              random.nextLong(0, 253_402_300_800L),
              random.nextInt(4) == 0
                  ? random.nextInt(1000) * 1_000_000
                  : random.nextInt(1_000_000_000)));
    }
    for (java.time.Instant t : instants) {
      var event = new WorkflowEvent.StepStarted("r", 1, t, "s", 1);
      RunRecord run = StoreSamples.run("r", T0).withLease("o", t).withVersion(1);
      assertThat(FileRecords.frame(run, List.of(event)).copy())
          .as("%s", t)
          .isEqualTo(reference(run, List.of(event)));
    }
  }

  @Test
  void runsWithKeysResultsNullsAndNestedValuesAreWrittenAsTheSharedMapperWritesThem() {
    var nested = new java.util.LinkedHashMap<String, Object>();
    nested.put("absent", null);
    nested.put("list", java.util.Arrays.asList(1, null, "two", 3.5, List.of(Map.of("k", true))));
    nested.put("when", T0);
    nested.put("long", Long.MAX_VALUE);
    nested.put("int", -7);
    nested.put("yes", Boolean.TRUE);
    nested.put("map", new java.util.TreeMap<>(Map.of("z", 1, "a", List.of(), "m", Map.of())));
    nested.put("nonStringKeys", Map.of(1, "one"));
    nested.put("text", "\u00e9\"\\\n\ud83d\ude00");
    RunRecord keyed = StoreSamples.run("r5", "deploy", "deploy-42", RunState.PENDING, T0);
    RunRecord withValues =
        keyed.withProgress(
            RunState.RUNNING,
            keyed.steps(),
            nested,
            Map.of("out", nested),
            null,
            T0.plusSeconds(1));
    for (RunRecord r :
        List.of(
            keyed,
            withValues,
            withValues.withLease(null, null),
            StoreSamples.finished(withValues, RunState.FAILED, T0.plusSeconds(9)),
            StoreSamples.finished(keyed, RunState.COMPLETED, T0.plusSeconds(9)))) {
      assertThat(
              new String(
                  FileRecords.frame(r, List.of()).copy(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(new String(reference(r, List.of()), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void everyEventTypeIsWrittenAsTheSharedMapperWritesIt() {
    String odd = "d\u00e9ploy \"x\" \\ \n\u0001 \ud83d\ude00";
    var events = new java.util.ArrayList<WorkflowEvent>();
    for (String text : java.util.Arrays.asList("s", odd, null)) {
      for (java.time.Instant t : java.util.Arrays.asList(T0, java.time.Instant.EPOCH, null)) {
        events.add(new WorkflowEvent.RunStarted("r", 1, t, text, 3, 5, true, false));
        events.add(new WorkflowEvent.RunStarted(text, Long.MAX_VALUE, t, "wf", -1, 0, false, true));
        for (RunState state :
            java.util.Arrays.asList(RunState.values()[0], RunState.FAILED, null)) {
          events.add(new WorkflowEvent.RunFinished("r", 2, t, state, text));
        }
        events.add(new WorkflowEvent.StepStarted("r", 3, t, text, 2));
        events.add(new WorkflowEvent.StepProgress("r", 4, t, text, 100, text));
        for (dev.opsflow.workflow.ErrorKind kind :
            java.util.Arrays.asList(dev.opsflow.workflow.ErrorKind.values()[0], null)) {
          events.add(new WorkflowEvent.StepRetrying("r", 5, t, "s", 1, 2500L, kind, text));
          events.add(new WorkflowEvent.StepFailed("r", 6, t, text, 4, kind, text));
        }
        events.add(new WorkflowEvent.StepSucceeded("r", 7, t, text, 1, -1L));
        events.add(new WorkflowEvent.StepSkipped("r", 8, t, "s", text));
        events.add(new WorkflowEvent.Compensation("r", 9, t, text, true, text));
        events.add(new WorkflowEvent.Compensation("r", 10, t, "s", false, null));
      }
    }
    RunRecord run = StoreSamples.run("r6", T0).withVersion(2);
    for (WorkflowEvent e : events) {
      assertThat(new String(FileRecords.frame(run, List.of(e)).copy(), StandardCharsets.UTF_8))
          .as("%s", e)
          .isEqualTo(new String(reference(run, List.of(e)), StandardCharsets.UTF_8));
    }
    assertThat(FileRecords.frame(run, events).copy()).isEqualTo(reference(run, events));
  }

  @Test
  void stepOutcomesWithEveryFieldSetOrNullAreWrittenAsTheSharedMapperWritesThem() {
    String odd = "a \"quoted\" \\ line\nbreak\u0001 \ud83d\udca5";
    var steps = new java.util.ArrayList<StepOutcome>();
    for (StepStatus status : StepStatus.values()) {
      steps.add(new StepOutcome("s", status, 0, 0, null, null, null, null, null));
    }
    steps.add(new StepOutcome(null, null, -1, Long.MIN_VALUE, null, null, null, null, null));
    steps.add(new StepOutcome(odd, StepStatus.FAILED, 3, 1500, T0, T0.plusNanos(1), odd, odd, odd));
    steps.add(
        new StepOutcome(
            "x",
            StepStatus.SKIPPED,
            1,
            Long.MAX_VALUE,
            java.time.Instant.MIN,
            java.time.Instant.MAX,
            "found done",
            null,
            ""));
    RunRecord r = StoreSamples.run("r7", T0);
    for (int i = 0; i < steps.size(); i++) {
      RunRecord next =
          r.withProgress(
                  RunState.RUNNING, steps.subList(0, i + 1), r.context(), r.outputs(), null, T0)
              .withVersion(i + 1);
      assertThat(new String(FileRecords.frame(next, List.of()).copy(), StandardCharsets.UTF_8))
          .isEqualTo(new String(reference(next, List.of()), StandardCharsets.UTF_8));
    }
  }

  @Test
  void resultsWithNullsAndErrorsAreWrittenAsTheSharedMapperWritesThem() {
    RunRecord r = StoreSamples.run("r8", T0).withVersion(4);
    var outputs = new java.util.LinkedHashMap<String, Object>();
    outputs.put("id", "srv-1");
    outputs.put("none", null);
    outputs.put("when", T0);
    var error = new dev.opsflow.workflow.ErrorInfo(null, null, null, null, null, null, false);
    for (var result :
        List.of(
            new dev.opsflow.workflow.WorkflowResult(
                null, null, 0, false, null, null, null, null, null, false, null, null),
            new dev.opsflow.workflow.WorkflowResult(
                "r8",
                "wf",
                2,
                true,
                RunState.COMPLETED,
                "d\u00e9j\u00e0 \"fini\"",
                outputs,
                r.steps(),
                error,
                true,
                T0,
                T0.plusMillis(1)))) {
      RunRecord done =
          r.withProgress(RunState.COMPLETED, r.steps(), r.context(), outputs, result, T0);
      assertThat(new String(FileRecords.frame(done, List.of()).copy(), StandardCharsets.UTF_8))
          .isEqualTo(new String(reference(done, List.of()), StandardCharsets.UTF_8));
    }
  }

  /** A value whose JSON cannot be written. */
  static final class Unwritable {
    public String getValue() {
      throw new IllegalStateException("cannot write this");
    }
  }

  @Test
  void aFrameThatFailsHalfWrittenLeavesNothingBehindForTheNextFrame() {
    RunRecord bad =
        StoreSamples.run("r9", T0)
            .withProgress(
                RunState.RUNNING, List.of(), Map.of("bad", new Unwritable()), Map.of(), null, T0)
            .withVersion(2);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileRecords.frame(bad, List.of()))
        .hasMessageContaining("cannot write this");
    RunRecord good = StoreSamples.run("r9", T0).withVersion(2);
    List<WorkflowEvent> events = StoreSamples.events("r9", 1, T0);
    assertThat(FileRecords.frame(good, events).copy()).isEqualTo(reference(good, events));
    assertThat(FileRecords.frame(good, events).copy()).isEqualTo(reference(good, events));
  }

  @Test
  void headersWrittenInPlaceAreTheFormatsHeaders() {
    byte[] start = ChecksummedFile.headerStart(FileExecutionStore.RUN);
    for (long version : new long[] {0, 1, 9, 10, 123_456_789, Long.MAX_VALUE, -1}) {
      for (int length : new int[] {0, 1, 10, 99_999, Integer.MAX_VALUE}) {
        for (long crc : new long[] {0, 1, 0xf, 0x10, 0xdeadbeefL, 0xffffffffL}) {
          byte[] a = new byte[200];
          int at = ChecksummedFile.putHeader(a, 150, start, version, length, crc);
          assertThat(java.util.Arrays.copyOfRange(a, at, 150))
              .isEqualTo(ChecksummedFile.header(FileExecutionStore.RUN, version, length, crc));
        }
      }
    }
  }

  /**
   * The store writes these records itself, component by component: a component added later must be
   * written too. Each record type is built with a value in every component (none null, none the
   * default) and compared with the shared mapper's JSON, every event type found from the sealed
   * interface.
   */
  @Test
  void everyComponentOfEveryRecordTheStoreWritesItselfIsWritten() throws Exception {
    var events = new java.util.ArrayList<WorkflowEvent>();
    for (Class<?> type : WorkflowEvent.class.getPermittedSubclasses()) {
      events.add((WorkflowEvent) sample(type));
    }
    assertThat(events).hasSizeGreaterThanOrEqualTo(9);
    RunRecord run = (RunRecord) sample(RunRecord.class);
    assertThat(run.result()).isNotNull();
    assertThat(new String(FileRecords.frame(run, events).copy(), StandardCharsets.UTF_8))
        .isEqualTo(new String(reference(run, events), StandardCharsets.UTF_8));
  }

  /** An instance of {@code type} with a value in every component. */
  private static Object sample(Class<?> type) throws Exception {
    if (type == String.class) {
      return "x\u00e9";
    } else if (type == int.class || type == Integer.class) {
      return 7;
    } else if (type == long.class || type == Long.class) {
      return 9L;
    } else if (type == boolean.class || type == Boolean.class) {
      return true;
    } else if (type == java.time.Instant.class) {
      return T0;
    } else if (type == java.time.Duration.class) {
      return java.time.Duration.ofSeconds(90);
    } else if (type.isEnum()) {
      Object[] constants = type.getEnumConstants();
      return constants[constants.length - 1];
    } else if (type.isRecord()) {
      var components = type.getRecordComponents();
      var types = new Class<?>[components.length];
      var values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] = sampleOf(components[i].getGenericType());
      }
      return type.getDeclaredConstructor(types).newInstance(values);
    }
    throw new IllegalArgumentException("no sample value for " + type);
  }

  private static Object sampleOf(java.lang.reflect.Type type) throws Exception {
    if (type instanceof java.lang.reflect.ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      java.lang.reflect.Type[] args = p.getActualTypeArguments();
      if (raw == List.class) {
        return List.of(sampleOf(args[0]), sampleOf(args[0]));
      }
      if (raw == Map.class) {
        return Map.of("k", args[1] == Object.class ? "v" : sampleOf(args[1]));
      }
      throw new IllegalArgumentException("no sample value for " + type);
    }
    return sample((Class<?>) type);
  }

  /** The frame as the format describes it, built the plain way. */
  private static byte[] reference(RunRecord run, List<WorkflowEvent> events) {
    var out = new ByteArrayOutputStream();
    out.writeBytes(FileRecords.Mappers.RUN_WRITER.writeValueAsBytes(run));
    out.write('\n');
    for (WorkflowEvent e : events) {
      out.writeBytes(FileRecords.Mappers.EVENT_WRITER.writeValueAsBytes(e));
      out.write('\n');
    }
    return ChecksummedFile.encode(FileExecutionStore.RUN, run.version(), out.toByteArray());
  }
}
