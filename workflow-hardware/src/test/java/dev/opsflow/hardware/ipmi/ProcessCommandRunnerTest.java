package dev.opsflow.hardware.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCommandRunnerTest {
  private final CommandRunner runner = CommandRunner.local();

  @Test
  void capturesExitCodeStdoutAndStderrWithSecretsScrubbed() {
    var request =
        new CommandRequest(
            List.of("sh", "-c", "echo out $TOKEN; read line; echo err $line >&2; exit 3"),
            Map.of("TOKEN", "tok-123"),
            "from-stdin\n",
            Duration.ofSeconds(10),
            "test host",
            List.of("tok-123", "from-stdin"));

    CommandResult result = runner.run(request);

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("out ****\n");
    assertThat(result.stderr()).isEqualTo("err ****\n");
  }

  @Test
  void killsACommandPastItsTimeoutAndNamesTheTarget() {
    var request =
        new CommandRequest(
            List.of("sleep", "30"),
            Map.of(),
            null,
            Duration.ofMillis(200),
            "BMC 10.9.9.9:623",
            List.of());

    long started = System.nanoTime();
    assertThatThrownBy(() -> runner.run(request))
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT))
        .hasMessageContaining("BMC 10.9.9.9:623")
        .hasMessageContaining("killed");
    // Killed at its timeout, not waited for: the command alone takes 30 s.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aMissingBinaryIsAConfigurationError() {
    var request =
        new CommandRequest(
            List.of("/nonexistent/ipmitool"),
            Map.of(),
            null,
            Duration.ofSeconds(1),
            "BMC x",
            List.of());

    assertThatThrownBy(() -> runner.run(request))
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
        .hasMessageContaining("/nonexistent/ipmitool");
  }
}
