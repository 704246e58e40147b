package dev.opsflow.examples;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM while a run is supervised: the first cancels the run through the engine (its
 * compensations run when rollback is on) and the command prints the CANCELLED result and exits 12;
 * a second one exits at once (13: stopped, the run kept resumable in the store). Without a run, the
 * JVM's default applies.
 */
class Signals {
  /** Exit status of a second signal: stopped at once, the run left resumable. */
  static final int SECOND_SIGNAL_EXIT = 13;

  private final AtomicReference<Runnable> cancel = new AtomicReference<>();
  private final AtomicInteger received = new AtomicInteger();
  private final PrintStream err;
  private final java.util.function.IntConsumer halt;

  Signals(PrintStream err) {
    this(err, status -> Runtime.getRuntime().halt(status));
  }

  /** Signals that end the JVM through {@code halt} (tests: a recorder). */
  Signals(PrintStream err, java.util.function.IntConsumer halt) {
    this.err = err;
    this.halt = halt;
  }

  /** No signal handling (in-process tests). */
  static Signals none() {
    return new Signals(System.err) {
      @Override
      void supervise(String runId, Runnable cancelRun) {}

      @Override
      void release() {}
    };
  }

  /** Handles SIGINT and SIGTERM in this JVM from now on. */
  static Signals install(PrintStream err) {
    var signals = new Signals(err);
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(name), s -> signals.received(s.getName()));
    }
    return signals;
  }

  /** Signals cancel {@code runId} by {@code cancelRun} until {@link #release}. */
  void supervise(String runId, Runnable cancelRun) {
    cancel.set(
        () -> {
          err.println(
              "opsflow: cancelling run "
                  + runId
                  + " (signal again to stop at once; the run stays resumable: opsflow resume "
                  + runId
                  + ")");
          cancelRun.run();
        });
  }

  void release() {
    cancel.set(null);
  }

  void received(String name) {
    Runnable c = cancel.get();
    if (c == null) {
      // Nothing to cancel: as the JVM would (128 + signal number).
      halt.accept(name.equals("INT") ? 130 : 143);
      return;
    }
    if (received.incrementAndGet() > 1) {
      err.println("opsflow: stopped at once; the run is left resumable in the store");
      err.flush();
      halt.accept(SECOND_SIGNAL_EXIT);
      return;
    }
    // Off the signal thread: the cancel may take a moment.
    Thread t = new Thread(c, "opsflow-cancel");
    t.setDaemon(true);
    t.start();
  }
}
