package dev.opsflow.redis.cloud.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.TlsContexts;
import dev.opsflow.workflow.http.TlsTrust;
import dev.opsflow.workflow.resp.RespPing;
import dev.opsflow.workflow.testing.ManualClock;
import dev.opsflow.workflow.testing.RedisEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The simulator on its own, spoken to over plain HTTP as any client would. */
class RedisCloudSimulatorTest {
  private final ManualClock clock = new ManualClock();
  private RedisCloudSimulator sim =
      RedisCloudSimulator.start(
          clock, SimulatorSettings.defaults().withEndpoints(RedisEndpoints.inProcess()));
  private final HttpClient http =
      HttpClient.newBuilder().sslContext(RedisCloudSimulator.clientSslContext()).build();

  @AfterEach
  void close() {
    sim.close();
  }

  private HttpResponse<String> call(String method, String path, String body, boolean keys)
      throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create(sim.baseUri() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (keys) {
      b.header("x-api-key", sim.apiKey().reveal())
          .header("x-api-secret-key", sim.secretKey().reveal());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String method, String path, String body) throws Exception {
    return Json.mapper().readTree(call(method, path, body, true).body());
  }

  private static String subscription(String name, String cidr, String dbs) {
    return "{\"name\":\""
        + name
        + "\",\"paymentMethodId\":12345,\"cloudProviders\":[{"
        + "\"provider\":\"AWS\",\"regions\":[{\"region\":\"us-east-1\",\"networking\":{"
        + "\"deploymentCIDR\":\""
        + cidr
        + "\"}}]}],\"databases\":"
        + dbs
        + "}";
  }

  private static final String ONE_DB = "[{\"name\":\"db\",\"protocol\":\"redis\"}]";

  private String status(String taskId) throws Exception {
    return json("GET", "/tasks/" + taskId, null).get("status").asString();
  }

  @Test
  void aTaskMovesThroughItsLifecycleAsSimulatedTimePasses() throws Exception {
    String task =
        json("POST", "/subscriptions", subscription("a", "10.0.0.0/24", ONE_DB))
            .get("taskId")
            .asString();
    var seen = new ArrayList<String>();
    for (int i = 0; i < 40; i++) {
      String s = status(task);
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
        seen.add(s);
      }
      clock.advance(Duration.ofMillis(900));
    }
    assertThat(seen)
        .containsExactly(
            "initialized", "received", "processing-in-progress", "processing-completed");
  }

  @Test
  void oneTaskRunsAtATimeTheOthersWaitInReceived() throws Exception {
    String first =
        json("POST", "/subscriptions", subscription("a", "10.0.0.0/24", ONE_DB))
            .get("taskId")
            .asString();
    String second =
        json("POST", "/subscriptions", subscription("b", "10.0.1.0/24", ONE_DB))
            .get("taskId")
            .asString();
    clock.advance(Duration.ofSeconds(10));

    assertThat(status(first)).isEqualTo("processing-in-progress");
    assertThat(status(second)).isEqualTo("received");
    clock.advance(Duration.ofSeconds(30));
    assertThat(status(first)).isEqualTo("processing-completed");
    assertThat(status(second)).isEqualTo("processing-in-progress");
  }

  @Test
  void resourcesArePendingAfterTheirTaskThenActiveAndASubscriptionIsPendingWhileADatabaseIsAdded()
      throws Exception {
    JsonNode task = json("POST", "/subscriptions", subscription("a", "10.0.0.0/24", ONE_DB));
    clock.advance(Duration.ofSeconds(32));
    long id =
        json("GET", "/tasks/" + task.get("taskId").asString(), null)
            .get("response")
            .get("resourceId")
            .asLong();
    assertThat(json("GET", "/subscriptions/" + id, null).get("status").asString())
        .isEqualTo("pending");
    clock.advance(Duration.ofSeconds(61));
    assertThat(json("GET", "/subscriptions/" + id, null).get("status").asString())
        .isEqualTo("active");

    json("POST", "/subscriptions/" + id + "/databases", "{\"name\":\"more\"}");
    clock.advance(Duration.ofSeconds(5));
    assertThat(json("GET", "/subscriptions/" + id, null).get("status").asString())
        .isEqualTo("pending");
    clock.advance(Duration.ofMinutes(2));
    assertThat(json("GET", "/subscriptions/" + id, null).get("status").asString())
        .isEqualTo("active");
    JsonNode dbs = json("GET", "/subscriptions/" + id + "/databases", null);
    assertThat(dbs.get("subscription").get(0).get("databases").findValuesAsString("name"))
        .containsExactly("db", "more");
  }

  @Test
  void answersTheApisValidationErrorsWithTheirCodes() throws Exception {
    assertThat(taskError(subscription("a", "10.0.0.0/24", "[]")))
        .isEqualTo("SUBSCRIPTION_MUST_HAVE_AT_LEAST_ONE_DATABASE");
    assertThat(taskError(subscription("a", "10.0.0.0/16", ONE_DB)))
        .isEqualTo("SUBSCRIPTION_INVALID_CIDR");
    HttpResponse<String> azure =
        call(
            "POST",
            "/subscriptions",
            subscription("a", "10.0.0.0/24", ONE_DB).replace("\"AWS\"", "\"Azure\""),
            true);
    assertThat(azure.statusCode()).isEqualTo(400);
    assertThat(Json.mapper().readTree(azure.body()).get("error").get("type").asString())
        .isEqualTo("NOT_KNOWN_CLOUD_PROVIDER");
    assertThat(
            taskError(
                subscription(
                    "a",
                    "10.0.0.0/24",
                    "[{\"name\":\"x\",\"protocol\":\"redis\"},{\"name\":\"x\",\"protocol\":\"redis\"}]")))
        .isEqualTo("DATABASE_NAME_DUPLICATE");
  }

  @Test
  void aDatabaseNameThatExistsIsRefused() throws Exception {
    json("POST", "/subscriptions", subscription("a", "10.0.0.0/24", ONE_DB));
    clock.advance(Duration.ofMinutes(3));
    long id = json("GET", "/subscriptions", null).get("subscriptions").get(0).get("id").asLong();

    JsonNode task = json("POST", "/subscriptions/" + id + "/databases", "{\"name\":\"db\"}");
    clock.advance(Duration.ofMinutes(1));

    assertThat(
            json("GET", "/tasks/" + task.get("taskId").asString(), null)
                .get("response")
                .get("error")
                .get("type")
                .asString())
        .isEqualTo("DATABASE_NAME_EXISTS");
  }

  private String taskError(String body) throws Exception {
    String task = json("POST", "/subscriptions", body).get("taskId").asString();
    clock.advance(Duration.ofMinutes(5));
    JsonNode t = json("GET", "/tasks/" + task, null);
    assertThat(t.get("status").asString()).isEqualTo("processing-error");
    return t.get("response").get("error").get("type").asString();
  }

  @Test
  void requestsWithoutTheKeysAnswer401() throws Exception {
    assertThat(call("GET", "/subscriptions", null, false).statusCode()).isEqualTo(401);
  }

  @Test
  void overTheRateLimitItAnswers429WithTheRetryAfterHeader() throws Exception {
    sim.rateLimit(3);
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> last = null;
    for (int i = 0; i < 4; i++) {
      last = call("GET", "/regions", null, true);
      statuses.add(last.statusCode());
    }
    assertThat(statuses).containsExactly(200, 200, 200, 429);
    assertThat(last.headers().firstValue("x-rate-limit-retry-after-seconds")).hasValue("60");
    assertThat(last.body()).contains("exhausted your API Request Quota");
    clock.advance(Duration.ofSeconds(61));
    assertThat(call("GET", "/regions", null, true).statusCode()).isEqualTo(200);
  }

  @Test
  void databaseEndpointsAnswerPingWithTheirPassword() throws Exception {
    json("POST", "/subscriptions", subscription("a", "10.0.0.0/24", ONE_DB));
    clock.advance(Duration.ofMinutes(3));
    long id = json("GET", "/subscriptions", null).get("subscriptions").get(0).get("id").asLong();
    JsonNode db =
        json("GET", "/subscriptions/" + id + "/databases", null)
            .get("subscription")
            .get(0)
            .get("databases")
            .get(0);

    String endpoint = db.get("publicEndpoint").asString();
    String password = db.get("security").get("password").asString();
    assertThat(RespPing.to(endpoint).withPassword(Secret.of(password)).ping().authenticated())
        .isTrue();
  }

  @Test
  void injectedFaultsAreUsedUpByTheRequestsTheyHit() throws Exception {
    sim.faults().failNextRequests(1, 500).latency(Duration.ofMillis(30));
    long started = System.nanoTime();
    assertThat(call("GET", "/regions", null, true).statusCode()).isEqualTo(500);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(30));
    sim.faults().clear();
    assertThat(call("GET", "/regions", null, true).statusCode()).isEqualTo(200);
    sim.faults().dropNextConnections(1);
    // A POST: the JDK client silently retries a GET once on a closed connection.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> call("POST", "/subscriptions", subscription("a", "10.0.0.0/24", ONE_DB), true))
        .isInstanceOf(java.io.IOException.class);
    assertThat(sim.requests().get(sim.requests().size() - 1).status()).isZero();
  }

  @Test
  void logsEveryRequestWithItsBodyAndStatus() throws Exception {
    call("POST", "/subscriptions", subscription("a", "10.0.0.0/24", ONE_DB), true);
    call("GET", "/nowhere", null, true);

    assertThat(sim.requests())
        .extracting(RecordedRequest::line, RecordedRequest::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("POST /subscriptions", 202),
            org.assertj.core.groups.Tuple.tuple("GET /nowhere", 404));
    assertThat(sim.requests().get(0).body().get("name").asString()).isEqualTo("a");
  }

  private long activeSubscription() throws Exception {
    json("POST", "/subscriptions", subscription("a", "10.0.0.0/24", ONE_DB));
    clock.advance(Duration.ofMinutes(3));
    return json("GET", "/subscriptions", null).get("subscriptions").get(0).get("id").asLong();
  }

  private JsonNode database(long sub, String name) throws Exception {
    for (JsonNode db :
        json("GET", "/subscriptions/" + sub + "/databases", null)
            .get("subscription")
            .get(0)
            .get("databases")) {
      if (db.get("name").asString().equals(name)) {
        return db;
      }
    }
    throw new AssertionError("no database " + name);
  }

  private RespPing ping(JsonNode db) {
    return RespPing.to(db.get("publicEndpoint").asString())
        .withPassword(Secret.of(db.get("security").get("password").asString()))
        .withTimeout(Duration.ofSeconds(30));
  }

  private SSLContext trustingTheSimulator() {
    return TlsContexts.sslContext(TlsTrust.pem(sim.certificatePem()));
  }

  @Test
  void aDatabaseCreatedWithEnableTlsServesTlsWithTheCertificateAndSaysSo() throws Exception {
    long sub = activeSubscription();
    json(
        "POST", "/subscriptions/" + sub + "/databases", "{\"name\":\"secure\",\"enableTls\":true}");
    clock.advance(Duration.ofMinutes(2));

    JsonNode secure = database(sub, "secure");
    JsonNode plain = database(sub, "db");
    assertThat(secure.get("security").get("enableTls").asBoolean()).isTrue();
    assertThat(plain.get("security").get("enableTls").asBoolean()).isFalse();
    assertThat(secure.has("enableTls")).as("only under security, as the API answers").isFalse();
    RespPing.Result result = ping(secure).withTls(trustingTheSimulator()).ping();
    assertThat(result.tls()).isTrue();
    assertThat(result.authenticated()).isTrue();
    assertThat(ping(plain).ping().tls()).isFalse();
  }

  @Test
  void aTlsEndpointRefusesPlainTcpAndAnUntrustedClient() throws Exception {
    long sub = activeSubscription();
    json(
        "POST", "/subscriptions/" + sub + "/databases", "{\"name\":\"secure\",\"enableTls\":true}");
    clock.advance(Duration.ofMinutes(2));
    JsonNode secure = database(sub, "secure");

    assertThatThrownBy(() -> ping(secure).ping())
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION));
    assertThatThrownBy(() -> ping(secure).withTls(TlsContexts.sslContext(TlsTrust.system())).ping())
        .isInstanceOf(WorkflowException.class)
        .hasMessageContaining(secure.get("publicEndpoint").asString())
        .hasMessageContaining("over TLS");
  }

  @Test
  void theSubscriptionCreateSpecHasNoEnableTlsSoItIsNotHonouredThere() throws Exception {
    json(
        "POST",
        "/subscriptions",
        subscription(
            "a", "10.0.0.0/24", "[{\"name\":\"db\",\"protocol\":\"redis\",\"enableTls\":true}]"));
    clock.advance(Duration.ofMinutes(3));
    long sub = json("GET", "/subscriptions", null).get("subscriptions").get(0).get("id").asLong();

    assertThat(database(sub, "db").get("security").get("enableTls").asBoolean()).isFalse();
  }

  @Test
  void anUpdateOfEnableTlsRestartsTheEndpointWithOrWithoutTlsAtTheSameAddress() throws Exception {
    long sub = activeSubscription();
    JsonNode before = database(sub, "db");
    long id = before.get("databaseId").asLong();

    json("PUT", "/subscriptions/" + sub + "/databases/" + id, "{\"enableTls\":true}");
    clock.advance(Duration.ofMinutes(1));
    JsonNode on = database(sub, "db");
    assertThat(on.get("security").get("enableTls").asBoolean()).isTrue();
    assertThat(on.get("publicEndpoint").asString())
        .isEqualTo(before.get("publicEndpoint").asString());
    assertThat(ping(on).withTls(trustingTheSimulator()).ping().tls()).isTrue();
    assertThatThrownBy(() -> ping(on).ping()).isInstanceOf(WorkflowException.class);

    json("PUT", "/subscriptions/" + sub + "/databases/" + id, "{\"enableTls\":false}");
    clock.advance(Duration.ofMinutes(1));
    JsonNode off = database(sub, "db");
    assertThat(off.get("security").get("enableTls").asBoolean()).isFalse();
    assertThat(ping(off).ping().authenticated()).isTrue();
  }

  @Test
  void enableTlsMustBeABoolean() throws Exception {
    long sub = activeSubscription();
    assertThat(
            call(
                    "POST",
                    "/subscriptions/" + sub + "/databases",
                    "{\"name\":\"x\",\"enableTls\":\"yes\"}",
                    true)
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void essentialsTlsNeedsAPaidPlanWhichHasIt() throws Exception {
    JsonNode plans = json("GET", "/fixed/plans?provider=AWS", null).get("plans");
    assertThat(plans.findValues("supportSsl"))
        .extracting(JsonNode::asBoolean)
        .contains(false, true);
    long free = fixedSubscription("free", 1001);
    long paid = fixedSubscription("paid", 1002);

    String refused =
        json(
                "POST",
                "/fixed/subscriptions/" + free + "/databases",
                "{\"name\":\"a\",\"enableTls\":true}")
            .get("taskId")
            .asString();
    json(
        "POST",
        "/fixed/subscriptions/" + paid + "/databases",
        "{\"name\":\"b\",\"enableTls\":true}");
    clock.advance(Duration.ofMinutes(2));

    JsonNode task = json("GET", "/tasks/" + refused, null);
    assertThat(task.get("status").asString()).isEqualTo("processing-error");
    assertThat(task.get("response").get("error").get("type").asString())
        .isEqualTo("FIXED_DATABASE_ENABLE_TLS_NOT_SUPPORTED_IN_REQUESTED_PLAN");
    JsonNode db =
        json("GET", "/fixed/subscriptions/" + paid + "/databases", null)
            .get("subscription")
            .get("databases")
            .get(0);
    assertThat(db.get("security").get("enableTls").asBoolean()).isTrue();
    assertThat(ping(db).withTls(trustingTheSimulator()).ping().tls()).isTrue();
  }

  private long fixedSubscription(String name, long plan) throws Exception {
    String task =
        json("POST", "/fixed/subscriptions", "{\"name\":\"" + name + "\",\"planId\":" + plan + "}")
            .get("taskId")
            .asString();
    clock.advance(Duration.ofMinutes(2));
    return json("GET", "/tasks/" + task, null).get("response").get("resourceId").asLong();
  }
}
