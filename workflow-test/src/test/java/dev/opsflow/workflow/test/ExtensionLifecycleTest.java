package dev.opsflow.workflow.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulator;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.testing.ManualClock;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a test method asks for is its own, and is stopped when the test ends. */
@ExtendWith(WorkflowExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtensionLifecycleTest {
  static int firstPort;
  static WorkflowEngine firstEngine;
  static ManualClock firstClock;

  @Test
  @Order(1)
  void aTestGetsAnEngineAndASimulatorOnOneManualClock(
      WorkflowEngine engine, ManualClock clock, RedisEnterpriseSimulator cluster) {
    firstPort = URI.create(cluster.url()).getPort();
    firstEngine = engine;
    firstClock = clock;
    clock.advance(Duration.ofHours(1));

    assertThat(engine.clock()).isSameAs(clock);
    assertThat(cluster.bootstrapState()).isEqualTo("idle");
  }

  @Test
  @Order(2)
  void theNextTestGetsFreshOnesAndTheFirstSimulatorIsStopped(
      WorkflowEngine engine, ManualClock clock) {
    assertThat(engine).isNotSameAs(firstEngine);
    assertThat(clock).isNotSameAs(firstClock);
    assertThat(clock.instant()).isBefore(firstClock.instant());
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), firstPort).close())
        .isInstanceOf(ConnectException.class);
  }
}
