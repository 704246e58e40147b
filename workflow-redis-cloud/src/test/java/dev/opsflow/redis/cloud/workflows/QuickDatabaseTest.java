package dev.opsflow.redis.cloud.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.cloud.client.FixedSubscriptionCreateRequest;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.testing.SimulatorSettings;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.WorkflowResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickDatabaseTest {
  @TempDir Path dir;

  private CloudHarness h = new CloudHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private Map<String, String> args() {
    return Map.of("name", "my-app", "credentialsFile", dir.resolve("redis.env").toString());
  }

  private String password() throws Exception {
    return Files.readAllLines(dir.resolve("redis.env")).stream()
        .filter(l -> l.startsWith("REDIS_PASSWORD="))
        .findFirst()
        .orElseThrow()
        .substring("REDIS_PASSWORD=".length());
  }

  @Test
  void createsAFreeDatabaseAndWritesItsCredentialsOnlyToA0600File() throws Exception {
    WorkflowResult result = h.run("quick-database", args());

    assertThat(result.success()).as(result.toJson()).isTrue();
    Path file = dir.resolve("redis.env");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).contains("REDIS_HOST=127.0.0.1", "REDIS_URL=redis://");
    String password = password();
    assertThat(password).isNotBlank();
    assertThat(result.toJson()).doesNotContain(password);
    assertThat(Json.mapper().writeValueAsString(h.engine.events(result.runId())))
        .doesNotContain(password);
    assertThat(result.outputs()).containsEntry("credentialsFile", file.toString());
    assertThat(h.mutatingLines()).hasSize(2).first().isEqualTo("POST /fixed/subscriptions");
  }

  @Test
  void secondRunCreatesNothing() throws Exception {
    h.run("quick-database", args());
    WorkflowResult second = h.run("quick-database", args());

    assertThat(second.success()).as(second.toJson()).isTrue();
    assertThat(h.mutating()).hasSize(2);
    assertThat(second.toJson()).doesNotContain(password());
  }

  @Test
  void freeDatabaseAlreadyInTheAccountIsATypedError() {
    h.client.createFixedSubscription(new FixedSubscriptionCreateRequest("other", 1001, null, null));
    h.clock.advance(Duration.ofMinutes(5));

    WorkflowResult result = h.run("quick-database", args());

    assertThat(result.error().details())
        .containsEntry("errorType", "FREE_DATABASE_EXISTS")
        .containsEntry("errorCode", "FIXED_SUBSCRIPTION_ACCOUNT_ALREADY_HAS_A_FREE_PLAN");
    assertThat(result.error().suggestions()).isNotEmpty();
  }

  @Test
  void wrongKeysAreATypedNotAuthenticatedError() {
    RedisCloudClient wrong =
        RedisCloudClient.builder(Secret.of("nope"), Secret.of("nope"))
            .baseUri(h.sim.baseUri())
            .httpSettings(s -> s.withTrustedPem(h.sim.certificatePem()))
            .clock(h.clock)
            .sleeper(h.clock)
            .build();
    var registry = RedisCloudWorkflows.registerAll(new WorkflowRegistry(), wrong);

    WorkflowResult result =
        registry.run(
            h.engine, "quick-database", args(), dev.opsflow.workflow.RunOptions.defaults());

    assertThat(result.error().details()).containsEntry("errorType", "NOT_AUTHENTICATED");
    assertThat(result.toJson()).doesNotContain("sim-api-key").doesNotContain("sim-secret-key");
  }

  @Test
  void exhaustedQuotaOfRequestsIsATypedRateLimitedError() {
    h.close();
    h = new CloudHarness(SimulatorSettings.defaults(), b -> b.maxAttempts(1));
    h.sim.faults().throttleNextRequests(10, Duration.ofSeconds(30));

    WorkflowResult result = h.run("quick-database", args());

    assertThat(result.error().details()).containsEntry("errorType", "RATE_LIMITED");
  }

  @Test
  void serverErrorsThatOutlastTheRetriesAreATypedTransientError() {
    h.close();
    h = new CloudHarness(SimulatorSettings.defaults(), b -> b.maxAttempts(1));
    h.sim.faults().failNextRequests(10, 503);

    WorkflowResult result = h.run("quick-database", args());

    assertThat(result.error().details()).containsEntry("errorType", "TRANSIENT");
    assertThat(result.error().retryable()).isTrue();
  }

  @Test
  void invalidNameIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(
            () ->
                h.run(
                    "quick-database",
                    Map.of("name", "9-lives", "credentialsFile", dir.resolve("x.env").toString())))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("name");
    assertThat(h.sim.requests()).isEmpty();
  }
}
