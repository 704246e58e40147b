package dev.opsflow.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pages and their static files (plain HTML, CSS and JavaScript in the jar, under {@code
 * dev/opsflow/dashboard/assets/}). Each page fetches its data from the API. Thread-safe.
 */
final class Assets {
  private static final String DIR = "dev/opsflow/dashboard/assets/";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml");

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  void register(Router router) {
    router
        .get("/", r -> file("index.html"))
        .get("/workflows", r -> file("workflows.html"))
        .get("/start/(?<name>[^/]+)", r -> file("start.html"))
        .get("/runs/(?<id>[^/]+)", r -> file("run.html"))
        .get("/history", r -> file("history.html"))
        .get("/batches/(?<id>[^/]+)", r -> file("batch.html"))
        .get("/assets/(?<file>[a-z0-9-]+\\.(?:css|js|svg))", r -> file(r.path("file")));
  }

  private Reply file(String name) throws IOException {
    byte[] bytes = cache.get(name);
    if (bytes == null) {
      try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(DIR + name)) {
        if (in == null) {
          throw HttpError.notFound("no such file: /assets/" + name);
        }
        bytes = in.readAllBytes();
      }
      cache.put(name, bytes);
    }
    String ext = name.substring(name.lastIndexOf('.') + 1);
    return new Reply(200, TYPES.get(ext), bytes);
  }
}
