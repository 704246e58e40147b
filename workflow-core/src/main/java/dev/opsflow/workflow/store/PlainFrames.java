package dev.opsflow.workflow.store;

import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Writes a frame's JSON by hand, without Jackson, when every value in it is plain: strings without
 * control characters or surrogates, integers, booleans, nulls, instants of the years 1970 to 9999,
 * and JDK maps (string keys) and lists of such values. The bytes are those of the store's Jackson
 * writers ({@link FileRecords}), which write the shared mapper's JSON ({@code FileFrameTest},
 * {@code PlainFramesTest}); a frame holding anything else (a result with an error, a double or an
 * instant in a map, an event type written through the mapper) is written by those writers instead.
 *
 * <p>Why: a run's first commit is on the way to its first step, and loading jackson-core's factory
 * and generator (about 90 classes) cost more than everything else the file store adds to a JVM's
 * start-up (docs/performance.md). A typical frame is all plain, so most JVMs never load it to
 * write.
 */
final class PlainFrames {
  /** Thrown when a value is not plain; shared and without a stack trace: it is only a signal. */
  private static final class NotPlain extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotPlain() {
      super(null, null, false, false);
    }
  }

  private static final NotPlain NOT_PLAIN = new NotPlain();

  /** A buffer larger than this is not kept for the thread's next frame. */
  private static final int MAX_KEPT = 64 * 1024;

  /** A string longer than this goes to Jackson: its worst-case size would overflow an int. */
  private static final int MAX_STRING = 1 << 26;

  private static final ThreadLocal<PlainFrames> WRITERS = new ThreadLocal<>();

  private byte[] buf = new byte[8 * 1024];
  private int len;

  /** Whether the next value or name needs a comma before it. */
  private boolean comma;

  private PlainFrames() {}

  /**
   * The frame of {@code run} and {@code events} (as {@link FileRecords#frame}), in a buffer the
   * calling thread reuses for its next frame; null when a value is not plain.
   */
  static FileRecords.FrameBytes frame(RunRecord run, List<WorkflowEvent> events) {
    PlainFrames w = WRITERS.get();
    if (w == null) {
      w = new PlainFrames();
      WRITERS.set(w);
    }
    w.len = FileRecords.HEADER_ROOM;
    w.comma = false;
    try {
      w.run(run);
      w.raw('\n');
      for (WorkflowEvent e : events) {
        w.comma = false;
        w.event(e);
        w.raw('\n');
      }
    } catch (NotPlain e) {
      return null;
    } finally {
      if (w.buf.length > MAX_KEPT) {
        WRITERS.remove();
      }
    }
    return FileRecords.framed(w.buf, w.len, run.version());
  }

  private void run(RunRecord r) {
    start('{');
    string("runId", r.runId());
    string("workflow", r.workflow());
    name("workflowVersion");
    number(r.workflowVersion());
    name("stepNames");
    start('[');
    for (String s : r.stepNames()) {
      value(s);
    }
    end(']');
    string("idempotencyKey", r.idempotencyKey());
    if (r.state() != null) {
      string("state", r.state().name());
    }
    bool("dryRun", r.dryRun());
    bool("rollbackOnFailure", r.rollbackOnFailure());
    if (r.timeout() != null) {
      string("timeout", r.timeout().toString());
    }
    map("inputs", r.inputs());
    map("context", r.context());
    map("outputs", r.outputs());
    steps(r.steps());
    if (r.result() != null) {
      name("result");
      result(r.result());
    }
    string("owner", r.owner());
    instant("leaseUntil", r.leaseUntil());
    instant("createdAt", r.createdAt());
    instant("updatedAt", r.updatedAt());
    name("version");
    number(r.version());
    if (!r.attributes().isEmpty()) {
      map("attributes", r.attributes());
    }
    end('}');
  }

  private void result(WorkflowResult r) {
    if (r.error() != null) {
      throw NOT_PLAIN;
    }
    start('{');
    string("runId", r.runId());
    string("workflow", r.workflow());
    name("version");
    number(r.version());
    bool("success", r.success());
    if (r.status() != null) {
      string("status", r.status().name());
    }
    string("message", r.message());
    map("outputs", r.outputs());
    if (r.steps() != null) {
      steps(r.steps());
    }
    bool("dryRun", r.dryRun());
    instant("startedAt", r.startedAt());
    instant("finishedAt", r.finishedAt());
    end('}');
  }

  private void steps(List<StepOutcome> steps) {
    name("steps");
    start('[');
    for (StepOutcome s : steps) {
      start('{');
      string("name", s.name());
      if (s.status() != null) {
        string("status", s.status().name());
      }
      name("attempts");
      number(s.attempts());
      name("durationMs");
      number(s.durationMs());
      instant("startedAt", s.startedAt());
      instant("finishedAt", s.finishedAt());
      string("skipReason", s.skipReason());
      string("description", s.description());
      string("error", s.error());
      end('}');
    }
    end(']');
  }

  /** As {@code FileRecords.EventJson}; an event type it does not write is not plain. */
  private void event(WorkflowEvent e) {
    if (e instanceof WorkflowEvent.StepStarted x) {
      head("step-started", e);
      string("step", x.step());
      number("attempt", x.attempt());
    } else if (e instanceof WorkflowEvent.StepSucceeded x) {
      head("step-succeeded", e);
      string("step", x.step());
      number("attempts", x.attempts());
      number("durationMs", x.durationMs());
    } else if (e instanceof WorkflowEvent.StepProgress x) {
      head("step-progress", e);
      string("step", x.step());
      number("percent", x.percent());
      string("subTask", x.subTask());
    } else if (e instanceof WorkflowEvent.RunStarted x) {
      head("run-started", e);
      string("workflow", x.workflow());
      number("version", x.version());
      number("totalSteps", x.totalSteps());
      bool("dryRun", x.dryRun());
      bool("resumed", x.resumed());
    } else if (e instanceof WorkflowEvent.RunFinished x) {
      head("run-finished", e);
      string("state", x.state() == null ? null : x.state().name());
      string("message", x.message());
    } else if (e instanceof WorkflowEvent.StepRetrying x) {
      head("step-retrying", e);
      string("step", x.step());
      number("attempt", x.attempt());
      number("delayMs", x.delayMs());
      string("errorKind", x.errorKind() == null ? null : x.errorKind().name());
      string("cause", x.cause());
    } else if (e instanceof WorkflowEvent.StepSkipped x) {
      head("step-skipped", e);
      string("step", x.step());
      string("reason", x.reason());
    } else if (e instanceof WorkflowEvent.StepFailed x) {
      head("step-failed", e);
      string("step", x.step());
      number("attempts", x.attempts());
      string("errorKind", x.errorKind() == null ? null : x.errorKind().name());
      string("message", x.message());
    } else if (e instanceof WorkflowEvent.Compensation x) {
      head("compensation", e);
      string("step", x.step());
      bool("succeeded", x.succeeded());
      string("message", x.message());
    } else {
      throw NOT_PLAIN;
    }
    end('}');
  }

  private void head(String type, WorkflowEvent e) {
    start('{');
    string("type", type);
    string("runId", e.runId());
    number("sequence", e.sequence());
    instant("timestamp", e.timestamp());
  }

  /**
   * A map as {@code FileRecords.RunJson} writes it (entries in order, null values as null); null
   * writes nothing. A map of another class than the JDK's (it may carry Jackson annotations), a key
   * that is not a string, or a value that is not plain is not plain.
   */
  private void map(String property, Map<?, ?> m) {
    if (m != null) {
      name(property);
      map(m);
    }
  }

  private void map(Map<?, ?> m) {
    if (!m.getClass().getName().startsWith("java.util.")) {
      throw NOT_PLAIN;
    }
    start('{');
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw NOT_PLAIN;
      }
      name(key);
      value(e.getValue());
    }
    end('}');
  }

  /**
   * A value of a map or a list as the mapper writes it: a string, an integer, a boolean, null, or a
   * JDK map or list of such values; anything else is not plain.
   */
  private void value(Object v) {
    if (v == null || v instanceof String) {
      value((String) v);
    } else if (v instanceof Integer i) {
      number(i.intValue());
    } else if (v instanceof Long l) {
      number(l.longValue());
    } else if (v instanceof Boolean b) {
      literal(b.booleanValue() ? "true" : "false");
    } else if (v instanceof Map<?, ?> nested) {
      map(nested);
    } else if (v instanceof List<?> list && list.getClass().getName().startsWith("java.util.")) {
      start('[');
      for (Object o : list) {
        value(o);
      }
      end(']');
    } else {
      throw NOT_PLAIN;
    }
  }

  // ---- JSON tokens ----

  private void start(char c) {
    separate();
    raw(c);
    comma = false;
  }

  private void end(char c) {
    raw(c);
    comma = true;
  }

  /** {@code "name":}; the value follows without a comma. */
  private void name(String name) {
    separate();
    quoted(name);
    raw(':');
    comma = false;
  }

  /** A string property; nothing when the value is null (the mapper leaves nulls out). */
  private void string(String property, String value) {
    if (value != null) {
      name(property);
      value(value);
    }
  }

  private void number(String property, long value) {
    name(property);
    number(value);
  }

  private void bool(String property, boolean value) {
    name(property);
    literal(value ? "true" : "false");
  }

  private void instant(String property, Instant t) {
    if (t != null) {
      name(property);
      char[] c = new char[30];
      int n = instant(t, c);
      if (n < 0) {
        throw NOT_PLAIN;
      }
      separate();
      ensure(n + 2);
      buf[len++] = '"';
      for (int i = 0; i < n; i++) {
        buf[len++] = (byte) c[i];
      }
      buf[len++] = '"';
      comma = true;
    }
  }

  /** A string value, or null. */
  private void value(String s) {
    separate();
    if (s == null) {
      ascii("null");
    } else {
      quoted(s);
    }
    comma = true;
  }

  private void number(long value) {
    separate();
    ascii(Long.toString(value));
    comma = true;
  }

  private void literal(String word) {
    separate();
    ascii(word);
    comma = true;
  }

  private void separate() {
    if (comma) {
      raw(',');
    }
  }

  /**
   * {@code s} quoted, in UTF-8, {@code "} and {@code \} escaped with a backslash, as jackson-core's
   * generator writes it by default; a control character or a surrogate (which it escapes or
   * combines) is not plain.
   */
  private void quoted(String s) {
    int n = s.length();
    if (n > MAX_STRING) {
      throw NOT_PLAIN;
    }
    ensure(3 * n + 2);
    byte[] b = buf;
    int at = len;
    b[at++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c < 0x20) {
          throw NOT_PLAIN;
        }
        if (c == '"' || c == '\\') {
          b[at++] = '\\';
        }
        b[at++] = (byte) c;
      } else if (c < 0x800) {
        b[at++] = (byte) (0xc0 | (c >> 6));
        b[at++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        throw NOT_PLAIN;
      } else {
        b[at++] = (byte) (0xe0 | (c >> 12));
        b[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[at++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    b[at++] = '"';
    len = at;
  }

  private void ascii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  private void raw(char c) {
    ensure(1);
    buf[len++] = (byte) c;
  }

  private void ensure(int more) {
    if (buf.length - len < more) {
      buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  /** 10000-01-01T00:00:00Z. */
  private static final long YEAR_10000 = 253402300800L;

  /**
   * Writes {@code t} as {@link java.time.format.DateTimeFormatter#ISO_INSTANT} does ({@code
   * 2026-03-01T10:00:00.123456Z}, the fraction in groups of 3 digits, as many as needed) into
   * {@code c} (30 chars) and returns the length; -1 outside the years 1970 to 9999.
   */
  static int instant(Instant t, char[] c) {
    long secs = t.getEpochSecond();
    if (secs < 0 || secs >= YEAR_10000) {
      return -1;
    }
    long day = secs / 86400;
    // A frame holds a dozen instants, nearly always of one day: its date is formatted once.
    Day known = lastDay;
    if (known.epochDay != day) {
      known = new Day(day);
      lastDay = known;
    }
    System.arraycopy(known.chars, 0, c, 0, 10);
    int sod = (int) (secs % 86400);
    c[10] = 'T';
    digits(c, 11, sod / 3600, 2);
    c[13] = ':';
    digits(c, 14, sod / 60 % 60, 2);
    c[16] = ':';
    digits(c, 17, sod % 60, 2);
    int n = 19;
    int nano = t.getNano();
    if (nano > 0) {
      c[n++] = '.';
      if (nano % 1_000_000 == 0) {
        digits(c, n, nano / 1_000_000, 3);
        n += 3;
      } else if (nano % 1000 == 0) {
        digits(c, n, nano / 1000, 6);
        n += 6;
      } else {
        digits(c, n, nano, 9);
        n += 9;
      }
    }
    c[n++] = 'Z';
    return n;
  }

  /** The date of the last instant written (any thread's; immutable, so racy reads are safe). */
  private static volatile Day lastDay = new Day(0);

  /** A day since the epoch and its {@code yyyy-MM-dd}. */
  private static final class Day {
    final long epochDay;
    final char[] chars = new char[10];

    Day(long epochDay) {
      this.epochDay = epochDay;
      LocalDate d = LocalDate.ofEpochDay(epochDay);
      digits(chars, 0, d.getYear(), 4);
      chars[4] = '-';
      digits(chars, 5, d.getMonthValue(), 2);
      chars[7] = '-';
      digits(chars, 8, d.getDayOfMonth(), 2);
    }
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
