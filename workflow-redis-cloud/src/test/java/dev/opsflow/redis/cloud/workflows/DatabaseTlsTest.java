package dev.opsflow.redis.cloud.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.testing.RecordedRequest;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.http.TlsTrust;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflows' TLS path end to end: databases asked for with {@code enableTls}, set by the API,
 * served over TLS by the simulator with its self-signed certificate, and PINGed over verified TLS.
 */
class DatabaseTlsTest {
  @TempDir Path dir;

  private CloudHarness h = new CloudHarness(sim -> TlsTrust.pem(sim.certificatePem()));

  @AfterEach
  void close() {
    h.close();
  }

  private static Map<String, String> provision() {
    var args = new HashMap<String, String>();
    args.putAll(
        Map.of(
            "name",
            "secure",
            "region",
            "us-east-1",
            "deploymentCidr",
            "10.20.0.0/24",
            "databases",
            "cache,sessions",
            "enableTls",
            "true"));
    return args;
  }

  private long subscriptionId(WorkflowResult result) {
    return ((Number) result.outputs().get("subscriptionId")).longValue();
  }

  private List<Database> databases(long sub) {
    return h.client.databases(sub);
  }

  @Test
  void provisionedDatabasesGetTlsByAnUpdateAndArePingedOverTlsTrustingTheCertificate() {
    WorkflowResult result = h.run("provision-subscription", provision());

    assertThat(result.success()).as(result.toJson()).isTrue();
    long sub = subscriptionId(result);
    List<Database> dbs = databases(sub);
    assertThat(dbs).hasSize(2).allSatisfy(d -> assertThat(d.securityOrNone().tls()).isTrue());
    // The subscription-create database spec has no enableTls: it is not sent there ...
    assertThat(h.sim.requests("POST", "/subscriptions").get(0).body().toString())
        .doesNotContain("enableTls");
    // ... but by one update per database.
    List<RecordedRequest> updates = h.sim.requests("PUT", "/subscriptions/" + sub + "/databases/");
    assertThat(updates).hasSize(2);
    assertThat(updates).allSatisfy(u -> assertThat(u.body().get("enableTls").asBoolean()).isTrue());
    assertThat((List<?>) result.outputs().get("connectivity"))
        .hasSize(2)
        .allSatisfy(line -> assertThat(line.toString()).endsWith("PONG (TLS)"));
    String json = result.toJson();
    for (Database db : dbs) {
      assertThat(json).doesNotContain(db.securityOrNone().password().reveal());
    }
    assertThat(json).doesNotContain("BEGIN CERTIFICATE");
  }

  @Test
  void aReRunFindsTheTlsInPlaceAndChangesNothing() {
    h.run("provision-subscription", provision());
    int before = h.mutating().size();

    WorkflowResult second = h.run("provision-subscription", provision());

    assertThat(second.success()).as(second.toJson()).isTrue();
    assertThat(h.mutating()).hasSize(before);
  }

  @Test
  void withoutTrustingTheCertificateTheConnectivityCheckFailsNamingTheEndpoint() {
    h.close();
    h = new CloudHarness(sim -> TlsTrust.system());

    WorkflowResult result = h.run("provision-subscription", provision());

    assertThat(result.success()).isFalse();
    assertThat(result.error().step()).isEqualTo("verify-connectivity");
    assertThat(result.error().type()).isEqualTo(ErrorKind.CONFIGURATION);
    assertThat(result.error().retryable()).isFalse();
    String endpoint = databases(subscriptionId(result)).get(0).publicEndpoint();
    assertThat(result.error().message())
        .contains("TLS certificate")
        .contains(endpoint)
        .contains("not trusted");
    assertThat(result.error().suggestions()).anyMatch(s -> s.contains("TlsTrust"));
  }

  @Test
  void rollbackRestoresTheTlsSettingOfADatabaseItDidNotCreate() {
    h.close();
    h = new CloudHarness(sim -> TlsTrust.system());
    long sub = h.createDirectly("secure", "cache");
    var args = provision();
    args.put("databases", "cache");

    WorkflowResult result =
        h.run("provision-subscription", args, RunOptions.defaults().withRollback(true));

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(h.sim.subscriptionNames()).containsExactly("secure");
    assertThat(databases(sub))
        .singleElement()
        .satisfies(d -> assertThat(d.securityOrNone().tls()).isFalse());
    assertThat(h.sim.requests("PUT", "/subscriptions/" + sub + "/databases/"))
        .extracting(r -> r.body().get("enableTls").asBoolean())
        .containsExactly(true, false);
  }

  @Test
  void aDatabaseAddedToAReusedSubscriptionIsCreatedWithTlsTheOtherUpdated() {
    long sub = h.createDirectly("secure", "cache");

    WorkflowResult result = h.run("provision-subscription", provision());

    assertThat(result.success()).as(result.toJson()).isTrue();
    assertThat(h.sim.requests("POST", "/subscriptions/" + sub + "/databases"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.body().get("name").asString()).isEqualTo("sessions");
              assertThat(r.body().get("enableTls").asBoolean()).isTrue();
            });
    long cache =
        databases(sub).stream()
            .filter(d -> d.name().equals("cache"))
            .findFirst()
            .orElseThrow()
            .databaseId();
    assertThat(h.sim.requests("PUT", "/subscriptions/" + sub + "/databases/"))
        .extracting(RecordedRequest::path)
        .containsExactly("/subscriptions/" + sub + "/databases/" + cache);
    assertThat(databases(sub)).allSatisfy(d -> assertThat(d.securityOrNone().tls()).isTrue());
  }

  @Test
  void activeActiveDatabaseGetsTlsThroughItsRegionsUpdateAndEveryRegionIsPingedOverTls() {
    WorkflowResult result =
        h.run(
            "setup-aa-database",
            Map.of(
                "name",
                "global",
                "regions",
                "us-east-1=10.0.1.0/24,eu-west-1=10.0.2.0/24",
                "enableTls",
                "true"));

    assertThat(result.success()).as(result.toJson()).isTrue();
    long sub = subscriptionId(result);
    assertThat(h.sim.requests("PUT", "/subscriptions/" + sub + "/databases/"))
        .singleElement()
        .satisfies(r -> assertThat(r.path()).endsWith("/regions"));
    assertThat((List<?>) result.outputs().get("connectivity"))
        .hasSize(2)
        .allSatisfy(line -> assertThat(line.toString()).endsWith("PONG (TLS)"));
  }

  @Test
  void enableTlsFalseIsSentWithAnEssentialsDatabase() {
    WorkflowResult result =
        h.run(
            "quick-database",
            Map.of(
                "name",
                "my-app",
                "credentialsFile",
                dir.resolve("redis.env").toString(),
                "enableTls",
                "false"));

    assertThat(result.success()).as(result.toJson()).isTrue();
    RecordedRequest create =
        h.mutating().stream()
            .filter(r -> r.path().endsWith("/databases"))
            .findFirst()
            .orElseThrow();
    assertThat(create.body().get("enableTls").asBoolean(true)).isFalse();
  }

  @Test
  void theFreePlanHasNoTlsSoQuickDatabaseRefusesEnableTlsBeforeCreatingAnything() {
    WorkflowResult result =
        h.run(
            "quick-database",
            Map.of(
                "name",
                "my-app",
                "credentialsFile",
                dir.resolve("redis.env").toString(),
                "enableTls",
                "true"));

    assertThat(result.success()).isFalse();
    assertThat(result.error().step()).isEqualTo("select-free-plan");
    assertThat(result.error().message()).contains("enableTls").contains("does not support TLS");
    assertThat(h.mutating()).isEmpty();
  }
}
