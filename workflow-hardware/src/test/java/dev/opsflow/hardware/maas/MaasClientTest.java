package dev.opsflow.hardware.maas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.hardware.maas.testing.MaasSimulator;
import dev.opsflow.hardware.testing.InStep;
import dev.opsflow.hardware.testing.RecordedRequest;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepTimeoutException;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MaasClientTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final MaasSimulator maas = MaasSimulator.start(clock);
  private final MaasClient client = MaasClient.create(maas.baseUri(), maas.apiKey());

  @AfterEach
  void stop() {
    maas.close();
  }

  @Test
  void readsVersionAndChecksCredentialsWithWhoami() {
    assertThat(client.version().path("version").asString()).startsWith("3.");
    assertThat(client.whoami()).isEqualTo("admin");
  }

  @Test
  void listsAndReadsMachinesWithTheirStatusCodeAndName() {
    String id = maas.addMachine("node1");

    assertThat(client.machines()).extracting(MaasMachine::systemId).containsExactly(id);
    MaasMachine machine = client.machine(id);
    assertThat(machine.hostname()).isEqualTo("node1");
    assertThat(machine.status()).isZero();
    assertThat(machine.statusName()).isEqualTo("New");
    assertThat(machine.statusValue()).contains(MaasStatus.NEW);
    assertThat(machine.interfaces())
        .singleElement()
        .satisfies(nic -> assertThat(nic.macAddress()).startsWith("52:54:00"));
    assertThat(machine.zone().name()).isEqualTo("default");
  }

  @Test
  void commissionPostsOpCommissionAndTheWaitEndsInReadyThroughTesting() {
    String id = maas.addMachine("node1");

    MaasMachine ready =
        InStep.call(
            clock,
            ctx -> {
              client.commission(id, Map.of("enable_ssh", 1));
              return client.awaitCommissioned(ctx, id, Duration.ofMinutes(30));
            });

    assertThat(ready.is(MaasStatus.READY)).isTrue();
    assertThat(maas.requests())
        .extracting(RecordedRequest::line)
        .contains("POST /MAAS/api/2.0/machines/" + id + "/?op=commission")
        .noneMatch(line -> line.contains("op-commission"));
    assertThat(maas.requests())
        .filteredOn(r -> r.query().equals("op=commission"))
        .singleElement()
        .satisfies(r -> assertThat(r.body()).isEqualTo("enable_ssh=1"));
    assertThat(clock.totalSleptMillis()).isGreaterThanOrEqualTo(Duration.ofMinutes(5).toMillis());
  }

  @Test
  void aTransientServerErrorDuringTheWaitIsPolledThrough() {
    String id = maas.addMachine("node1");

    MaasMachine ready =
        InStep.call(
            clock,
            ctx -> {
              client.commission(id);
              maas.failNext(2, 503, null);
              return client.awaitCommissioned(ctx, id, Duration.ofMinutes(30));
            });

    assertThat(ready.is(MaasStatus.READY)).isTrue();
  }

  @Test
  void failedCommissioningEndsTheWaitAtOnceWithTheStatusMessage() {
    String id = maas.addMachine("node1");
    maas.failCommissioning(id, "Commissioning script 00-maas-01-cpuinfo failed");

    assertThatThrownBy(
            () ->
                InStep.call(
                    clock,
                    ctx -> {
                      client.commission(id);
                      return client.awaitCommissioned(ctx, id, Duration.ofHours(2));
                    }))
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.REMOTE_FAILURE))
        .hasMessageContaining("MAAS machine " + id)
        .hasMessageContaining("'Failed commissioning' (status 2)")
        .hasMessageContaining("00-maas-01-cpuinfo failed");
    assertThat(clock.totalSleptMillis()).isLessThan(Duration.ofMinutes(10).toMillis());
  }

  @Test
  void failedTestingAndBrokenAlsoEndCommissioning() {
    String tested = maas.addMachine("node1");
    maas.failTesting(tested, "smartctl-validate failed on sda");
    String broken = maas.addMachine("node2");

    assertThatThrownBy(
            () ->
                InStep.call(
                    clock,
                    ctx -> {
                      client.commission(tested);
                      return client.awaitCommissioned(ctx, tested, Duration.ofHours(1));
                    }))
        .hasMessageContaining("'Failed testing' (status 22): smartctl-validate failed on sda");
    assertThatThrownBy(
            () ->
                InStep.call(
                    clock,
                    ctx -> {
                      client.commission(broken);
                      maas.markBroken(broken, "PSU failure");
                      return client.awaitCommissioned(ctx, broken, Duration.ofHours(1));
                    }))
        .hasMessageContaining("'Broken' (status 8): PSU failure");
  }

  @Test
  void aStuckCommissioningTimesOutNamingTheLastStatus() {
    maas.withTimings(
        Duration.ofHours(10), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(1));
    String id = maas.addMachine("node1");

    assertThatThrownBy(
            () ->
                InStep.call(
                    clock,
                    ctx -> {
                      client.commission(id);
                      return client.awaitCommissioned(ctx, id, Duration.ofMinutes(20));
                    }))
        .isInstanceOf(StepTimeoutException.class)
        .hasMessageContaining("commissioning of MAAS machine " + id)
        .hasMessageContaining("'Commissioning' (status 1)");
  }

  @Test
  void allocateDeployAndReleaseFollowTheLifecycle() {
    String id = maas.addReadyMachine("node1");

    MaasMachine deployed =
        InStep.call(
            clock,
            ctx -> {
              assertThat(client.allocate(id).status()).isEqualTo(MaasStatus.ALLOCATED.code());
              client.deploy(id, "noble", "#cloud-config\n");
              return client.awaitDeployed(ctx, id, Duration.ofMinutes(30));
            });

    assertThat(deployed.distroSeries()).isEqualTo("noble");
    assertThat(deployed.ipAddresses()).isNotEmpty();
    assertThat(client.ipAddresses(id)).isEqualTo(deployed.ipAddresses());
    assertThat(client.interfaces(id).get(0).links().get(0).ipAddress())
        .isEqualTo(deployed.ipAddresses().get(0));
    assertThat(maas.requests())
        .filteredOn(r -> r.query().equals("op=deploy"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.body())
                    .contains("distro_series=noble")
                    .contains("user_data=I2Nsb3VkLWNvbmZpZwo%3D"));
    MaasMachine released =
        InStep.call(
            clock,
            ctx -> {
              client.release(id);
              return client.awaitReleased(ctx, id, Duration.ofMinutes(10));
            });
    assertThat(released.is(MaasStatus.READY)).isTrue();
  }

  @Test
  void deployAnswersMaasErrorCodesNamingTheServer() {
    String ready = maas.addReadyMachine("node1");
    String others = maas.addMachine("node2");
    String fresh = maas.addMachine("node3");
    maas.assignOwner(others, "alice");

    assertThat(apiError(() -> client.deploy("nosuch", null, null)).status()).isEqualTo(404);
    // A New machine can be neither allocated nor deployed (a Ready one is allocated by deploy).
    ApiException notAllocated = apiError(() -> client.deploy(fresh, null, null));
    assertThat(notAllocated.status()).isEqualTo(409);
    assertThat(notAllocated)
        .hasMessageContaining("MAAS " + maas.baseUri())
        .hasMessageContaining("'New'");
    assertThat(apiError(() -> client.deploy(others, null, null)).status()).isEqualTo(403);
    client.allocate(ready);
    maas.exhaustIpAddresses(true);
    ApiException noIps = apiError(() -> client.deploy(ready, null, null));
    assertThat(noIps.status()).isEqualTo(503);
    assertThat(noIps.retryable()).isTrue();
  }

  @Test
  void powerOperationsAndQueryPowerState() {
    String id = maas.addReadyMachine("node1");

    client.powerOn(id);
    assertThat(client.queryPowerState(id)).isEqualTo("on");
    client.powerOff(id);
    assertThat(client.queryPowerState(id)).isEqualTo("off");
    assertThat(maas.requests())
        .extracting(RecordedRequest::line)
        .contains("GET /MAAS/api/2.0/machines/" + id + "/?op=query_power_state");
  }

  @Test
  void abortStopsCommissioning() {
    String id = maas.addMachine("node1");

    client.commission(id);
    assertThat(client.abort(id).status()).isEqualTo(MaasStatus.NEW.code());
    clock.advance(Duration.ofHours(1));
    assertThat(client.machine(id).status()).isEqualTo(MaasStatus.NEW.code());
  }

  @Test
  void tagsAreCreatedAddedAndRemoved() {
    String a = maas.addMachine("node1");
    String b = maas.addMachine("node2");

    client.createTag("rack-a", "first rack");
    client.createTag("rack-a", "again: left as it is");
    client.addTag("rack-a", List.of(a, b));
    client.removeTag("rack-a", List.of(b));

    assertThat(client.machine(a).tagNames()).containsExactly("rack-a");
    assertThat(client.machine(b).tagNames()).isEmpty();
    assertThat(maas.requests())
        .filteredOn(r -> r.query().equals("op=update_nodes"))
        .extracting(RecordedRequest::body)
        .containsExactly("add=" + a + "&add=" + b, "remove=" + b);
  }

  @Test
  void aWrongApiKeyIsAnAuthErrorWithoutTheKey() {
    var wrong = MaasClient.create(maas.baseUri(), Secret.of("simconsumer:simtoken:nope-secret"));

    assertThatThrownBy(wrong::whoami)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
              assertThat(e.status()).isEqualTo(401);
            })
        .hasMessageNotContaining("nope-secret")
        .hasMessageContaining("127.0.0.1");
  }

  @Test
  void everyRequestCarriesAFreshNonce() {
    String id = maas.addMachine("node1");

    for (int i = 0; i < 5; i++) {
      client.machine(id);
    }

    assertThat(maas.requests()).hasSize(5);
  }

  @Test
  void injectedServerErrorsAreRetryableWithRetryAfter() {
    maas.failNext(1, 503, Duration.ofSeconds(7));

    ApiException e = apiError(client::machines);
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(client.machines()).isEmpty();
  }

  @Test
  void anUnreachableServerIsAConnectionErrorNamingTheHost() {
    String uri = maas.baseUri();
    maas.close();

    assertThatThrownBy(() -> MaasClient.create(uri, maas.apiKey()).machines())
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION))
        .hasMessageContaining(uri.replace("http://", "").replace("/MAAS", ""));
  }

  @Test
  void badIdentifiersAndKeysAreRejectedBeforeAnyRequest() {
    assertThatThrownBy(() -> client.commission("../x"))
        .hasMessageContaining("systemId")
        .hasMessageContaining("../x");
    assertThatThrownBy(() -> client.addTag("bad tag", List.of("abc"))).hasMessageContaining("tag");
    assertThatThrownBy(() -> MaasClient.create(maas.baseUri(), Secret.of("only:two")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("only:two");
    assertThat(maas.requests()).isEmpty();
  }

  private static ApiException apiError(Runnable call) {
    try {
      call.run();
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("expected an ApiException");
  }
}
