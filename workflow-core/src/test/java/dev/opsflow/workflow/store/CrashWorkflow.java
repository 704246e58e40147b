package dev.opsflow.workflow.store;

import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The 5-step workflow of the crash tests. Each step appends one line, its name, to a side-effect
 * file (kept by the OS page cache through a SIGKILL). In the child JVM, the step named {@code
 * stopIn} tells the parent on stdout that it is inside that step, and then blocks until killed,
 * before or after its side effect.
 */
final class CrashWorkflow {
  static final String NAME = "crash-5";
  static final List<String> STEPS = List.of("s1", "s2", "s3", "s4", "s5");
  static final String INSIDE = "OPSFLOW-CHILD inside ";

  /** Where the child blocks inside its step. */
  enum Stop {
    BEFORE_EFFECT,
    AFTER_EFFECT
  }

  private CrashWorkflow() {}

  /** The workflow as the parent resumes it: every step just does its side effect. */
  static Workflow create(Path sideEffects) {
    return create(sideEffects, null, null, null);
  }

  /** The workflow as the child runs it: {@code stopIn} signals on {@code out} and blocks. */
  static Workflow create(Path sideEffects, String stopIn, Stop stop, PrintStream out) {
    var b = Workflow.builder(NAME).version(1);
    for (String name : STEPS) {
      b.step(
          Step.of(
              name,
              ctx -> {
                boolean stopHere = name.equals(stopIn);
                if (stopHere && stop == Stop.AFTER_EFFECT) {
                  append(sideEffects, name);
                }
                if (stopHere) {
                  out.println(INSIDE + name);
                  out.flush();
                  new CountDownLatch(1).await();
                }
                append(sideEffects, name);
              }));
    }
    return b.build();
  }

  static void append(Path file, String line) throws IOException {
    Files.writeString(
        file,
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
