package dev.opsflow.workflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

class JsonHttpClientTest {
  record Database(String name, int shards) {}

  private TestServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = TestServer.http();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private JsonHttpClient client(Auth auth) {
    return JsonHttpClient.create(HttpSettings.of(server.baseUri()).withAuth(auth));
  }

  @Test
  void getReadsJsonIntoARecord() {
    server.on("GET", "/v1/bdbs/1", 200, "{\"name\":\"cache\",\"shards\":2,\"extra\":true}");

    Database db = client(Auth.none()).get("/v1/bdbs/1", Database.class);

    assertThat(db).isEqualTo(new Database("cache", 2));
    assertThat(server.lastRequest().header("Accept")).isEqualTo("application/json");
  }

  @Test
  void getReadsGenericTypesAndTrees() {
    server.on(
        "GET", "/v1/bdbs", 200, "[{\"name\":\"a\",\"shards\":1},{\"name\":\"b\",\"shards\":3}]");
    var client = client(Auth.none());

    List<Database> dbs = client.get("/v1/bdbs", new TypeReference<List<Database>>() {});
    JsonNode tree = client.get("/v1/bdbs", JsonNode.class);

    assertThat(dbs).extracting(Database::name).containsExactly("a", "b");
    assertThat(tree.get(1).get("shards").asInt()).isEqualTo(3);
  }

  @Test
  void postSendsJsonAndReadsTheAnswer() {
    server.on("POST", "/v1/bdbs", 201, "{\"name\":\"cache\",\"shards\":4}");

    Database created =
        client(Auth.none()).post("/v1/bdbs", new Database("cache", 4), Database.class);

    assertThat(created.shards()).isEqualTo(4);
    var request = server.lastRequest();
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(Json.mapper().readTree(request.body()))
        .isEqualTo(Json.mapper().readTree("{\"name\":\"cache\",\"shards\":4}"));
  }

  @Test
  void putAndPatchSendTheirMethods() {
    server.on("PUT", "/v1/bdbs/1", 200, "{\"name\":\"x\",\"shards\":1}");
    server.on("PATCH", "/v1/bdbs/1", 204, null);
    var client = client(Auth.none());

    assertThat(client.put("/v1/bdbs/1", Map.of("shards", 1), Database.class).name()).isEqualTo("x");
    assertThat(client.patch("/v1/bdbs/1", Map.of("shards", 2), Database.class)).isNull();
    assertThat(server.requests())
        .extracting(TestServer.Recorded::method)
        .containsExactly("PUT", "PATCH");
  }

  @Test
  void deleteIgnoresAnEmptyAnswer() {
    server.on("DELETE", "/v1/bdbs/1", 204, null);

    client(Auth.none()).delete("/v1/bdbs/1");

    assertThat(server.lastRequest().method()).isEqualTo("DELETE");
  }

  @Test
  void basePathIsKeptAndQueryParametersAreEncoded() {
    var apiServer = server.on("GET", "/v1/subscriptions", 200, "{}");
    var client = JsonHttpClient.create(HttpSettings.of(apiServer.baseUri() + "/v1/"));

    client.send(
        HttpRequestSpec.get("/subscriptions")
            .withQuery("offset", 10)
            .withQuery("name", "a b&c")
            .withQuery("tag", List.of("x", "y"))
            .withQuery("absent", null));

    assertThat(server.lastRequest().path()).isEqualTo("/v1/subscriptions");
    assertThat(server.lastRequest().query()).isEqualTo("offset=10&name=a%20b%26c&tag=x&tag=y");
  }

  @Test
  void sendReturnsHeadersAndSendsExtraHeaders() {
    server.on("PATCH", "/redfish/v1/Systems/1", 200, "{}", "ETag", "W/\"2\"", "Location", "/t/1");

    HttpResponseData response =
        client(Auth.none())
            .send(
                HttpRequestSpec.patch("/redfish/v1/Systems/1", RequestBody.json(Map.of("a", 1)))
                    .withHeader("If-Match", "W/\"1\""));

    assertThat(server.lastRequest().header("If-Match")).isEqualTo("W/\"1\"");
    assertThat(response.header("etag")).contains("W/\"2\"");
    assertThat(response.header("LOCATION")).contains("/t/1");
    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void formBodiesAreUrlEncoded() {
    server.on("POST", "/MAAS/api/2.0/machines/abc/op-commission", 200, "{}");
    var fields = new LinkedHashMap<String, Object>();
    fields.put("enable_ssh", 1);
    fields.put("testing_scripts", List.of("smartctl-validate", "memtester"));
    fields.put("comment", "rack 4 & 5");

    client(Auth.none())
        .send(
            HttpRequestSpec.post(
                "/MAAS/api/2.0/machines/abc/op-commission", RequestBody.form(fields)));

    var request = server.lastRequest();
    assertThat(request.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(request.body())
        .isEqualTo(
            "enable_ssh=1&testing_scripts=smartctl-validate&testing_scripts=memtester"
                + "&comment=rack+4+%26+5");
  }

  @Test
  void nonJsonAnswersAreAvailableAsText() {
    server.on("GET", "/version", 200, "3.4.2", "Content-Type", "text/plain");

    assertThat(client(Auth.none()).send(HttpRequestSpec.get("/version")).body()).isEqualTo("3.4.2");
  }

  @Test
  void basicAuthHeaderIsSent() {
    server.on("GET", "/v1/cluster", 200, "{}");

    client(Auth.basic("admin@example.com", Secret.of("s3cret!")))
        .get("/v1/cluster", JsonNode.class);

    String expected =
        Base64.getEncoder()
            .encodeToString("admin@example.com:s3cret!".getBytes(StandardCharsets.UTF_8));
    assertThat(server.lastRequest().header("Authorization")).isEqualTo("Basic " + expected);
  }

  @Test
  void secretHeadersAuthIsSent() {
    server.on("GET", "/v1/subscriptions", 200, "{}");

    client(
            Auth.headers(
                Map.of(
                    "x-api-key", Secret.of("account-key"),
                    "x-api-secret-key", Secret.of("user-secret"))))
        .get("/v1/subscriptions", JsonNode.class);

    assertThat(server.lastRequest().header("x-api-key")).isEqualTo("account-key");
    assertThat(server.lastRequest().header("x-api-secret-key")).isEqualTo("user-secret");
  }

  @Test
  void bearerAuthIsSent() {
    server.on("GET", "/x", 200, "{}");

    client(Auth.bearer(Secret.of("tok-123"))).get("/x", JsonNode.class);

    assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer tok-123");
  }

  @Test
  void customSignerIsCalledForEveryRequest() {
    server.on("GET", "/MAAS/api/2.0/machines/", 200, "[]");
    var calls = new AtomicInteger();
    RequestSigner signer =
        (method, uri) ->
            Map.of("Authorization", "OAuth oauth_nonce=\"" + calls.incrementAndGet() + "\"");
    var client = client(Auth.custom(signer));

    client.get("/MAAS/api/2.0/machines/", JsonNode.class);
    client.get("/MAAS/api/2.0/machines/", JsonNode.class);

    assertThat(server.requests())
        .extracting(r -> r.header("Authorization"))
        .containsExactly("OAuth oauth_nonce=\"1\"", "OAuth oauth_nonce=\"2\"");
  }

  @Test
  void defaultHeadersAreSentAndRequestHeadersWin() {
    server.on("GET", "/x", 200, "{}");
    var client =
        JsonHttpClient.create(
            HttpSettings.of(server.baseUri())
                .withDefaultHeader("User-Agent", "opsflow-test")
                .withDefaultHeader("Accept", "application/vnd.api+json"));

    client.send(HttpRequestSpec.get("/x").withHeader("Accept", "text/plain"));

    assertThat(server.lastRequest().header("User-Agent")).isEqualTo("opsflow-test");
    assertThat(server.lastRequest().header("Accept")).isEqualTo("text/plain");
  }

  @Test
  void allowedStatusesComeBackAsData() {
    server.on("GET", "/v1/bdbs/9", 404, "{\"error_code\":\"db_not_exist\"}");

    HttpResponseData response =
        client(Auth.none()).send(HttpRequestSpec.get("/v1/bdbs/9").allowingStatus(404));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.isSuccess()).isFalse();
  }
}
