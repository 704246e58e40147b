package dev.opsflow.redis.cloud.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.testing.RecordedRequest;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.resp.RespConnection;
import dev.opsflow.workflow.testing.RedisEndpoint;
import dev.opsflow.workflow.testing.RedisEndpoints;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * migrate-database-to-cloud end to end: the source is a real redis-server (as a Redis Enterprise
 * database's endpoint is), the target a Pro database of the Redis Cloud simulator served by another
 * redis-server, which the simulator makes {@code REPLICAOF} the source when the update's {@code
 * replica.syncSources} is applied. Data really moves; {@code redis-server} is the peer.
 */
class MigrateToCloudTest {
  private static final String SOURCE_PASSWORD = "src-Secret-42";
  private final CloudHarness h = new CloudHarness();
  private RedisEndpoint source;
  private long sub;
  private long db;

  @BeforeEach
  void start() {
    var binary = Peers.require("redis-server", "redis-server");
    source = RedisEndpoints.redisServer(binary).start(SOURCE_PASSWORD);
    try (var c = connect(source.port(), Secret.of(SOURCE_PASSWORD))) {
      for (int i = 0; i < 40; i++) {
        c.call("SET", "user:" + i, "name-" + i);
      }
      c.call("HSET", "cart:1", "apples", "3", "pears", "2");
      c.call("RPUSH", "queue", "a", "b", "c");
    }
    sub = h.createDirectly("migration", "target");
    db = h.client.databases(sub).get(0).databaseId();
    try (var c = target()) {
      c.call("SET", "stale", "from-before");
    }
  }

  @AfterEach
  void stop() {
    source.close();
    h.close();
  }

  private static RespConnection connect(int port, Secret password) {
    return RespConnection.open("127.0.0.1", port, password, null, Duration.ofSeconds(5));
  }

  private Database targetDb() {
    return h.client.database(sub, db).orElseThrow();
  }

  private RespConnection target() {
    Database d = targetDb();
    String endpoint = d.endpoint().orElseThrow();
    return connect(
        Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)),
        d.securityOrNone().passwordIfAny().orElse(null));
  }

  private Map<String, String> args(String... more) {
    var args = new HashMap<String, String>();
    args.put("subscriptionId", String.valueOf(sub));
    args.put("databaseId", String.valueOf(db));
    args.put("sourceEndpoint", "127.0.0.1:" + source.port());
    args.put("sourcePassword", SOURCE_PASSWORD);
    for (int i = 0; i < more.length; i += 2) {
      args.put(more[i], more[i + 1]);
    }
    return args;
  }

  private List<RecordedRequest> replicaUpdates() {
    return h.sim.requests("PUT", "/subscriptions/" + sub + "/databases/" + db).stream()
        .filter(r -> r.body() != null && r.body().has("replica"))
        .toList();
  }

  @Test
  void copiesTheSourceVerifiesItAndCutsOver() {
    WorkflowResult result = h.run(MigrateToCloudWorkflow.NAME, args("cutOver", "true"));

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs())
        .containsEntry("source_keys", 42L)
        .containsEntry("target_keys", 42L);
    @SuppressWarnings("unchecked")
    var cutOver = (Map<String, Object>) result.outputs().get("cut_over");
    assertThat(cutOver).containsEntry("source_keys", 42L).containsKey("source_repl_offset");
    // Two updates: the sync (the ReplicaOfSpec form, with the password masked in the log) and its
    // end.
    List<RecordedRequest> updates = replicaUpdates();
    assertThat(updates).hasSize(2);
    assertThat(updates.get(0).body().toString())
        .contains("\"syncSources\"")
        .contains("redis://:****@127.0.0.1:" + source.port())
        .doesNotContain(SOURCE_PASSWORD);
    assertThat(updates.get(1).body().get("replica").get("syncSources").isEmpty()).isTrue();
    assertThat(targetDb().replicaOrNone().sourceAddresses()).isEmpty();
    try (var c = target()) {
      assertThat(c.number("DBSIZE")).isEqualTo(42);
      assertThat(c.text("GET", "stale")).as("Replica Of replaces the target's data").isNull();
      assertThat(c.text("GET", "user:7")).isEqualTo("name-7");
      // After the cut-over the target takes writes.
      c.call("SET", "after", "cut-over");
    }
    assertThat(result.toJson()).doesNotContain(SOURCE_PASSWORD);
    assertThat(h.sim.requests().toString()).doesNotContain(SOURCE_PASSWORD);
  }

  @Test
  void aSecondRunFindsTheSyncRunningAndStartsNoOther() {
    WorkflowResult first = h.run(MigrateToCloudWorkflow.NAME, args());
    assertThat(first.status()).as(first.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(targetDb().replicaOrNone().sourceAddresses())
        .containsExactly("127.0.0.1:" + source.port());

    WorkflowResult second = h.run(MigrateToCloudWorkflow.NAME, args("cutOver", "true"));

    assertThat(second.status()).as(second.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(second.steps().stream().filter(s -> s.name().equals("start-sync")).findFirst())
        .hasValueSatisfying(s -> assertThat(s.status().name()).isEqualTo("SKIPPED"));
    assertThat(replicaUpdates()).hasSize(2); // one sync, one cut-over
  }

  @Test
  void aSyncThatNeverCompletesTimesOutAndRollbackEndsIt() {
    h.sim.faults().syncsNeverComplete();

    WorkflowResult result =
        h.run(
            MigrateToCloudWorkflow.NAME,
            args("waitTimeout", "5m"),
            RunOptions.defaults().withRollback(true));

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(result.error().type()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(result.error().step()).isEqualTo("await-sync");
    assertThat(result.error().message()).contains("the target has 1 keys, the source 42");
    List<RecordedRequest> updates = replicaUpdates();
    assertThat(updates).hasSize(2);
    assertThat(updates.get(1).body().get("replica").get("syncSources").isEmpty()).isTrue();
    assertThat(targetDb().replicaOrNone().sourceAddresses()).isEmpty();
    try (var c = connect(source.port(), Secret.of(SOURCE_PASSWORD))) {
      assertThat(c.number("DBSIZE")).as("the source is never changed").isEqualTo(42);
    }
  }

  @Test
  void aDryRunChecksButChangesNothing() {
    WorkflowResult result =
        h.run(
            MigrateToCloudWorkflow.NAME,
            args("cutOver", "true"),
            RunOptions.defaults().withDryRun(true));

    assertThat(result.success()).as(result.toJson()).isTrue();
    assertThat(replicaUpdates()).isEmpty();
    assertThat(result.toJson()).contains("replica.syncSources [redis://****@127.0.0.1:");
  }

  @Test
  void theTargetAsItsOwnSourceIsRefusedBeforeAnyChange() {
    String own = targetDb().endpoint().orElseThrow();

    WorkflowResult result = h.run(MigrateToCloudWorkflow.NAME, args("sourceEndpoint", own));

    assertThat(result.error().type()).isEqualTo(ErrorKind.VALIDATION);
    assertThat(result.error().message()).contains("is the source itself");
    assertThat(replicaUpdates()).isEmpty();
  }

  @Test
  void aWrongSourcePasswordIsRefusedBeforeAnyChange() {
    WorkflowResult result =
        h.run(MigrateToCloudWorkflow.NAME, args("sourcePassword", "not-the-password"));

    assertThat(result.error().type()).isEqualTo(ErrorKind.AUTH);
    assertThat(result.error().step()).isEqualTo("inspect-migration");
    assertThat(replicaUpdates()).isEmpty();
    assertThat(result.toJson()).doesNotContain("not-the-password");
  }

  @Test
  void aMalformedEndpointIsAValidationErrorNamingTheInput() {
    int before = h.sim.requests().size();
    assertThatThrownBy(
            () -> h.run(MigrateToCloudWorkflow.NAME, args("sourceEndpoint", "db.example.com")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("sourceEndpoint")
        .hasMessageContaining("host:port");
    assertThat(h.sim.requests()).as("no request at all").hasSize(before);
  }
}
