package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.spi.Reservations;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BMC address pool over the file store's reservations: what a crash and a second batch see. */
class DurableBmcAddressPoolTest {
  @TempDir Path dir;

  private Reservations store() {
    // A new store instance on the directory each time: what a restarted process opens.
    return FileExecutionStore.open(dir.resolve("runs")).reservations().orElseThrow();
  }

  private BmcAddressPool pool(String range) {
    return BmcAddressPool.of(range, "192.168.1.1", "255.255.255.0", store());
  }

  @Test
  void aServerGetsBackTheAddressItHeldAfterARestart() {
    var first = pool("192.168.1.100-110").assign("node1", Map.of());
    pool("192.168.1.100-110").assign("node2", Map.of());

    var again = pool("192.168.1.100-110").assign("node1", Map.of());

    assertThat(first.kept()).isFalse();
    assertThat(again.address()).isEqualTo(first.address());
    assertThat(again.kept()).isTrue();
  }

  @Test
  void twoBatchesAtOnceOnOneRangeNeverShareAnAddress() throws Exception {
    int servers = 10;
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      var start = new CountDownLatch(1);
      var batches = new ArrayList<Callable<List<String>>>();
      for (String batch : List.of("a", "b")) {
        batches.add(
            () -> {
              BmcAddressPool pool = pool("192.168.1.100-130");
              start.await();
              var got = new ArrayList<String>();
              for (int i = 0; i < servers; i++) {
                got.add(pool.assign(batch + "node" + i, Map.of()).address());
              }
              return got;
            });
      }
      var futures = new ArrayList<Future<List<String>>>();
      batches.forEach(b -> futures.add(threads.submit(b)));
      start.countDown();
      var all = new ArrayList<String>();
      for (var f : futures) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(all).hasSize(2 * servers);
      assertThat(new HashSet<>(all)).hasSize(2 * servers);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void networkBroadcastAndGatewayAreNeverHandedOut() {
    BmcAddressPool pool =
        BmcAddressPool.of("192.168.1.0/30", "192.168.1.1", "255.255.255.252", store());

    // A /30: .0 network and .3 broadcast are not in the block's hosts; .1 is the gateway.
    var a = pool.assign("node1", Map.of());

    assertThat(a.address()).isEqualTo("192.168.1.2");
    assertThat(a.skipped()).containsExactly("192.168.1.1: the gateway");
    assertThatThrownBy(() -> pool.assign("node2", Map.of()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("no free address for server 'node2'")
        .hasMessageContaining("192.168.1.2: reserved for node1");
  }

  @Test
  void anAddressThatAnswersOnTheNetworkIsSkippedWithTheReason() {
    List<String> probed = new ArrayList<>();
    BmcAddressPool pool =
        pool("192.168.1.100-110")
            .withProbe(
                address -> {
                  probed.add(address);
                  return address.equals("192.168.1.100")
                      ? Optional.of("answers on TCP 443")
                      : Optional.empty();
                });

    var a = pool.assign("node1", Map.of("192.168.1.101", "in use by MAAS machine x (db)"));

    assertThat(a.address()).isEqualTo("192.168.1.102");
    assertThat(a.skipped())
        .containsExactly(
            "192.168.1.100: answers on TCP 443", "192.168.1.101: in use by MAAS machine x (db)");
    assertThat(probed).containsExactly("192.168.1.100", "192.168.1.102");
  }

  @Test
  void aReleasedAddressIsFreeForTheNextServer() {
    BmcAddressPool pool = pool("192.168.1.100-101");
    String first = pool.assign("node1", Map.of()).address();

    assertThat(pool.release("node1")).isTrue();
    assertThat(pool.addressOf("node1")).isEmpty();
    assertThat(pool("192.168.1.100-101").assign("node2", Map.of()).address()).isEqualTo(first);
  }

  @Test
  void theTcpProbeFindsAListeningLoopbackPort() throws Exception {
    try (var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      var probe =
          BmcAddressPool.Probe.tcp(List.of(server.getLocalPort()), java.time.Duration.ofSeconds(2));
      assertThat(probe.answers("127.0.0.1")).contains("answers on TCP " + server.getLocalPort());
    }
  }
}
