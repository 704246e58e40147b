package dev.opsflow.dashboard.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.opsflow.workflow.RunStatus;
import dev.opsflow.workflow.spi.RunRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Server-Sent Events: the live views of one run, one batch, and the active runs and batches. Each
 * stream looks at its view every refresh interval and sends it (event {@code update}, the same JSON
 * as the matching GET route) when it changed; a finished run or batch gets a last {@code update},
 * then {@code done}, and the stream ends. Looking, rather than listening to the engine, shows the
 * runs of every engine that shares the store. At most {@value #MAX_STREAMS} streams at once (each
 * holds a thread); one more is a 503. Thread-safe.
 */
final class EventStreams {
  static final int MAX_STREAMS = 32;
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** What a stream sends: the body, and whether nothing will change any more. */
  record Snapshot(Object body, boolean finished) {}

  private final RunRoutes runs;
  private final BatchRoutes batches;
  private final Duration interval;
  private final Semaphore slots = new Semaphore(MAX_STREAMS);
  private final CountDownLatch closed = new CountDownLatch(1);

  EventStreams(RunRoutes runs, BatchRoutes batches, Duration interval) {
    this.runs = runs;
    this.batches = batches;
    this.interval = interval;
  }

  void register(Router router) {
    router
        .get(
            "/api/runs/(?<id>[^/]+)/stream",
            r -> {
              String id = r.path("id");
              return stream(
                  r,
                  () -> {
                    // The engine's status says a run ended before its last commit is stored:
                    // done only when the record sent with it is finished too.
                    RunStatus s = runs.status(id);
                    RunRecord rec = runs.record(id);
                    return new Snapshot(
                        runs.detail(rec, s), s.state().isFinished() && rec.state().isFinished());
                  });
            })
        .get(
            "/api/batches/(?<id>[^/]+)/stream",
            r -> {
              Batches.Tracked t = batches.tracked(r.path("id"));
              return stream(
                  r,
                  () -> {
                    boolean done = t.run.isDone();
                    return new Snapshot(t.view(), done);
                  });
            })
        .get(
            "/api/active/stream",
            r ->
                stream(
                    r,
                    () -> {
                      var body = new LinkedHashMap<String, Object>();
                      body.put("runs", runs.active());
                      body.put("batches", batches.list());
                      return new Snapshot(body, false);
                    }));
  }

  /** Ends every stream. */
  void close() {
    closed.countDown();
  }

  private Reply stream(Request r, Supplier<Snapshot> view) throws IOException {
    Snapshot first = view.get(); // an unknown id is a JSON 404, before the stream starts
    if (!slots.tryAcquire()) {
      throw new HttpError(
          503, "TOO_MANY_STREAMS", "at most " + MAX_STREAMS + " live streams at once; try later");
    }
    HttpExchange exchange = r.exchange();
    try (exchange) {
      Router.secure(exchange);
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      String last = null;
      long lastWrite = System.nanoTime();
      Snapshot now = first;
      while (true) {
        String json = Router.json(now.body());
        if (!json.equals(last)) {
          write(out, "event: update\ndata: " + json + "\n\n");
          last = json;
          lastWrite = System.nanoTime();
        } else if (System.nanoTime() - lastWrite > KEEP_ALIVE_NANOS) {
          write(out, ": keep-alive\n\n"); // finds a client that went away
          lastWrite = System.nanoTime();
        }
        if (now.finished()) {
          write(out, "event: done\ndata: {}\n\n");
          return null;
        }
        if (closed.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
          return null;
        }
        now = view.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (IOException e) {
      return null; // the client went away
    } finally {
      slots.release();
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
