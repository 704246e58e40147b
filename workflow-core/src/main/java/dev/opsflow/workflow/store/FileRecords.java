package dev.opsflow.workflow.store;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/** How {@link FileExecutionStore} names, writes and reads its run and key files. */
final class FileRecords {
  /**
   * The mappers the store needs beyond its own writers, built on first use: building the shared
   * mapper costs hundreds of milliseconds of class loading, which a run's first commit need not pay
   * (its frame and key file are written by the store's own writers, through {@link #JSON}).
   */
  static final class Mappers {
    static final ObjectWriter EVENT_WRITER = Json.mapper().writerFor(WorkflowEvent.class);
    static final ObjectWriter RUN_WRITER = Json.mapper().writerFor(RunRecord.class);

    /**
     * The mapper for the values a frame does not write itself (results, other values in maps), with
     * the store's own writers of runs, step outcomes and instants: the JSON is {@link
     * #RUN_WRITER}'s and {@link #EVENT_WRITER}'s, byte for byte ({@code FileFrameTest}).
     */
    static final JsonMapper FRAME_MAPPER =
        Json.mapper()
            .rebuild()
            .addModule(
                new SimpleModule("opsflow-file-store")
                    .addSerializer(new RunJson())
                    .addSerializer(new StepJson())
                    .addSerializer(new InstantJson()))
            .build();

    /** The events as {@link #EVENT_WRITER} writes them, byte for byte ({@link InstantJson}). */
    static final ObjectWriter FRAME_EVENT_WRITER = FRAME_MAPPER.writerFor(WorkflowEvent.class);

    private Mappers() {}
  }

  /** The streaming factory of the store's own writers (jackson-core only: cheap to load). */
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Writes root values without a separator (a frame writes its own newlines), and the values the
   * store does not write itself through {@link Mappers#FRAME_MAPPER}, built then.
   */
  private static final ObjectWriteContext LINES =
      new ObjectWriteContext.Base() {
        @Override
        public SerializableString getRootValueSeparator(SerializableString defaultSeparator) {
          return NO_SEPARATOR;
        }

        @Override
        public void writeValue(JsonGenerator g, Object value) {
          Mappers.FRAME_MAPPER.writeValue(g, value);
        }
      };

  private static final SerializedString NO_SEPARATOR = new SerializedString("");

  private static final Pattern SAFE_ID =
      Pattern.compile("[A-Za-z0-9_:\\-][A-Za-z0-9_.:\\-]{0,127}");

  private FileRecords() {}

  /**
   * A run file's content: the run of its last complete frame (its first payload line; null when not
   * parsed), the file's bytes and their checked frames (the journal; where a commit appends).
   */
  record Stored(RunRecord run, byte[] bytes, ChecksummedFile.Log log) {
    long version() {
      return log.last().version();
    }
  }

  /** The checked frames of a run file, without parsing its run: enough for a commit. */
  static Stored readFrames(Path file) throws IOException, ChecksummedFile.Corrupt {
    byte[] bytes = Files.readAllBytes(file);
    return new Stored(null, bytes, ChecksummedFile.parse(FileExecutionStore.RUN, bytes));
  }

  /** {@code <runId>.run}, or a hash of an id that is not a safe file name. */
  static String runFileName(String runId) {
    return (SAFE_ID.matcher(runId).matches() ? runId : "~" + sha256(runId)) + ".run";
  }

  /**
   * The run id a run file's name tells when it is not a hash ({@code <runId>.run}), so that a
   * reader can take that run's lock; null for a hashed name ({@code ~<sha-256>.run}).
   */
  static String runIdOfName(String fileName) {
    if (fileName.startsWith("~") || !fileName.endsWith(".run")) {
      return null;
    }
    return fileName.substring(0, fileName.length() - ".run".length());
  }

  /** {@code <SHA-256 of the key>.key}: a key may hold any character. */
  static String keyFileName(String key) {
    return sha256(key) + ".key";
  }

  static Stored readRun(Path file) throws IOException, ChecksummedFile.Corrupt {
    byte[] bytes = Files.readAllBytes(file);
    ChecksummedFile.Log log = ChecksummedFile.parse(FileExecutionStore.RUN, bytes);
    ChecksummedFile.Frame last = log.last();
    int end = last.payloadStart() + last.payloadLength();
    int nl = indexOf(bytes, last.payloadStart(), end);
    if (nl < 0) {
      throw new ChecksummedFile.Corrupt("no run line in the last frame");
    }
    try {
      RunRecord run =
          Json.mapper()
              .readValue(bytes, last.payloadStart(), nl - last.payloadStart(), RunRecord.class);
      return new Stored(run, bytes, log);
    } catch (JacksonException e) {
      throw new ChecksummedFile.Corrupt(
          "the run line is not a valid run: " + e.getOriginalMessage());
    }
  }

  /** The journal: the event lines of every frame (each after its frame's run line), in order. */
  static List<WorkflowEvent> events(Stored stored) {
    byte[] b = stored.bytes();
    var out = new ArrayList<WorkflowEvent>();
    for (ChecksummedFile.Frame f : stored.log().frames()) {
      int end = f.payloadStart() + f.payloadLength();
      int start = indexOf(b, f.payloadStart(), end) + 1;
      while (start > 0 && start < end) {
        int nl = indexOf(b, start, end);
        int lineEnd = nl < 0 ? end : nl;
        out.add(Json.mapper().readValue(b, start, lineEnd - start, WorkflowEvent.class));
        start = lineEnd + 1;
      }
    }
    return out;
  }

  /**
   * A frame's bytes, {@code array[offset, offset + length)}, in a buffer that the calling thread
   * reuses for its next frame: use them before that.
   */
  record FrameBytes(byte[] array, int offset, int length) {
    ByteBuffer buffer() {
      return ByteBuffer.wrap(array, offset, length);
    }

    byte[] copy() {
      return Arrays.copyOfRange(array, offset, offset + length);
    }
  }

  /** Room before the payload for the header line (at most about 60 bytes). */
  private static final int HEADER_ROOM = 96;

  private static final byte[] ZEROS = new byte[HEADER_ROOM];

  /** A frame buffer larger than this is not kept for the thread's next frame. */
  private static final int MAX_KEPT = 64 * 1024;

  private static final ThreadLocal<FrameWriter> WRITERS = new ThreadLocal<>();

  /** A reusable output buffer whose array can be read without a copy. */
  private static final class FrameBuffer extends ByteArrayOutputStream {
    FrameBuffer() {
      super(8 * 1024);
    }

    byte[] array() {
      return buf;
    }
  }

  /**
   * A thread's frame buffer and the generator that writes into it, both reused frame after frame
   * (flushed at the end of each, never closed): making and closing a generator for each frame cost
   * more than writing the run.
   */
  private static final class FrameWriter {
    final FrameBuffer out = new FrameBuffer();
    final JsonGenerator g = JSON.createGenerator(LINES, out);
  }

  /**
   * A run frame of {@code run} and {@code events}: the header, then the run on the first line of
   * the payload and one event a line. Serialised into this thread's reused buffer through its
   * reused generator, the header placed in front of the payload: no copies.
   */
  static FrameBytes frame(RunRecord run, List<WorkflowEvent> events) {
    FrameWriter w = WRITERS.get();
    if (w == null) {
      w = new FrameWriter();
      WRITERS.set(w);
    }
    FrameBuffer out = w.out;
    JsonGenerator g = w.g;
    out.reset();
    out.write(ZEROS, 0, HEADER_ROOM);
    boolean reusable = false;
    try {
      // Written directly, not through an ObjectWriter: no serialization context is made unless a
      // value needs the mapper.
      RunJson.write(g, null, run);
      g.writeRaw('\n');
      for (WorkflowEvent e : events) {
        if (EventJson.write(g, e)) {
          g.writeRaw('\n');
        } else {
          g.flush();
          out.writeBytes(Mappers.FRAME_EVENT_WRITER.writeValueAsBytes(e));
          out.write('\n');
        }
      }
      g.flush();
      reusable = out.array().length <= MAX_KEPT;
    } finally {
      if (!reusable) {
        // A failure left the generator inside a value, or the buffer grew large: start afresh.
        WRITERS.remove();
      }
    }
    byte[] a = out.array();
    int payloadLength = out.size() - HEADER_ROOM;
    var crc = new CRC32C();
    crc.update(a, HEADER_ROOM, payloadLength);
    int start =
        ChecksummedFile.putHeader(
            a, HEADER_ROOM, RUN_HEADER, run.version(), payloadLength, crc.getValue());
    return new FrameBytes(a, start, HEADER_ROOM - start + payloadLength);
  }

  /**
   * Loads and initialises what a run's first frame needs (the JSON generator, this class's writers,
   * CRC-32C) by writing a throwaway frame, on a background thread while the store's user builds its
   * engine (see {@link Journal#prepare}), so the first commit does not pay for it; and SHA-256,
   * which names an owner's file. Writes nothing anywhere; a failure is ignored (the first commit
   * meets it again and reports it).
   */
  static void warmUp() {
    try {
      Instant t = Instant.EPOCH;
      var run =
          new RunRecord(
              "warm-up",
              "warm-up",
              1,
              List.of("a"),
              null,
              dev.opsflow.workflow.RunState.RUNNING,
              false,
              false,
              null,
              Map.of("k", "v"),
              Map.of(),
              Map.of(),
              List.of(),
              null,
              "warm-up",
              t,
              t,
              t,
              1);
      frame(run, List.of());
      // The buffer is the thread's, which ends now: nothing kept.
      WRITERS.remove();
      // An owner's file name (the first run's creation names its owner).
      sha256("warm-up");
    } catch (RuntimeException | LinkageError e) {
      // Only a head start: the first commit does the same and reports what fails.
    }
  }

  private static final byte[] RUN_HEADER = ChecksummedFile.headerStart(FileExecutionStore.RUN);

  /**
   * Writes a {@link RunRecord} as the shared mapper does (its components in order, nulls left out),
   * property by property rather than through the bean serializer's reflective getters; the values
   * that are not plain strings, numbers or booleans go through the mapper's own serializers. {@code
   * FileFrameTest} checks that the bytes are the same.
   */
  private static final class RunJson extends StdSerializer<RunRecord> {
    // Property names, quoted and encoded once.
    private static final SerializedString N_ATTRIBUTES = new SerializedString("attributes");
    private static final SerializedString N_CONTEXT = new SerializedString("context");
    private static final SerializedString N_CREATED_AT = new SerializedString("createdAt");
    private static final SerializedString N_DRY_RUN = new SerializedString("dryRun");
    private static final SerializedString N_ERROR = new SerializedString("error");
    private static final SerializedString N_FINISHED_AT = new SerializedString("finishedAt");
    private static final SerializedString N_IDEMPOTENCY_KEY =
        new SerializedString("idempotencyKey");
    private static final SerializedString N_INPUTS = new SerializedString("inputs");
    private static final SerializedString N_LEASE_UNTIL = new SerializedString("leaseUntil");
    private static final SerializedString N_MESSAGE = new SerializedString("message");
    private static final SerializedString N_OUTPUTS = new SerializedString("outputs");
    private static final SerializedString N_OWNER = new SerializedString("owner");
    private static final SerializedString N_RESULT = new SerializedString("result");
    private static final SerializedString N_ROLLBACK_ON_FAILURE =
        new SerializedString("rollbackOnFailure");
    private static final SerializedString N_RUN_ID = new SerializedString("runId");
    private static final SerializedString N_STARTED_AT = new SerializedString("startedAt");
    private static final SerializedString N_STATE = new SerializedString("state");
    private static final SerializedString N_STATUS = new SerializedString("status");
    private static final SerializedString N_STEP_NAMES = new SerializedString("stepNames");
    private static final SerializedString N_STEPS = new SerializedString("steps");
    private static final SerializedString N_SUCCESS = new SerializedString("success");
    private static final SerializedString N_TIMEOUT = new SerializedString("timeout");
    private static final SerializedString N_UPDATED_AT = new SerializedString("updatedAt");
    private static final SerializedString N_VERSION = new SerializedString("version");
    private static final SerializedString N_WORKFLOW = new SerializedString("workflow");
    private static final SerializedString N_WORKFLOW_VERSION =
        new SerializedString("workflowVersion");

    RunJson() {
      super(RunRecord.class);
    }

    @Override
    public void serialize(RunRecord r, JsonGenerator g, SerializationContext ctxt) {
      write(g, ctxt, r);
    }

    /**
     * Writes {@code r}; values the store does not write itself go through {@code ctxt}, or, when it
     * is null (a frame, written without an ObjectWriter), through {@link Mappers#FRAME_MAPPER}.
     */
    static void write(JsonGenerator g, SerializationContext ctxt, RunRecord r) {
      g.writeStartObject(r);
      EventJson.string(g, N_RUN_ID, r.runId());
      EventJson.string(g, N_WORKFLOW, r.workflow());
      g.writeName(N_WORKFLOW_VERSION);
      g.writeNumber(r.workflowVersion());
      g.writeName(N_STEP_NAMES);
      g.writeStartArray(r.stepNames(), r.stepNames().size());
      for (String name : r.stepNames()) {
        g.writeString(name);
      }
      g.writeEndArray();
      EventJson.string(g, N_IDEMPOTENCY_KEY, r.idempotencyKey());
      if (r.state() != null) {
        g.writeName(N_STATE);
        g.writeString(r.state().name());
      }
      g.writeName(N_DRY_RUN);
      g.writeBoolean(r.dryRun());
      g.writeName(N_ROLLBACK_ON_FAILURE);
      g.writeBoolean(r.rollbackOnFailure());
      if (r.timeout() != null) {
        g.writeName(N_TIMEOUT);
        g.writeString(r.timeout().toString());
      }
      if (r.inputs() != null) {
        g.writeName(N_INPUTS);
        map(g, ctxt, r.inputs());
      }
      if (r.context() != null) {
        g.writeName(N_CONTEXT);
        map(g, ctxt, r.context());
      }
      if (r.outputs() != null) {
        g.writeName(N_OUTPUTS);
        map(g, ctxt, r.outputs());
      }
      g.writeName(N_STEPS);
      g.writeStartArray(r.steps(), r.steps().size());
      for (StepOutcome step : r.steps()) {
        StepJson.write(g, step);
      }
      g.writeEndArray();
      if (r.result() != null) {
        g.writeName(N_RESULT);
        result(g, ctxt, r.result());
      }
      EventJson.string(g, N_OWNER, r.owner());
      InstantJson.property(g, N_LEASE_UNTIL, r.leaseUntil());
      InstantJson.property(g, N_CREATED_AT, r.createdAt());
      InstantJson.property(g, N_UPDATED_AT, r.updatedAt());
      g.writeName(N_VERSION);
      g.writeNumber(r.version());
      if (!r.attributes().isEmpty()) {
        g.writeName(N_ATTRIBUTES);
        map(g, ctxt, r.attributes());
      }
      g.writeEndObject();
    }

    /**
     * Writes a map as the mapper's map serializer does (entries in order, null values as null),
     * strings, integers, booleans and JDK maps of them directly, anything else (and a map of
     * another class, or with a key that is not a string) through the mapper.
     */
    private static void map(JsonGenerator g, SerializationContext ctxt, Map<?, ?> m) {
      // Only the JDK's maps: another Map class may carry its own Jackson annotations.
      boolean plain = m.getClass().getName().startsWith("java.util.");
      for (Object key : m.keySet()) {
        plain &= key instanceof String;
      }
      if (!plain) {
        other(g, ctxt, m);
        return;
      }
      g.writeStartObject(m, m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeName((String) e.getKey());
        Object v = e.getValue();
        if (v == null) {
          g.writeNull();
        } else if (v instanceof String str) {
          g.writeString(str);
        } else if (v instanceof Integer i) {
          g.writeNumber(i.intValue());
        } else if (v instanceof Long l) {
          g.writeNumber(l.longValue());
        } else if (v instanceof Boolean b) {
          g.writeBoolean(b.booleanValue());
        } else if (v instanceof Map<?, ?> nested) {
          map(g, ctxt, nested);
        } else {
          other(g, ctxt, v);
        }
      }
      g.writeEndObject();
    }

    /**
     * Writes a {@link WorkflowResult} as the shared mapper does (components in order, no nulls).
     */
    private static void result(JsonGenerator g, SerializationContext ctxt, WorkflowResult r) {
      g.writeStartObject(r);
      EventJson.string(g, N_RUN_ID, r.runId());
      EventJson.string(g, N_WORKFLOW, r.workflow());
      g.writeName(N_VERSION);
      g.writeNumber(r.version());
      g.writeName(N_SUCCESS);
      g.writeBoolean(r.success());
      if (r.status() != null) {
        g.writeName(N_STATUS);
        g.writeString(r.status().name());
      }
      EventJson.string(g, N_MESSAGE, r.message());
      if (r.outputs() != null) {
        g.writeName(N_OUTPUTS);
        map(g, ctxt, r.outputs());
      }
      if (r.steps() != null) {
        g.writeName(N_STEPS);
        g.writeStartArray(r.steps(), r.steps().size());
        for (StepOutcome step : r.steps()) {
          StepJson.write(g, step);
        }
        g.writeEndArray();
      }
      if (r.error() != null) {
        g.writeName(N_ERROR);
        other(g, ctxt, r.error());
      }
      g.writeName(N_DRY_RUN);
      g.writeBoolean(r.dryRun());
      InstantJson.property(g, N_STARTED_AT, r.startedAt());
      InstantJson.property(g, N_FINISHED_AT, r.finishedAt());
      g.writeEndObject();
    }

    private static void other(JsonGenerator g, SerializationContext ctxt, Object v) {
      if (ctxt != null) {
        ctxt.writeValue(g, v);
      } else {
        Mappers.FRAME_MAPPER.writeValue(g, v);
      }
    }
  }

  /**
   * Writes a {@link StepOutcome} as the shared mapper does (its components in order, nulls left
   * out), field by field: no bean serializer, no serialization context.
   */
  private static final class StepJson extends StdSerializer<StepOutcome> {
    private static final SerializedString NAME = new SerializedString("name");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString ATTEMPTS = new SerializedString("attempts");
    private static final SerializedString DURATION = new SerializedString("durationMs");
    private static final SerializedString STARTED = new SerializedString("startedAt");
    private static final SerializedString FINISHED = new SerializedString("finishedAt");
    private static final SerializedString SKIP = new SerializedString("skipReason");
    private static final SerializedString DESCRIPTION = new SerializedString("description");
    private static final SerializedString ERROR = new SerializedString("error");

    StepJson() {
      super(StepOutcome.class);
    }

    @Override
    public void serialize(StepOutcome step, JsonGenerator g, SerializationContext ctxt) {
      write(g, step);
    }

    static void write(JsonGenerator g, StepOutcome s) {
      g.writeStartObject(s);
      EventJson.string(g, NAME, s.name());
      if (s.status() != null) {
        g.writeName(STATUS);
        g.writeString(s.status().name());
      }
      g.writeName(ATTEMPTS);
      g.writeNumber(s.attempts());
      g.writeName(DURATION);
      g.writeNumber(s.durationMs());
      InstantJson.property(g, STARTED, s.startedAt());
      InstantJson.property(g, FINISHED, s.finishedAt());
      EventJson.string(g, SKIP, s.skipReason());
      EventJson.string(g, DESCRIPTION, s.description());
      EventJson.string(g, ERROR, s.error());
      g.writeEndObject();
    }
  }

  /**
   * Writes a {@link WorkflowEvent} as the shared mapper does (the type id first, then the record's
   * components in order, nulls left out), field by field. {@code FileFrameTest} checks each type.
   */
  static final class EventJson {
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString RUN_ID = new SerializedString("runId");
    private static final SerializedString SEQUENCE = new SerializedString("sequence");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString STEP = new SerializedString("step");
    private static final SerializedString ATTEMPT = new SerializedString("attempt");
    private static final SerializedString ATTEMPTS = new SerializedString("attempts");
    private static final SerializedString PERCENT = new SerializedString("percent");
    private static final SerializedString SUB_TASK = new SerializedString("subTask");
    private static final SerializedString DURATION = new SerializedString("durationMs");
    private static final SerializedString DELAY = new SerializedString("delayMs");
    private static final SerializedString ERROR_KIND = new SerializedString("errorKind");
    private static final SerializedString CAUSE = new SerializedString("cause");
    private static final SerializedString MESSAGE = new SerializedString("message");
    private static final SerializedString REASON = new SerializedString("reason");
    private static final SerializedString STATE = new SerializedString("state");
    private static final SerializedString WORKFLOW = new SerializedString("workflow");
    private static final SerializedString VERSION = new SerializedString("version");
    private static final SerializedString TOTAL_STEPS = new SerializedString("totalSteps");
    private static final SerializedString DRY_RUN = new SerializedString("dryRun");
    private static final SerializedString RESUMED = new SerializedString("resumed");
    private static final SerializedString SUCCEEDED = new SerializedString("succeeded");

    private EventJson() {}

    /** Writes {@code e}; false for a type it does not know (write it through the mapper). */
    static boolean write(JsonGenerator g, WorkflowEvent e) {
      if (e instanceof WorkflowEvent.StepStarted x) {
        head(g, "step-started", e);
        string(g, STEP, x.step());
        number(g, ATTEMPT, x.attempt());
      } else if (e instanceof WorkflowEvent.StepSucceeded x) {
        head(g, "step-succeeded", e);
        string(g, STEP, x.step());
        number(g, ATTEMPTS, x.attempts());
        number(g, DURATION, x.durationMs());
      } else if (e instanceof WorkflowEvent.StepProgress x) {
        head(g, "step-progress", e);
        string(g, STEP, x.step());
        number(g, PERCENT, x.percent());
        string(g, SUB_TASK, x.subTask());
      } else if (e instanceof WorkflowEvent.RunStarted x) {
        head(g, "run-started", e);
        string(g, WORKFLOW, x.workflow());
        number(g, VERSION, x.version());
        number(g, TOTAL_STEPS, x.totalSteps());
        g.writeName(DRY_RUN);
        g.writeBoolean(x.dryRun());
        g.writeName(RESUMED);
        g.writeBoolean(x.resumed());
      } else if (e instanceof WorkflowEvent.RunFinished x) {
        head(g, "run-finished", e);
        string(g, STATE, x.state() == null ? null : x.state().name());
        string(g, MESSAGE, x.message());
      } else if (e instanceof WorkflowEvent.StepRetrying x) {
        head(g, "step-retrying", e);
        string(g, STEP, x.step());
        number(g, ATTEMPT, x.attempt());
        number(g, DELAY, x.delayMs());
        string(g, ERROR_KIND, x.errorKind() == null ? null : x.errorKind().name());
        string(g, CAUSE, x.cause());
      } else if (e instanceof WorkflowEvent.StepSkipped x) {
        head(g, "step-skipped", e);
        string(g, STEP, x.step());
        string(g, REASON, x.reason());
      } else if (e instanceof WorkflowEvent.StepFailed x) {
        head(g, "step-failed", e);
        string(g, STEP, x.step());
        number(g, ATTEMPTS, x.attempts());
        string(g, ERROR_KIND, x.errorKind() == null ? null : x.errorKind().name());
        string(g, MESSAGE, x.message());
      } else if (e instanceof WorkflowEvent.Compensation x) {
        head(g, "compensation", e);
        string(g, STEP, x.step());
        g.writeName(SUCCEEDED);
        g.writeBoolean(x.succeeded());
        string(g, MESSAGE, x.message());
      } else {
        return false;
      }
      g.writeEndObject();
      return true;
    }

    private static void head(JsonGenerator g, String type, WorkflowEvent e) {
      g.writeStartObject(e);
      g.writeName(TYPE);
      g.writeString(type);
      string(g, RUN_ID, e.runId());
      number(g, SEQUENCE, e.sequence());
      InstantJson.property(g, TIMESTAMP, e.timestamp());
    }

    static void string(JsonGenerator g, SerializedString name, String value) {
      if (value != null) {
        g.writeName(name);
        g.writeString(value);
      }
    }

    private static void number(JsonGenerator g, SerializedString name, long value) {
      g.writeName(name);
      g.writeNumber(value);
    }

    private static void number(JsonGenerator g, SerializedString name, int value) {
      g.writeName(name);
      g.writeNumber(value);
    }
  }

  /**
   * Writes an {@link Instant} as the shared mapper does ({@link DateTimeFormatter#ISO_INSTANT}:
   * {@code 2026-03-01T10:00:00.123456Z}, the fraction in groups of 3 digits, as many as needed),
   * without the formatter's generic machinery, for the years 1970 to 9999; other instants through
   * the formatter.
   */
  static final class InstantJson extends StdSerializer<Instant> {
    /** 10000-01-01T00:00:00Z. */
    private static final long YEAR_10000 = 253402300800L;

    InstantJson() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant t, JsonGenerator g, SerializationContext ctxt) {
      write(g, t);
    }

    static void write(JsonGenerator g, Instant t) {
      char[] c = new char[30];
      int n = format(t, c);
      if (n < 0) {
        g.writeString(DateTimeFormatter.ISO_INSTANT.format(t));
      } else {
        g.writeString(c, 0, n);
      }
    }

    /** Writes property {@code name} with {@code t}; nothing when {@code t} is null. */
    static void property(JsonGenerator g, String name, Instant t) {
      if (t != null) {
        g.writeName(name);
        write(g, t);
      }
    }

    static void property(JsonGenerator g, SerializedString name, Instant t) {
      if (t != null) {
        g.writeName(name);
        write(g, t);
      }
    }

    /** Writes {@code t} into {@code c} (30 chars), returns the length; -1 when out of range. */
    static int format(Instant t, char[] c) {
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

    /** The date of the last instant formatted (any thread's; immutable, so racy reads are safe). */
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

  /** The run id the key file of {@code key} points at; empty when there is none. */
  static Optional<String> readKey(Path dir, String key) throws IOException {
    Path file = dir.resolve(keyFileName(key));
    try {
      byte[] payload =
          ChecksummedFile.decode(FileExecutionStore.KEY, Files.readAllBytes(file)).payload();
      Map<?, ?> m = Json.mapper().readValue(payload, Map.class);
      if (!key.equals(m.get("key")) || !(m.get("runId") instanceof String id)) {
        throw new ChecksummedFile.Corrupt("it does not hold key '" + key + "'");
      }
      return Optional.of(id);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (ChecksummedFile.Corrupt | JacksonException e) {
      String fix =
          "delete "
              + file
              + " (the key is then free: check first that run with this "
              + "key did not complete)";
      throw new dev.opsflow.workflow.spi.StoreException(
          "idempotency key file " + file + " is corrupt (" + e.getMessage() + "); fix: " + fix,
          fix,
          null);
    }
  }

  static void writeKey(Path dir, String key, String runId, FileSyncs syncs) throws IOException {
    writeKey(dir, key, runId, syncs, null);
  }

  /**
   * {@link #writeKey(Path, String, String, FileSyncs)}, its temp file a spare when one is ready.
   */
  static void writeKey(Path dir, String key, String runId, FileSyncs syncs, SpareFiles spares)
      throws IOException {
    // {"key":...,"runId":...} as the shared mapper writes that map, without building it.
    var out = new ByteArrayOutputStream(64 + key.length() + runId.length());
    try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      g.writeStartObject();
      g.writeStringProperty("key", key);
      g.writeStringProperty("runId", runId);
      g.writeEndObject();
    }
    byte[] payload = out.toByteArray();
    ChecksummedFile.replace(
        dir,
        keyFileName(key),
        ChecksummedFile.encode(FileExecutionStore.KEY, 0, payload),
        syncs,
        spares);
  }

  /**
   * Removes the temp files a store older than {@code .tmp/} left beside the runs ({@code
   * .<name>.<uuid>.tmp}); retention calls it, as it lists the whole directory anyway. Call holding
   * the directory lock.
   */
  static void removeOldTempFiles(Path dir) throws IOException {
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path t : temps) {
        Files.deleteIfExists(t);
      }
    }
  }

  /** An I/O error in words: the JDK's messages for these are often just a path. */
  static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file that is not a directory is in the way: " + e.getMessage();
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory: " + e.getMessage();
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason() + ": " + fse.getFile();
    }
    return e.toString();
  }

  private static int indexOf(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
