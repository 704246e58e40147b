package dev.opsflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials, CSRF, origins, sizes, and errors that are JSON, never a stack trace. */
class DashboardSecurityTest {
  @TempDir Path dir;
  Fixture f;

  @BeforeEach
  void start() {
    f = new Fixture(dir);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private HttpRequest.Builder post(String path, String body) {
    return HttpRequest.newBuilder(f.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static final String START = "/api/workflows/provision-server/runs";
  private static final String BODY = "{\"inputs\": {\"server\": \"s\"}}";

  @Test
  void aChangeWithoutTheTokenIsA401AndNothingRuns() {
    var none = f.send(post(START, BODY).header("Content-Type", "application/json"));
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().at("/error/code").stringValue()).isEqualTo("UNAUTHORIZED");
    var wrong =
        f.send(
            post(START, BODY)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer not-the-token-at-all"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().at("/error/message").stringValue())
        .isEqualTo("the token is not the dashboard's token");
    var basic =
        f.send(post("/api/batches", "{}").header("Authorization", "Basic " + Fixture.TOKEN));
    assertThat(basic.status()).isEqualTo(401);
    assertThat(f.get("/api/runs").json().get("runs").size()).isZero();
  }

  @Test
  void aFormPostIsRefusedAsNotJson() {
    var r =
        f.send(
            post(START, "inputs=x")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + Fixture.TOKEN));
    assertThat(r.status()).isEqualTo(415);
  }

  @Test
  void crossSiteRequestsAreRefusedEvenWithTheToken() {
    var origin =
        f.send(
            post(START, BODY)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Fixture.TOKEN)
                .header("Origin", "http://evil.example"));
    assertThat(origin.status()).isEqualTo(403);
    var site =
        f.send(HttpRequest.newBuilder(f.uri("/api/runs")).header("Sec-Fetch-Site", "cross-site"));
    assertThat(site.status()).isEqualTo(403);
    var same =
        f.send(
            HttpRequest.newBuilder(f.uri("/api/runs"))
                .header("Origin", "http://127.0.0.1:" + f.dashboard.port()));
    assertThat(same.status()).isEqualTo(200);
  }

  @Test
  void aForeignHostNameIsRefusedOnLoopback() throws IOException {
    String answer =
        raw("GET /api/runs HTTP/1.1\r\nHost: rebound.example:80\r\nConnection: close\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 421").contains("\"code\":\"MISDIRECTED\"");
    assertThat(raw("GET /api/runs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200");
  }

  private String raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", f.dashboard.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void sizesAreBounded() {
    String big = "{\"inputs\": {\"server\": \"" + "a".repeat(70_000) + "\"}}";
    var r = f.post(START, big);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().at("/error/message").stringValue())
        .isEqualTo("the body must be at most 65536 bytes");
    assertThat(f.get("/api/runs?workflow=" + "w".repeat(5000)).status()).isEqualTo(414);
  }

  @Test
  void errorsAreJsonNeverAStackTrace() {
    var bad = f.post(START, "{not json");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/error/message").stringValue())
        .startsWith("the body is not valid JSON");
    assertThat(bad.text()).doesNotContain("at tools.jackson").doesNotContain("Exception");
    var array = f.post(START, "[1]");
    assertThat(array.json().at("/error/message").stringValue())
        .isEqualTo("the body must be a JSON object");
    var missing = f.get("/api/nothing");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().at("/error/code").stringValue()).isEqualTo("NOT_FOUND");
    var method = f.send(HttpRequest.newBuilder(f.uri("/api/runs")).DELETE());
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.headers().firstValue("Allow")).hasValue("GET");
    var wrongVerb = f.get("/api/runs/x/cancel");
    assertThat(wrongVerb.status()).isEqualTo(405);
    assertThat(wrongVerb.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void theTokenIsInNoResponseAndPagesCarryAStrictPolicy() {
    for (String path :
        List.of(
            "/",
            "/history",
            "/workflows",
            "/start/provision-server",
            "/assets/app.js",
            "/api/workflows",
            "/api/runs",
            "/api/runs/active",
            "/api/batches")) {
      var r = f.get(path);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.text()).as(path).doesNotContain(Fixture.TOKEN);
      assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("default-src 'self'")
          .contains("frame-ancestors 'none'");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
    assertThat(f.get("/").headers().firstValue("Content-Type"))
        .hasValue("text/html; charset=utf-8");
    assertThat(f.get("/assets/nope.js").status()).isEqualTo(404);
    assertThat(f.get("/assets/..%2Fapp.css").status()).isEqualTo(404);
  }

  @Test
  void listensOnLoopbackByDefaultAndMakesARandomTokenWhenNoneIsGiven() {
    try (var d = Dashboard.builder(f.engine, f.registry).port(0).start()) {
      assertThat(d.url().getHost()).isEqualTo("127.0.0.1");
      assertThat(d.token()).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(Fixture.TOKEN);
      assertThat(d.signInUrl().toString()).isEqualTo(d.url() + "#token=" + d.token());
    }
  }

  @Test
  void builderRefusesBadSettingsNamingThem() {
    var b = Dashboard.builder(f.engine, f.registry);
    assertThatThrownBy(() -> b.token("short"))
        .hasMessage("token must be at least 16 characters (not shown)");
    assertThatThrownBy(() -> b.port(70000))
        .hasMessage("port must be between 0 and 65535, was 70000");
    assertThatThrownBy(() -> b.bindAddress("no such host.invalid"))
        .hasMessageStartingWith("bindAddress 'no such host.invalid' is not an address");
    assertThatThrownBy(() -> b.refreshInterval(java.time.Duration.ZERO))
        .hasMessage("refreshInterval must be between 10 ms and 60 s, was PT0S");
    assertThatThrownBy(
            () -> Dashboard.builder(f.engine, f.registry).port(f.dashboard.port()).start())
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("cannot listen on 127.0.0.1:" + f.dashboard.port());
  }
}
